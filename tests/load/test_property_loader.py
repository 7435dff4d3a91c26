"""Random and mutated front matter always ends in a profile or in reported problems."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, VALID_PROFILE
from generator.check.project import ProjectPaths, check_profile_file
from generator.check.sanitize import find_active_content
from generator.check.validate import validate_profile
from generator.core.lookup import Lookup
from generator.load.profiles import parse_profile_text
from generator.load.registries import load_registries
from generator.load.schema import BIDI_CONTROLS
from hostile_support import SINGLE_LINE, with_field

REGISTRIES, _ = load_registries(MINI / "data", MINI)
LOOKUP = Lookup(REGISTRIES)
BUNDLE = Path("/nonexistent/bundle")

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=30), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
                    st.sampled_from(["ca-nhan", "dien-ban", "Dien Ban", "20701", "nong-thon-moi", "2024-02-30",
                                     "15/02/2024", "", "…", "<script>", "0905123456"]))
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)), max_leaves=12)


def assert_total(text: str) -> None:
    raw = parse_profile_text(text, "profiles/2024/x/index.md", BUNDLE)
    if not hasattr(raw, "meta"):
        assert raw.code.startswith("DH")
        return
    profile, problems = validate_profile(raw, LOOKUP, "x")
    assert profile is not None or problems
    for problem in problems:
        assert problem.code.startswith("DH") and problem.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(VALID_PROFILE) + ["photos", "awards", "history", "replicated_in",
                                                                 "columns", "sources", "publish_on", "tags"]),
                       values, max_size=12))
def test_random_front_matter(meta):
    assert_total("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nbody\n")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALID_PROFILE) + ["subject"]), values)
def test_mutated_valid_profile(key, value):
    meta = dict(VALID_PROFILE)
    meta[key] = value
    assert_total("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nbody\n")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_between_fences(text):
    assert_total("---\n" + text + "\n---\nbody\n")
    assert_total(text)


# Date-shaped scalars written unquoted, as editors write them: YAML's resolver takes each for a
# timestamp, whether or not the day exists (2024-02-31, 2024-13-01, 0000-00-00).
date_shaped = st.builds(lambda y, m, d: f"{y:04d}-{m}-{d:02d}", st.integers(0, 9999), st.integers(0, 99),
                        st.integers(0, 99))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["nominated_on", "publish_on", "history"]), date_shaped)
def test_unquoted_date_shaped_values(field, text):
    front = yaml.safe_dump({k: v for k, v in VALID_PROFILE.items() if k != field}, allow_unicode=True)
    line = f"history:\n  - date: {text}\n    stage: phat-hien\n" if field == "history" else f"{field}: {text}\n"
    assert_total("---\n" + front + line + "---\nbody\n")


# Hostile values in every text field: whatever check accepts holds no hidden character, no line
# break where one line is meant, and no active HTML; and check never raises on the way.
PAYLOADS = ["<script>alert(1)</script>", "<img/src/onerror=alert(1)>", "[bấm](javascript:alert(1))",
            "[1]: &#106;avascript:alert(1)", "<a href='java&#9;script:x'>a</a>", "</script>", "<svg/onload=x>",
            "\u202e", "\u2067", "\r\n", "\n", "\x07", "\x1b[31m", "=HYPERLINK(\"http://x\")", "@SUM(1)", "2024-02-31",
            "Đ" * 400, "<b>đậm</b>", "a < b > c", "&amp;", "Hòa", "javascript là ngôn ngữ"]
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=20),
                    st.builds("".join, st.lists(st.sampled_from(PAYLOADS + ["Nguyễn", " ", "văn"]), max_size=4)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([*SINGLE_LINE, "summary", "history.note"]), hostile, hostile)
def test_what_check_accepts_is_clean(field, value, body):
    meta = dict(VALID_PROFILE)
    if field == "history.note":
        meta["history"] = [{"date": "2024-01-01", "stage": "phat-hien", "note": value}]
    else:
        meta = with_field(meta, field, value)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(MINI, root, dirs_exist_ok=True)
        path = root / "profiles" / "2024" / "x" / "index.md"
        path.parent.mkdir(parents=True)
        if field.startswith("photos"):
            (path.parent / "a.jpg").write_bytes(b"")  # present; its contents are the photo check's business
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + f"---\n\n## Mục\n\n{body}\n",
                        encoding="utf-8")
        profile, problems = check_profile_file(path, ProjectPaths.at(root), LOOKUP)
    assert all(p.code.startswith("DH") and p.message for p in problems)
    if profile is None:
        return
    one_line = [profile.title, profile.subject.name, profile.subject.position, *(p.alt for p in profile.photos),
                *(a.title for a in profile.awards), *(s.title for s in profile.sources)]
    for text in [*one_line, profile.summary, profile.body, *(h.note for h in profile.history)]:
        assert not find_active_content(text), text
        assert not [c for c in text if c in BIDI_CONTROLS], text
        assert not [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"], text
    for text in one_line:
        assert "\n" not in text and "\r" not in text, text
