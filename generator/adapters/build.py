"""Atomic site build: MkDocs writes into a staging folder that replaces site/ only on success."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

# Material prints a multi-line banner about MkDocs 2.0 on import; editors need our messages.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.adapters.messages import VietnameseMkDocsFormatter
from generator.adapters.unchanged import PLUGIN, UnchangedSite, WarningSeen, site_key
from generator.check.project import ProjectPaths, Scope
from generator.infra.files import Trash, guard_destination, replace_directory, staging_folder


def show_build_messages(verbose: bool = False) -> None:
    """MkDocs logs through "mkdocs"; its own CLI attaches a handler, an API caller must."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_dienhinh", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(VietnameseMkDocsFormatter())
        handler._dienhinh = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build leaves the navigation stale; ours builds every page whose
    inputs changed into an empty folder (adapters/incremental.py), so the warning is not true."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
log = logging.getLogger("mkdocs.plugins.dienhinh")


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = False, reuse: bool = False) -> Path:
    """Build into ``site_dir`` (default: mkdocs.yml's), replacing it only when complete.

    ``reuse``: pages whose inputs did not change come from the build cache instead of being
    rendered again (``dienhinh build``), and a build none of whose inputs changed since the last
    one into ``site_dir`` leaves that folder as it is (adapters/unchanged.py); without it no page
    is read from or written to the cache."""
    config = load_config(str(config_file), strict=strict)
    root = config_file.parent.resolve()
    destination = Path(site_dir or config.site_dir).resolve()
    paths = ProjectPaths.at(root)
    guard_destination(destination, (*paths.editors_folders, Path(config.docs_dir)))
    unchanged = UnchangedSite(paths.cache, destination) if reuse else None
    key = site_key(config, destination) if unchanged else None
    if unchanged is not None:
        notes = unchanged.recall(key) if key else None
        if notes is not None:
            for note in notes:  # as the check logged them
                log.info(note)
            log.info(f"Không có gì thay đổi kể từ lần dựng trước: giữ nguyên trang đã dựng ở {destination}.")
            return destination
        unchanged.forget()
    staging = staging_folder(destination)
    trash = paths.cache / "trash"
    warnings = WarningSeen()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        with Trash(trash):  # the site an earlier build replaced, removed while this one works
            config.site_dir = str(staging)
            config.plugins.on_startup(command="build", dirty=reuse)  # as `mkdocs build [--dirty]` does
            try:
                build(config, dirty=reuse)
            finally:
                config.plugins.on_shutdown()
        staging.chmod(0o755)
        replace_directory(staging, destination, trash)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    if unchanged is not None and key and not warnings.warned:
        unchanged.remember(key, list(getattr(config.plugins[PLUGIN], "check_notes", ())))
    return destination


def serve_preview(root: Path, scope: Scope, dev_addr: str, local_backend_port: int | None = None,
                  poll: bool = False) -> None:
    """The live preview (`dienhinh serve`, `dienhinh editor`) until Ctrl-C; ``local_backend_port``:
    where `dienhinh editor` runs decap-server, for the editor's configuration; ``poll``: watch the
    files by polling them, as MkDocs does, not by the system's notices (adapters/watching.py)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.adapters.plugin import DienHinhPlugin

    show_build_messages(verbose=True)  # "Serving on http://…" and each rebuild, as `mkdocs serve` shows
    DienHinhPlugin.requested_scope = scope
    DienHinhPlugin.poll_changes = poll
    if local_backend_port is not None:
        DienHinhPlugin.local_backend_port = local_backend_port
    # "dirty": each rebuild reuses from the build cache what did not change (adapters/incremental.py)
    mkdocs_serve(str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True, build_type="dirty")
