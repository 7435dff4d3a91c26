"""Unsafe HTML and personal data: reported by check with file, line and a masked match."""

from __future__ import annotations

import pytest

from conftest import REPO, VALID_PROFILE
from generator.check.privacy import mask
from generator.check.project import ProjectPaths, check_project
from generator.check.sanitize import export_html, safe_markdown, sanitize_profile_html
from generator.load.profiles import parse_profile_text
from hostile_support import BODY_PAYLOADS, live_in_markdown


def problems(project):
    return check_project(ProjectPaths.at(project.root)).problems


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "<iframe src='https://evil.example'></iframe>", "<style>body{display:none}</style>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "<svg onload=alert(1)>",
])
def test_sanitiser_removes_active_content(html):
    clean = sanitize_profile_html(f"<p>{html}</p>")
    for needle in ("<script", "onerror", "javascript:", "<iframe", "<style", "data:text", "onload", "<svg"):
        assert needle not in clean



# The second line: what check misses, Markdown handed to other engines still does not carry.
@pytest.mark.parametrize("payload", BODY_PAYLOADS)
def test_safe_markdown_leaves_nothing_alive_in_either_engine(payload):
    made_safe = safe_markdown(payload)
    assert live_in_markdown(made_safe) == []
    assert made_safe.count("\n") == payload.count("\n")  # problems found later keep their lines
    assert "dhxss" in made_safe or payload.startswith("<!--")  # shown as text, not silently dropped


def test_raw_payloads_are_alive_so_the_reader_can_see_them():
    alive = [payload for payload in BODY_PAYLOADS if live_in_markdown(payload)]
    assert len(alive) >= len(BODY_PAYLOADS) - 3


@pytest.mark.parametrize("body", [
    '## Mục {: #muc .lead }\n\nÔng nói: <em>làm giàu</em> từ <abbr title="Hợp tác xã">HTX</abbr>.',
    '<figure><img src="anh.jpg" alt="Vườn quế" width="800"><figcaption>Ảnh: <b>Báo</b></figcaption></figure>',
    "[trang](https://example.org) và [thư](mailto:a@b.vn), [1], <https://example.org>\n\n[1]: tai-lieu.pdf",
    "Giá trị a < b > c; 5 < 7; mũi tên ->; data: năm 2024; javascript là ngôn ngữ.",
    "| Năm | Sản lượng |\n|---|---|\n| 2024 | 12 tấn |",
])
def test_safe_markdown_keeps_what_an_editor_writes(body):
    assert safe_markdown(body) == body


def test_safe_markdown_keeps_every_sample_story():
    for path in sorted((REPO / "profiles").glob("*/*/index.md")):
        raw = parse_profile_text(path.read_text(encoding="utf-8"), str(path), path.parent)
        assert safe_markdown(raw.body) == raw.body, path


def test_export_html_keeps_meaning_drops_styling_and_makes_links_absolute():
    html = ('<p class="x" onclick="y()">Xem <a href="tai-lieu.pdf" id="a">tài liệu</a>'
            '<span>và</span> <img src="anh.jpg" alt="quế" width="9"><script>z()</script></p>')
    clean = export_html(html, lambda url: "https://t.vn/ho-so/an/" + url)
    assert clean == ('<p>Xem <a href="https://t.vn/ho-so/an/tai-lieu.pdf">tài liệu</a>và '
                     '<img src="https://t.vn/ho-so/an/anh.jpg" alt="quế"></p>')


@pytest.mark.parametrize("body", ["<script>alert(1)</script>", "<p onclick=\"x()\">a</p>",
                                  "[bấm](javascript:alert(1))", "<iframe src=x>"])
def test_active_content_in_body_is_reported_with_line(project, body):
    project.write_profile("x", body=f"## Mục\n\n{body}\n")
    [problem] = problems(project)
    assert problem.code == "DH070"
    lines = (project.root / "profiles/2024/x/index.md").read_text(encoding="utf-8").splitlines()
    assert body in lines[problem.line - 1]


def test_active_content_in_front_matter_is_reported(project):
    project.write_profile("x", title="<script>alert(1)</script>")
    [problem] = problems(project)
    assert (problem.code, problem.field, problem.line) == ("DH070", "title", 2)


@pytest.mark.parametrize("body, named", [
    ("<img/src/onerror=alert(1)>", "onerror="),  # attributes separated by "/", as browsers read them
    ("<svg/onload=alert(1)>", "<svg"),
    ('<a href="&#106;avascript:alert(1)">bấm</a>', "href=javascript:"),  # an entity-encoded scheme
    ('<a href="java&#9;script:alert(1)">bấm</a>', "href=javascript:"),  # a tab browsers ignore
    ("[bấm][1]\n\n[1]: javascript:alert(1)", "javascript:"),  # a reference-style link definition
    ("[bấm][1]\n\n[1]: <JaVaScRiPt:alert(1)>", "javascript:"),
    ("[bấm](&#106;avascript:alert(1))", "javascript:"),
    ("<JAVASCRIPT:alert(1)>", "javascript:"),  # an autolink
    ("Lời kể </script><b>tiếp</b>", "</script"),  # a closing tag alone ends a script elsewhere
])
def test_disguised_active_content_is_named_on_its_line(project, body, named):
    path = project.write_profile("x", body=f"## Mục\n\nMở đầu.\n\n{body}\n")
    [problem] = problems(project)
    assert problem.code == "DH070" and f"“{named}”" in problem.message, problem.message
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] in body.splitlines() and lines[problem.line - 1].strip()


def test_a_closing_script_tag_in_a_history_note_is_refused(project):
    project.write_profile("x", history=[{"date": "2024-01-01", "stage": "phat-hien",
                                         "note": "Ghi chú </script><script>alert(1)</script>"}])
    [problem] = problems(project)
    assert (problem.code, problem.field) == ("DH070", "history.0.note") and "“</script”" in problem.message


@pytest.mark.parametrize("body", [
    '<img src="anh.jpg" alt="Vườn quế/đồi chè">', "[trang](https://example.org)",
    "[tài liệu][1]\n\n[1]: https://example.org/data:tai-lieu", "Ông nói: <em>làm giàu</em> từ đất.",
    "Số liệu trong data: năm 2024.", "Tổ chức <abbr title=\"Hợp tác xã\">HTX</abbr> onsen",
])
def test_ordinary_html_and_links_pass(project, body):
    project.write_profile("x", body=f"## Mục\n\n{body}\n")
    assert problems(project) == ()


@pytest.mark.parametrize("text, code, shown", [
    ("Số CCCD 049085001234 của ông", "DH080", "04••••••••34"),
    ("CMND: 205123456", "DH080", "20•••••56"),
    ("Liên hệ 0905 123 456 để mua quế", "DH081", "09••••••••56"),
    ("Điện thoại 0235.3852.123", "DH081", "02•••••••••23"),
    ("Thư: an.nguyen@gmail.com", "DH082", mask("an.nguyen@gmail.com")),
    ("Ông sinh ngày 12/03/1965 tại xã", "DH083", "12••••••65"),
    ("Nhà ông ở số 45 đường Trần Phú", "DH084", mask("số 45 đường")),
    ("Nhà ở kiệt 23 Hùng Vương", "DH084", "ki•••23"),
])
def test_personal_identifiers_are_reported_masked(project, text, code, shown):
    project.write_profile("x", body=f"## Mục\n\n{text}.\n")
    [problem] = problems(project)
    assert problem.code == code
    assert shown in problem.message
    assert (
        problem.line
        == (project.root / "profiles/2024/x/index.md").read_text(encoding="utf-8").splitlines().index(f"{text}.") + 1
    )


def test_identifier_in_front_matter(project):
    project.write_profile("x", subject={"kind": "ca-nhan", "name": "Lê An", "position": "ĐT 0912345678"})
    [problem] = problems(project)
    assert (problem.code, problem.field) == ("DH081", "subject.position")


def test_ordinary_numbers_are_not_personal_data(project):
    project.write_profile("x", body="Doanh thu 120.000.000 đồng, 2.500 cây quế, năm 2024, 15 ha.\n")
    assert problems(project) == ()


def test_sensitive_data_needs_consent_scope(project):
    project.write_profile("x", body="Ông là thương binh, nhiễm chất độc da cam, vẫn vươn lên.\n")
    [problem] = problems(project)
    assert problem.code == "DH085" and "sức khỏe" in problem.message
    consent = dict(VALID_PROFILE["consent"], scope="tên, ảnh, sức khỏe")
    project.write_profile("x", consent=consent, body="Ông là thương binh, nhiễm chất độc da cam, vẫn vươn lên.\n")
    assert problems(project) == ()


def test_sensitive_terms_do_not_apply_to_collectives(project):
    project.write_profile(
        "x",
        subject={"kind": "tap-the", "name": "Tổ dệt thổ cẩm"},
        consent=None,
        body="Tổ hợp tác của đồng bào dân tộc thiểu số giữ nghề dệt.\n",
    )
    assert problems(project) == ()


def test_mask():
    assert mask("0905123456") == "09••••••56"
    assert mask("abc") == "•••"


@pytest.mark.parametrize(
    "scope, kept",
    [
        ("tên, thành tích", False),
        ("tên, hoàn cảnh gia đình", False),
        ("ảnh, tên, thành tích", True),
        ("Hình ảnh và tên", True),
        (None, True),
    ],
)
def test_photos_of_a_person_need_a_scope_that_names_them(project, scope, kept):
    from photo_support import phone_jpeg

    consent = {"obtained": True, "date": "2024-01-10", **({"scope": scope} if scope else {})}
    path = project.write_profile("x", consent=consent, photos=[{"file": "a.jpg", "alt": "Vườn quế"}])
    phone_jpeg(path.parent / "a.jpg")
    result = check_project(ProjectPaths.at(project.root))
    [profile] = result.profiles
    assert bool(profile.photos) is kept
    found = [p for p in result.problems if p.code == "DH058"]
    if kept:
        assert found == []
    else:
        [problem] = found
        assert problem.severity == "warning" and problem.field == "consent.scope"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[problem.line - 1].strip().startswith("scope:") and "“ảnh”" in problem.message


def test_a_collective_needs_no_photo_consent(project):
    from photo_support import phone_jpeg

    path = project.write_profile(
        "htx",
        subject={"kind": "tap-the", "name": "Hợp tác xã"},
        nominated_by="so-nnptnt",
        consent={"obtained": True, "scope": "tên"},
        photos=[{"file": "a.jpg", "alt": "Xưởng"}],
    )
    phone_jpeg(path.parent / "a.jpg")
    [profile] = check_project(ProjectPaths.at(project.root)).profiles
    assert profile.photos
