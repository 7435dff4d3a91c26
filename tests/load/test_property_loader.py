"""Random and mutated front matter always ends in a profile or in reported problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, VALID_PROFILE
from generator.check.validate import validate_profile
from generator.core.lookup import Lookup
from generator.load.profiles import parse_profile_text
from generator.load.registries import load_registries

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
