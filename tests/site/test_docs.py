"""The editors' guide stays in step with the schema and the problem codes (Datasette-style)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.load import schema
from generator.load.registries import REGISTRY_FILES

REPO = Path(__file__).resolve().parents[2]
GUIDE = (REPO / "content" / "huong-dan-bien-tap.md").read_text(encoding="utf-8")


def test_every_front_matter_key_is_documented():
    missing = [f.name for f in schema.PROFILE_FIELDS if f"`{f.name}`" not in GUIDE]
    for parent, fields in schema.NESTED_FIELDS.items():
        for field in fields:
            if f"`{parent}.{field.name}`" not in GUIDE and f"`{field.name}`" not in GUIDE:
                missing.append(f"{parent}.{field.name}")
    assert missing == []


def test_subject_and_consent_keys_documented_with_their_parent():
    for parent in ("subject", "consent"):
        for field in schema.NESTED_FIELDS[parent]:
            assert f"`{parent}.{field.name}`" in GUIDE


def test_every_problem_code_is_documented():
    used = set()
    for path in (REPO / "generator").rglob("*.py"):
        used |= set(re.findall(r"\"(DH\d{3})\"", path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^\| (DH\d{3}) \|", GUIDE, re.MULTILINE))
    assert used - documented == set()
    assert documented - used == set(), "codes in the guide that no code emits"


def test_every_registry_file_is_documented():
    for name in REGISTRY_FILES:
        assert f"`data/{name}`" in GUIDE


def test_the_example_profile_in_the_guide_checks_clean(tmp_path):
    """The example an editor copies must itself be right (its commune under its own district's UBND)."""
    import shutil

    from generator.check.project import ProjectPaths, check_project

    example = re.search(r"```yaml\n(---\n.*?\n---)\n```", GUIDE, re.DOTALL).group(1)
    shutil.copytree(REPO / "data", tmp_path / "data")
    bundle = tmp_path / "profiles" / "2024" / "nguyen-van-hung"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text(example + "\n\n## Thành tích nổi bật\n\nNội dung.\n", encoding="utf-8")
    result = check_project(ProjectPaths.at(tmp_path))
    assert [p for p in result.problems if p.path.startswith("profiles/")] == [] and len(result.profiles) == 1
    profile = result.profiles[0]
    localities = result.registries.locality_by_id()
    district = localities[localities[profile.locality].parent]
    assert profile.nominated_by == f"ubnd-{district.id}"
