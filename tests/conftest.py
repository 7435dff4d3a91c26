"""Fixture ladder: a scratch project in tmp_path (mini registries), and the real sample site
built once per session for read-only assertions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"

VALID_PROFILE = {
    "title": "Người nông dân làm giàu từ cây quế",
    "summary": "Ông An trồng quế hữu cơ và giúp nhiều hộ thoát nghèo.",
    "subject": {"kind": "ca-nhan", "name": "Nguyễn Văn An"},
    "movement": "nong-thon-moi",
    "locality": "dien-phuoc",
    "nominated_by": "ubnd-dien-ban",
    "year": 2024,
    "stage": "gioi-thieu",
    "consent": {"obtained": True, "date": "2024-01-10"},
}


class ScratchProject:
    def __init__(self, root: Path):
        self.root = root

    def write_profile(self, slug: str, meta: dict | None = None, body: str = "## Thành tích nổi bật\n\nNội dung.\n",
                      folder_year: int | None = None, raw: str | bytes | None = None, **changes) -> Path:
        data = dict(VALID_PROFILE if meta is None else meta)
        data.update(changes)
        folder = self.root / "profiles" / str(folder_year or data.get("year", 2024)) / slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "index.md"
        if isinstance(raw, bytes):
            path.write_bytes(raw)
        elif raw is not None:
            path.write_text(raw, encoding="utf-8")
        else:
            front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
        return path

    def write_mkdocs_yml(self) -> Path:
        config = (
            "site_name: Thử nghiệm\nsite_url: https://example.test/\ndocs_dir: content\nsite_dir: site\n"
            "theme:\n  name: material\n  language: vi\n  font: false\n"
            "plugins:\n  - dienhinh\n"
            "markdown_extensions:\n  - toc:\n      permalink: true\n"
            "      slugify: !!python/name:generator.core.slugs.heading_slug\n"
        )
        path = self.root / "mkdocs.yml"
        path.write_text(config, encoding="utf-8")
        return path


def _scratch_project(root: Path) -> ScratchProject:
    shutil.copytree(MINI, root, dirs_exist_ok=True)
    (root / "profiles").mkdir(exist_ok=True)
    return ScratchProject(root)


@pytest.fixture
def project(tmp_path: Path) -> ScratchProject:
    return _scratch_project(tmp_path)


@pytest.fixture(scope="module")
def shared_project(tmp_path_factory) -> ScratchProject:
    """A scratch project for a site that one module builds once and its tests only read."""
    return _scratch_project(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def module_monkeypatch():
    """monkeypatch for module-scoped fixtures (pytest's own is per test)."""
    with pytest.MonkeyPatch.context() as patch:
        yield patch


SAMPLE_TODAY = "2026-11-27"  # a fixed "today", so embargoes in the sample data are stable
SAMPLE_EPOCH = "1795737600"  # the same day as a moment: the sitemap's dates do not cross midnight


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The bundled sample site, built once per session with --strict into a temporary folder."""
    import os

    from generator.adapters.build import build_site

    os.environ["DIENHINH_TODAY"], os.environ["SOURCE_DATE_EPOCH"] = SAMPLE_TODAY, SAMPLE_EPOCH
    try:
        return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("sample") / "site", strict=True)
    finally:
        del os.environ["DIENHINH_TODAY"], os.environ["SOURCE_DATE_EPOCH"]


def person_key(full_name: str) -> tuple:
    """Where a person's name goes on a roster (given name, family name, middle names)."""
    from generator.core.collation import roster_key, roster_words
    from generator.core.model import RosterRules

    return roster_key(roster_words(full_name, "ca-nhan", RosterRules()))
