"""Loader and validator on small named inputs: each bad input gets its code, line and message."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from conftest import VALID_PROFILE
from generator.check import validate
from generator.check.project import ProjectPaths, check_project
from generator.core.model import Profile
from generator.load import schema


def run(project):
    return check_project(ProjectPaths.at(project.root))


def codes(result):
    return sorted({p.code for p in result.problems})


def test_valid_profile_loads(project):
    project.write_profile("nguyen-van-an")
    result = run(project)
    assert result.problems == ()
    [profile] = result.profiles
    assert profile.slug == "nguyen-van-an"
    assert profile.subject.name == "Nguyễn Văn An"
    assert profile.locality == "dien-phuoc"
    assert profile.body.startswith("## Thành tích nổi bật")


def test_body_line_points_at_first_body_line(project):
    path = project.write_profile("an")
    lines = path.read_text(encoding="utf-8").splitlines()
    [profile] = run(project).profiles
    assert lines[profile.body_line - 1] == "## Thành tích nổi bật"


def test_missing_front_matter(project):
    project.write_profile("x", raw="# Chỉ có nội dung\n")
    [problem] = run(project).problems
    assert (problem.code, problem.line, problem.path) == ("DH010", 1, "profiles/2024/x/index.md")
    assert "front matter" in problem.message


def test_unclosed_front_matter(project):
    project.write_profile("x", raw="---\ntitle: a\n")
    assert codes(run(project)) == ["DH011"]


def test_malformed_yaml_names_the_line(project):
    project.write_profile("x", raw="---\ntitle: a\nsummary: b: c\n---\nbody\n")
    [problem] = run(project).problems
    assert problem.code == "DH012"
    assert problem.line == 3
    assert "dấu “:”" in problem.message


def test_front_matter_that_is_a_list(project):
    project.write_profile("x", raw="---\n- a\n- b\n---\n")
    assert codes(run(project)) == ["DH013"]


def test_duplicate_key(project):
    project.write_profile("x", raw="---\ntitle: a\ntitle: b\n---\n")
    problem = next(p for p in run(project).problems)
    assert problem.code == "DH015" and problem.line == 3


def test_billion_laughs_fails_fast(project):
    levels = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    project.write_profile("bomb", raw="---\n" + "\n".join(levels) + "\n---\n")
    [problem] = run(project).problems
    assert problem.code == "DH014"


def test_unknown_movement_suggests_code(project):
    project.write_profile("x", movement="nong-thon-mo")
    [problem] = run(project).problems
    assert problem.code == "DH030"
    assert problem.suggestion == "nong-thon-moi"
    assert problem.field == "movement" and problem.line == 7


def test_a_profile_dated_outside_its_movements_period_is_a_warning_naming_the_period(project):
    project.write_profile("truoc", year=2019, locality="dien-ban")  # nong-thon-moi runs 2021-2025
    project.write_profile("trong", year=2021, locality="dien-ban")
    project.write_profile("khong-ghi", year=2019, movement="dan-van-kheo", locality="dien-ban")  # no period
    result = run(project)
    [problem] = result.problems
    assert (problem.code, problem.severity, problem.field) == ("DH039", "warning", "year")
    assert problem.path.endswith("truoc/index.md") and problem.line
    assert "năm 2019" in problem.message and "2021-2025" in problem.message
    assert len(result.profiles) == 3  # a warning: the profile is still published


@pytest.mark.parametrize("period", ["2021", "2025-2021", "giai đoạn 1"])
def test_a_movement_period_that_is_not_two_years_is_refused(project, period):
    movements = project.root / "data" / "movements.yml"
    text = movements.read_text(encoding="utf-8")
    movements.write_text(text.replace('period: "2021-2025"', f'period: "{period}"', 1), encoding="utf-8")
    [problem] = [p for p in run(project).problems if p.code == "DH024"]
    assert problem.path == "data/movements.yml" and problem.line == 2
    assert f"giai đoạn “{period}” không hợp lệ" in problem.message


def test_unaccented_locality_name_suggests_id(project):
    project.write_profile("x", locality="Dien Ban")
    [problem] = run(project).problems
    assert (problem.code, problem.suggestion) == ("DH031", "dien-ban")


def test_locality_by_exact_name_resolves(project):
    project.write_profile("x", locality="Xã Điện Phước")
    assert run(project).profiles[0].locality == "dien-phuoc"


def test_locality_code_resolves_by_year(project):
    # 20701 is Điện Phước until 2025-06-30 and Điện Bàn Đông from 2025-07-01.
    project.write_profile("old", locality="20701", year=2024)
    project.write_profile("new", locality="20701", year=2026, nominated_by="so-nnptnt")
    by_slug = {p.slug: p for p in run(project).profiles}
    assert by_slug["old"].locality == "dien-phuoc"
    assert by_slug["new"].locality == "dien-ban-dong"


def test_ambiguous_locality_name(project):
    project.write_profile("x", locality="An Phú")
    [problem] = run(project).problems
    assert problem.code == "DH032"
    assert "an-phu-tam-ky" in problem.message and "an-phu" in problem.message


def test_locality_not_valid_in_year(project):
    project.write_profile("x", locality="dien-ban-dong", year=2023)
    assert codes(run(project)) == ["DH033"]


def test_unknown_agency_and_wrong_types(project):
    project.write_profile("x", nominated_by="so-nong-nghiep", year="hai nghìn")
    found = {p.code: p for p in run(project).problems}
    assert "DH034" in found and "DH021" in found
    assert found["DH021"].field == "year"


def test_missing_required_field(project):
    meta = dict(VALID_PROFILE)
    del meta["summary"]
    project.write_profile("x", meta=meta)
    [problem] = run(project).problems
    assert problem.code == "DH020" and "summary" in problem.message


def test_invalid_date(project):
    project.write_profile("x", nominated_on="2024-02-30")
    [problem] = run(project).problems
    assert problem.code == "DH022" and problem.field == "nominated_on"


def test_a_source_address_that_is_not_a_web_address_is_refused_on_its_line(project):
    path = project.write_profile("x", sources=[{"title": "Báo Quảng Nam", "url": "javascript:alert(1)"}])
    [problem] = run(project).problems
    assert (problem.code, problem.field) == ("DH026", "sources.0.url")
    assert "http:// hoặc https://" in problem.message
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1].strip().startswith("url:")


def test_every_front_matter_key_is_a_profile_attribute_read_by_its_declaration_or_its_own_reader():
    """A new key declared with a converter needs no validator code; one without must have a reader."""
    attributes = {field.name for field in dataclasses.fields(Profile)}
    for spec in schema.PROFILE_FIELDS:
        assert spec.name in attributes, spec.name
        read_by_declaration = spec.convert is not None or (spec.fields and spec.record is not None)
        assert read_by_declaration or spec.name in validate._OWN_READERS, spec.name
        for child in spec.fields:
            assert child.convert is not None, f"{spec.name}.{child.name}"


def test_unknown_key_suggests_known_one(project):
    project.write_profile("x", sumary="…")
    [problem] = run(project).problems
    assert (problem.code, problem.suggestion) == ("DH016", "summary")


def test_summary_too_long(project):
    project.write_profile("x", summary="a" * 401)
    assert codes(run(project)) == ["DH023"]


def test_person_without_consent_is_an_error(project):
    meta = {k: v for k, v in VALID_PROFILE.items() if k != "consent"}
    project.write_profile("x", meta=meta)
    [problem] = run(project).problems
    assert problem.code == "DH040"


def test_collective_needs_no_consent(project):
    meta = {k: v for k, v in VALID_PROFILE.items() if k != "consent"}
    meta["subject"] = {"kind": "tap-the", "name": "Hợp tác xã Điện Phước"}
    project.write_profile("x", meta=meta)
    assert run(project).problems == ()


def test_duplicate_slug_across_years(project):
    project.write_profile("an", year=2023)
    project.write_profile("an", year=2024)
    result = run(project)
    assert codes(result) == ["DH060"]
    assert result.profiles == ()
    assert {p.path for p in result.problems} == {"profiles/2023/an/index.md", "profiles/2024/an/index.md"}


def test_year_folder_mismatch(project):
    project.write_profile("x", folder_year=2023, year=2024)
    assert codes(run(project)) == ["DH061"]


def test_photo_missing_and_outside_bundle(project):
    project.write_profile("x", photos=[{"file": "khong-co.jpg", "alt": "Ảnh"},
                                       {"file": "../../../etc/passwd", "alt": "x"}, {"file": "a.jpg"}])
    found = codes(run(project))
    assert {"DH050", "DH051", "DH052"} <= set(found)


def test_not_utf8_names_encoding(project):
    project.write_profile("x", raw=b"---\ntitle: \xd0a\xf2 N\xe0\n---\n")
    [problem] = run(project).problems
    assert problem.code == "DH002"


def test_nfd_text_is_normalised(project):
    import unicodedata
    project.write_profile("x", subject={"kind": "tap-the", "name": unicodedata.normalize("NFD", "Tổ Điện")})
    [profile] = run(project).profiles
    assert profile.subject.name == unicodedata.normalize("NFC", "Tổ Điện")


def test_one_bad_profile_does_not_hide_others(project):
    project.write_profile("good")
    project.write_profile("bad", raw="---\n: :\n---\n")
    result = run(project)
    assert [p.slug for p in result.profiles] == ["good"]
    assert all(p.path == "profiles/2024/bad/index.md" for p in result.problems)


def test_award_for_another_kind_is_a_warning(project):
    project.write_profile("x", subject={"kind": "tap-the", "name": "Tổ hợp tác"}, consent=None,
                          awards=[{"code": "cstd-co-so", "year": 2024}])
    result = run(project)
    [problem] = result.problems
    assert (problem.code, problem.severity) == ("DH037", "warning")
    assert result.profiles[0].awards[0].title == "Chiến sĩ thi đua cơ sở"


TYPED_AWARDS = [  # (what an editor typed as free text, the registry title it names)
    ("“Huân chương Lao động” hạng ba", "huan-chuong-lao-dong-hang-ba"),  # the law's quotes, lower case
    ("Huân chương Độc lập hạng Ba.", "huan-chuong-doc-lap-hang-ba"),
    ("Bằng khen của Chủ tịch UBND tỉnh", "bang-khen-chu-tich-ubnd-tinh"),  # an alias
    ("Chiến sĩ thi đua  cấp tỉnh", "cstd-tinh"),
    ("Nghệ nhân ưu tú", "nghe-nhan-uu-tu"),  # an honorary title
    ("Huy chương Chiến sĩ vẻ vang hạng Nhất", "huy-chuong-chien-si-ve-vang-hang-nhat"),
    ("Bằng khen của Ban Thường vụ Tỉnh ủy", None),  # not in the registry: kept as typed
]


def test_an_award_typed_as_free_text_is_the_registry_title_it_names(project):
    from conftest import REPO
    from generator.core.editions import matches_selection
    from generator.core.media_model import Selection

    registry = (REPO / "data" / "awards.yml").read_text(encoding="utf-8")
    (project.root / "data" / "awards.yml").write_text(registry, encoding="utf-8")
    project.write_profile("x", awards=[{"title": typed, "year": 2023} for typed, _ in TYPED_AWARDS])
    result = run(project)
    assert result.problems == ()
    awards = result.profiles[0].awards
    assert [a.code for a in awards] == [code for _, code in TYPED_AWARDS]
    assert awards[0].title == "Huân chương Lao động hạng Ba" and awards[0].level == "nha-nuoc"
    assert awards[-1].title == "Bằng khen của Ban Thường vụ Tỉnh ủy"
    # ... so a State award typed by hand is not lost from the Kỷ yếu of State awards.
    ky_yeu = Selection(award_levels=("nha-nuoc",), award_from=2020, award_to=2025)
    assert matches_selection(ky_yeu, result.profiles[0])


def test_the_awards_registry_follows_the_2022_law():
    from conftest import REPO
    from generator.core.collation import same_name
    from generator.load.registries import load_registries

    registries, problems = load_registries(REPO / "data")
    assert problems == []
    names = {a.name for a in registries.awards}
    assert "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh" in names
    assert {"Huân chương Sao vàng", "Huân chương Hồ Chí Minh", "Huân chương Độc lập hạng Nhất",
            "Huân chương Quân công hạng Nhì", "Huân chương Chiến công hạng Ba", "Huân chương Dũng cảm",
            "Huân chương Đại đoàn kết dân tộc", "Huân chương Hữu nghị", "Huy chương Quân kỳ quyết thắng",
            "Huy chương Vì an ninh Tổ quốc", "Huy chương Hữu nghị", "Kỷ niệm chương", "Tỉnh Anh hùng",
            "Thành phố Anh hùng", "Nhà giáo nhân dân", "Thầy thuốc ưu tú", "Nghệ sĩ nhân dân",
            "Nghệ nhân ưu tú"} <= names
    spellings = [same_name(text) for a in registries.awards for text in (a.name, *a.aliases)]
    assert len(spellings) == len(set(spellings))  # an alias never names two titles


def test_withdrawn_consent_unpublishes_with_a_warning(project):
    from generator.core.catalog import build_catalog

    project.write_profile("x", consent={"obtained": True, "date": "2024-01-10", "withdrawn": True})
    result = run(project)
    [problem] = result.problems
    assert (problem.code, problem.severity) == ("DH042", "warning")
    catalog = build_catalog(result.registries, result.profiles, dt.date(2026, 1, 1))
    assert catalog.profiles == () and catalog.by_locality == {}


# --- dates that do not exist ----------------------------------------------------------------

PROFILE_WITH_DATES = """\
---
title: "Người nông dân làm giàu từ cây quế"
summary: "Ông An trồng quế hữu cơ và giúp nhiều hộ thoát nghèo."
subject:
  kind: ca-nhan
  name: "Nguyễn Văn An"
movement: nong-thon-moi
locality: dien-phuoc
nominated_by: ubnd-dien-ban
year: 2024
stage: gioi-thieu
nominated_on: {nominated_on}
publish_on: {publish_on}
consent:
  obtained: true
  date: {consent_date}
history:
  - date: {history_date}
    stage: phat-hien
---

## Thành tích nổi bật

Nội dung.
"""
GOOD_DATES = {"nominated_on": "2024-02-01", "publish_on": "2024-03-01", "consent_date": "2024-01-10",
              "history_date": "2023-05-01"}
FIELD_LINES = {"nominated_on": 12, "publish_on": 13, "consent_date": 16, "history_date": 18}
FIELD_NAMES = {"nominated_on": "nominated_on", "publish_on": "publish_on", "consent_date": "consent.date",
               "history_date": "history.0.date"}


@pytest.mark.parametrize("bad", ["2024-02-31", "2024-13-01", "2023-02-29", "'2024-02-31'", '"2024-13-01"',
                                 "31/02/2024"])
@pytest.mark.parametrize("field", sorted(GOOD_DATES))
def test_a_date_that_does_not_exist_is_reported_on_its_line(project, field, bad):
    """Unquoted, YAML itself would build the date and fail: the loader hands it over as text."""
    project.write_profile("x", raw=PROFILE_WITH_DATES.format(**{**GOOD_DATES, field: bad}))
    result = run(project)
    [problem] = result.problems
    assert (problem.code, problem.line, problem.path) == ("DH022", FIELD_LINES[field], "profiles/2024/x/index.md")
    assert bad.strip("'\"") in problem.message and "không phải ngày hợp lệ" in problem.message
    assert problem.field == FIELD_NAMES[field]
    assert result.profiles == ()


def test_the_same_profile_with_real_dates_loads(project):
    project.write_profile("x", raw=PROFILE_WITH_DATES.format(**GOOD_DATES))
    result = run(project)
    assert result.problems == ()
    [profile] = result.profiles
    assert profile.nominated_on == dt.date(2024, 2, 1) and profile.consent.date == dt.date(2024, 1, 10)


@pytest.mark.parametrize(("change", "code", "words"), [
    ("{parent: khong-co}", "DH020", "“date”"),
    ("{date: 2025-01-01, parent: khong-co}", "DH091", "“khong-co”"),
    ("{date: 2025-02-30, type: phuong}", "DH022", "2025-02-30"),
])
def test_a_bad_dated_change_of_a_locality_names_the_registry(project, change, code, words):
    localities = project.root / "data" / "localities.yml"
    text = localities.read_text(encoding="utf-8")
    marker = "id: dien-phuoc,"
    assert marker in text
    localities.write_text(text.replace(marker, f"{marker} changes: [{change}],", 1), encoding="utf-8")
    problems = [p for p in run(project).problems if p.code == code]
    assert problems and problems[0].path == "data/localities.yml" and words in problems[0].message


def test_a_registry_date_that_does_not_exist_names_the_registry(project):
    localities = project.root / "data" / "localities.yml"
    text = localities.read_text(encoding="utf-8")
    assert "valid_to: 2024-12-31" in text
    localities.write_text(text.replace("valid_to: 2024-12-31", "valid_to: 2024-12-32", 1), encoding="utf-8")
    problems = [p for p in run(project).problems if p.code == "DH022"]
    assert problems and problems[0].path == "data/localities.yml" and problems[0].line
    assert "2024-12-32" in problems[0].message


# --- lengths, line breaks and hidden characters ------------------------------------------------

LIMITED = [  # (front matter changes, field, limit)
    ({"title": "Đ" * 201}, "title", 200),
    ({"subject": {"kind": "ca-nhan", "name": "Nguyễn Văn An " * 20_000}}, "subject.name", 150),
    ({"subject": {"kind": "ca-nhan", "name": "An", "position": "x" * 201}}, "subject.position", 200),
    ({"photos": [{"file": "a.jpg", "alt": "ảnh " * 100}]}, "photos.0.alt", 300),
    ({"history": [{"date": "2024-01-01", "stage": "phat-hien", "note": "ghi chú " * 200}]}, "history.0.note", 1000),
    ({"tags": ["quế", "t" * 51]}, "tags", 50),
]


@pytest.mark.parametrize("changes, field, limit", LIMITED, ids=[f for _, f, _ in LIMITED])
def test_each_text_field_has_a_length_limit(project, changes, field, limit):
    project.write_profile("x", **changes)
    [problem] = [p for p in run(project).problems if p.code == "DH027"]
    assert problem.field == field and problem.line
    assert f"tối đa {limit:,} ký tự".replace(",", ".") in problem.message


def test_a_name_of_a_hundred_thousand_characters_is_refused(project):
    project.write_profile("x", subject={"kind": "ca-nhan", "name": "Nguyễn Văn An " * 7_200})
    result = run(project)
    assert [p.code for p in result.errors] == ["DH027"] and "dài 100.799 ký tự" in result.errors[0].message


@pytest.mark.parametrize("title, code, says", [
    ("Dòng một\nDòng hai giả mạo", "DH028", "chỉ được viết trên một dòng"),
    ("Dòng một\rẢnh: giả", "DH028", "chỉ được viết trên một dòng"),
    ("Chuông\x07reo", "DH028", "U+0007"),
    ("Tên \u202eđảo ngược", "DH029", "U+202E"),
    ("Cô lập \u2067chữ\u2069", "DH029", "U+2067"),
])
def test_single_line_fields_refuse_breaks_and_hidden_characters(project, title, code, says):
    project.write_profile("x", title=title)
    [problem] = run(project).problems
    assert (problem.code, problem.field, problem.line) == (code, "title", 2)
    assert says in problem.message


def test_notes_may_have_line_breaks_but_no_hidden_characters(project):
    project.write_profile("x", history=[{"date": "2024-01-01", "stage": "phat-hien", "note": "Một.\nHai."}])
    assert run(project).problems == ()
    project.write_profile("x", history=[{"date": "2024-01-01", "stage": "phat-hien", "note": "Một.\u202eHai."}])
    assert [p.code for p in run(project).problems] == ["DH029"]


def test_a_bidirectional_override_in_the_story_is_reported_on_its_line(project):
    path = project.write_profile("x", body="## Thành tích nổi bật\n\nDòng thường.\nTên \u202eđảo ngược.\n")
    [problem] = run(project).problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.code == "DH029" and "U+202E" in problem.message
    assert "\u202e" in lines[problem.line - 1]


def test_a_control_character_in_the_story_is_reported_on_its_line(project):
    path = project.write_profile("x", body="## Thành tích nổi bật\n\nDòng thường.\nMàu \x1b[31mđỏ.\n")
    [problem] = run(project).problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.code == "DH028" and "U+001B" in problem.message
    assert "\x1b" in lines[problem.line - 1]


def test_a_mistake_in_a_profile_is_reported_there_first_and_its_consequences_after(project):
    """An event and an edition name a profile that check refuses: the profile's own error comes
    first; what follows from it comes next, says so, and is not counted as another error."""
    import yaml

    project.write_profile("an", nominated_on="2024-02-31")  # one mistake, in the profile
    project.write_profile("binh")
    (project.root / "data" / "events.yml").write_text(yaml.safe_dump({"events": [
        {"code": "toa-dam", "name": "Tọa đàm", "kind": "toa-dam", "date": "2024-06-10", "place": "Hội trường",
         "organiser": "so-nnptnt", "profiles": ["an", "binh"]}]}, allow_unicode=True), encoding="utf-8")
    problems = check_project(ProjectPaths.at(project.root)).problems
    assert [(p.code, p.path, p.severity) for p in problems] == [
        ("DH022", "profiles/2024/an/index.md", "error"),
        ("DH096", "data/events.yml", "warning"),
    ]
    assert "có lỗi ở “profiles/2024/an/index.md” (xem ở trên)" in problems[1].message
    assert problems[1].format().startswith("data/events.yml:")


def test_an_event_naming_a_profile_that_does_not_exist_is_its_own_error(project):
    import yaml

    project.write_profile("binh")
    (project.root / "data" / "events.yml").write_text(yaml.safe_dump({"events": [
        {"code": "toa-dam", "name": "Tọa đàm", "kind": "toa-dam", "date": "2024-06-10", "place": "Hội trường",
         "organiser": "so-nnptnt", "profiles": ["khong-co"]}]}, allow_unicode=True), encoding="utf-8")
    [problem] = check_project(ProjectPaths.at(project.root)).problems
    assert (problem.code, problem.severity, problem.follows) == ("DH096", "error", "")


def test_markdown_beside_a_bundles_index_is_named_and_the_profile_stands(project):
    """The web editor writes a second profile of a taken folder as index-1.md beside the first."""
    path = project.write_profile("an")
    (path.parent / "index-1.md").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (path.parent / "ghi-chu.txt").write_text("không phải Markdown", encoding="utf-8")
    result = run(project)
    [problem] = result.problems
    assert (problem.code, problem.severity, problem.path) == ("DH065", "error", "profiles/2024/an/index-1.md")
    assert "không được đọc" in problem.message and [p.slug for p in result.profiles] == ["an"]
