"""Vietnamese collation, roster order, slugs and the catalogue's successor links."""

from __future__ import annotations

import datetime as dt
import random

from conftest import MINI
from generator.core.catalog import current_units
from generator.core.collation import person_sort_text, sort_key
from generator.core.slugs import heading_slug, make_slug
from generator.load.registries import load_registries


def test_alphabet_order():
    letters = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
    shuffled = letters[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == letters


def test_tone_order_is_secondary():
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]  # ngang < huyền < hỏi < ngã < sắc < nặng
    backwards = tones[::-1]
    assert sorted(backwards, key=sort_key) == tones
    assert sorted(["mạnh", "mà", "man"], key=sort_key) == ["mà", "man", "mạnh"]  # letters before tones


def test_words_and_case():
    assert sorted(["Anh", "An Bình", "An"], key=sort_key) == ["An", "An Bình", "Anh"]
    assert sorted(["Đào", "Dũng", "Éo"], key=sort_key) == ["Dũng", "Đào", "Éo"]


def test_nfd_sorts_like_nfc():
    import unicodedata

    word = "Nguyễn Ánh"
    assert sort_key(unicodedata.normalize("NFD", word))[:3] == sort_key(word)[:3]


def test_roster_order_given_name_first():
    names = ["Trần An", "Lê Văn Bình", "Nguyễn Thị An", "Lê Văn An"]
    ordered = sorted(names, key=lambda n: sort_key(person_sort_text(n)))
    assert ordered == ["Lê Văn An", "Nguyễn Thị An", "Trần An", "Lê Văn Bình"]


def test_slugs_map_d_with_stroke():
    assert make_slug("Điện Bàn") == "dien-ban"
    assert heading_slug("Điển hình tiên tiến", "-") == "dien-hinh-tien-tien"
    assert heading_slug("!!!", "-") == "muc"


def test_successors_followed_to_today():
    registries, problems = load_registries(MINI / "data", MINI)
    assert problems == []
    localities = registries.locality_by_id()
    # Điện An merged into Điện Phước on 2025-01-01, which became Điện Bàn Đông on 2025-07-01.
    assert [x.id for x in current_units(localities, "dien-an", dt.date(2025, 3, 1))] == ["dien-phuoc"]
    assert [x.id for x in current_units(localities, "dien-an", dt.date(2026, 1, 1))] == ["dien-ban-dong"]
    assert current_units(localities, "dien-ban-dong", dt.date(2026, 1, 1)) == ()


def test_old_and_new_tone_placement_resolve_to_the_same_unit():
    from conftest import REPO
    from generator.core.lookup import Lookup

    registries, _ = load_registries(REPO / "data", REPO)
    lookup = Lookup(registries)
    commune = lookup.resolve_locality("Xã Phước Hòa", 2022)  # the registry spells it "Hoà"
    assert commune.id and registries.locality_by_id()[commune.id].name == "Xã Phước Hoà"
    both = lookup.resolve_locality("Phước Hòa", 2022)
    assert both.id is None and both.problem[0] == "DH032"
