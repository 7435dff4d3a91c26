"""Checks kept between builds (check/memo.py): the same profiles and problems as a fresh check,
for every kind of file the corpus holds and for the sample profiles; checked again exactly when
the file, the files beside it, the registries or the code change; damaged entries never used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from generator.check.memo import SECTION, CheckMemo
from generator.check.project import CheckResult, ProjectPaths, check_project
from generator.infra.output_cache import digest_bytes
from generator.infra.records import RecordCodec, RecordUnreadable

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"


def checked_with_memo(paths: ProjectPaths, cache: Path) -> tuple[CheckResult, CheckMemo]:
    memo = CheckMemo(cache, paths.data)
    return check_project(paths, memo=memo), memo


def test_kept_checks_give_what_a_fresh_check_gives_for_every_corpus_file(project, tmp_path):
    for source in sorted(CORPUS.glob("*.md")):
        folder = project.root / "profiles" / "2024" / source.stem.replace("_", "-")
        folder.mkdir(parents=True)
        shutil.copyfile(source, folder / "index.md")
    paths = ProjectPaths.at(project.root)
    fresh = check_project(paths)
    assert fresh.profiles and len({p.code for p in fresh.problems}) > 20  # valid files and every kind of refusal

    first, memo = checked_with_memo(paths, tmp_path / "cache")
    assert first == fresh
    assert memo.recalled == 0 and memo.remembered >= len(fresh.profiles)
    stored = memo.remembered
    second, memo = checked_with_memo(paths, tmp_path / "cache")
    assert second == fresh
    assert memo.recalled == stored and memo.remembered == 0


def test_kept_checks_of_the_sample_profiles_are_equal_to_fresh_ones(tmp_path):
    """Photos, awards, history, replications, consent, sources: every field of the model survives."""
    paths = ProjectPaths.at(REPO)
    fresh = check_project(paths)
    checked_with_memo(paths, tmp_path / "cache")
    second, memo = checked_with_memo(paths, tmp_path / "cache")
    assert memo.recalled == fresh.files_checked and memo.remembered == 0
    assert second == fresh
    assert [p.source_path for p in second.profiles] == [p.source_path for p in fresh.profiles]


def test_a_file_is_checked_again_when_it_its_folder_or_the_registries_change(project, tmp_path):
    for slug in ("an", "binh", "chau"):
        project.write_profile(slug, subject={"kind": "ca-nhan", "name": f"Người {slug}"})
    paths = ProjectPaths.at(project.root)
    cache = tmp_path / "cache"
    checked_with_memo(paths, cache)

    project.write_profile("binh", movement="khong-co-phong-trao")
    result, memo = checked_with_memo(paths, cache)
    assert (memo.recalled, memo.remembered) == (2, 1)
    assert [(p.code, p.path) for p in result.errors] == [("DH030", "profiles/2024/binh/index.md")]
    assert result == check_project(paths)

    (project.root / "profiles" / "2024" / "chau" / "index-1.md").write_text("---\ntitle: x\n---\n", "utf-8")
    result, memo = checked_with_memo(paths, cache)
    assert (memo.recalled, memo.remembered) == (2, 1)
    assert "DH065" in {p.code for p in result.problems}
    assert result == check_project(paths)

    movements = project.root / "data" / "movements.yml"
    movements.write_text(movements.read_text("utf-8") + "\n# một dòng chú thích\n", "utf-8")
    result, memo = checked_with_memo(paths, cache)
    assert (memo.recalled, memo.remembered) == (0, 3)
    assert result == check_project(paths)


def test_a_damaged_or_foreign_entry_is_checked_again_never_used(project, tmp_path):
    for slug in ("an", "binh"):
        project.write_profile(slug, subject={"kind": "ca-nhan", "name": f"Người {slug}"})
    paths = ProjectPaths.at(project.root)
    cache = tmp_path / "cache"
    fresh, _ = checked_with_memo(paths, cache)
    section = cache / SECTION
    manifest = json.loads((section / "manifest.json").read_text("utf-8"))
    keys = sorted(manifest["pages"])
    first = section / manifest["pages"][keys[0]][0][:2] / f"{manifest['pages'][keys[0]][0]}.json"
    first.write_bytes(first.read_bytes()[:-5])  # truncated
    foreign = b'{"profile": "not ours"}'  # intact bytes, named by their own digest, of another shape
    digest = digest_bytes(foreign)
    (section / digest[:2]).mkdir(exist_ok=True)
    (section / digest[:2] / f"{digest}.json").write_bytes(foreign)
    manifest["pages"][keys[1]][0] = digest
    (section / "manifest.json").write_text(json.dumps(manifest), "utf-8")

    result, memo = checked_with_memo(paths, cache)
    assert (memo.recalled, memo.remembered) == (0, 2)
    assert result == fresh
    result, memo = checked_with_memo(paths, cache)
    assert (memo.recalled, memo.remembered) == (2, 0)


def test_records_refuse_bytes_of_another_shape():
    codec: RecordCodec[tuple[int, str]] = RecordCodec(tuple[int, str])
    assert codec.decode(codec.encode((1, "một"))) == (1, "một")
    for data in (b'["1", "x"]', b"[1]", b"{", b""):
        try:
            codec.decode(data)
        except RecordUnreadable:
            continue
        raise AssertionError(f"{data!r} was decoded")
