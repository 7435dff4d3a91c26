"""Golden outputs for the shape of generated pages (the Markdown handed to MkDocs).

Regenerate after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_golden.py
and review the diff like any other change.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.render.site import render_site

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
PAGES = ("index.md", "phong-trao/nong-thon-moi/index.md", "dia-phuong/dien-ban/index.md",
         "ho-so/nguyen-van-an/index.md")


@pytest.fixture
def pages(project):
    project.write_profile("nguyen-van-an", awards=[{"code": "cstd-co-so", "year": 2024, "decision": "QĐ 12/QĐ-UBND"}],
                          replicated_in=[{"locality": "an-phu", "year": 2025, "note": "3 hộ học tập"}])
    project.write_profile("hop-tac-xa", subject={"kind": "tap-the", "name": "Hợp tác xã Điện Phước"}, consent=None,
                          nominated_by="so-nnptnt", summary="Hợp tác xã làm dịch vụ nông nghiệp.")
    result = check_project(ProjectPaths.at(project.root))
    assert result.problems == ()
    catalog = build_catalog(result.registries, result.profiles, dt.date(2026, 1, 1))
    intro = (project.root / "content/index.md").read_text(encoding="utf-8")
    return {p.path: p.markdown for p in render_site(catalog, intro).pages}


@pytest.mark.parametrize("path", PAGES)
def test_page_matches_golden(pages, path):
    golden = GOLDEN / path.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(pages[path], encoding="utf-8")
    assert pages[path] == golden.read_text(encoding="utf-8")
