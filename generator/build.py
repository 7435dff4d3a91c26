"""Atomic site build: MkDocs writes into a staging folder that replaces site/ only on success."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from .emit import guard_destination, replace_directory


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = False) -> Path:
    config = load_config(str(config_file), strict=strict)
    root = config_file.parent.resolve()
    destination = Path(site_dir or config.site_dir).resolve()
    guard_destination(destination, [root / "profiles", root / "data", Path(config.docs_dir), root / "generator",
                                    root / "theme"])
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.tmp-", dir=destination.parent))
    try:
        config.site_dir = str(staging)
        build(config)
        staging.chmod(0o755)
        replace_directory(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return destination
