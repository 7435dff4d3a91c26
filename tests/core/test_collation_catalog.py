"""Vietnamese collation, roster order, slugs and the catalogue's successor links."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil

import pytest

from conftest import MINI, VALID_PROFILE, person_key
from generator.core.catalog import current_units
from generator.core.collation import new_tone_placement, roster_words, sort_key
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
    ordered = sorted(names, key=person_key)
    assert ordered == ["Lê Văn An", "Nguyễn Thị An", "Trần An", "Lê Văn Bình"]


@pytest.mark.parametrize("first, then", [
    ("Nguyễn Văn Anh", "Lê Thị Ánh"),  # the given name completely, tones included, before the family name
    ("Lê Thị Dung", "Đỗ Văn Dũng"),
    ("Nguyễn Thị Hoa", "Lê Văn Hòa"),
    ("Trần anh", "Trần Anh"),  # lower case before upper case, as ICU's Vietnamese collation
    ("Tổ số 2", "Tổ số 10"),  # numbers by value
])
def test_roster_pairs(first, then):
    assert person_key(first) < person_key(then)


def test_old_and_new_tone_placement_are_one_name():
    assert person_key("Lê Văn Hoà") == person_key("Lê Văn Hòa")
    assert sort_key("Thủy") == sort_key("Thuỷ") and sort_key("khỏe") == sort_key("khoẻ")
    assert new_tone_placement("Hòa Thủy hoàng quý") == "Hoà Thuỷ hoàng quý"  # closed syllables keep theirs


def test_households_and_collectives_sort_by_their_distinctive_name():
    registries, _ = load_registries(MINI / "data", MINI)
    rules = registries.roster
    assert roster_words("Hộ gia đình ông Hồ Văn Mười", "ho-gia-dinh", rules) == ("Mười", "Hồ", "Văn")
    assert roster_words("Hợp tác xã Nông nghiệp Đồng Xanh", "tap-the", rules) == ("Nông nghiệp Đồng Xanh",)
    assert roster_words("Công an xã Tam Hải", "tap-the", rules) == ("Tam Hải",)
    assert roster_words("Tổ hợp tác dệt thổ cẩm", "tap-the", rules) == ("dệt thổ cẩm",)  # the longest prefix
    assert roster_words("Trường Tiểu học Kim Đồng", "tap-the", rules) == ("Kim Đồng",)
    assert roster_words("HỘ GIA ĐÌNH BÀ Lê Thị Hoà", "ho-gia-dinh", rules) == ("Hoà", "Lê", "Thị")
    assert roster_words("Tổ", "tap-the", rules) == ("Tổ",)  # a prefix alone is the name
    assert roster_words("Hợp tác xã", "ca-nhan", rules) == ("xã", "Hợp", "tác")  # prefixes are per kind


def test_a_bad_roster_registry_is_reported(tmp_path):
    shutil.copytree(MINI / "data", tmp_path / "data")
    (tmp_path / "data" / "roster.yml").write_text("prefixes:\n  doanh-nghiep: [Công ty]\n  tap-the: Tổ\n",
                                                  encoding="utf-8")
    registries, problems = load_registries(tmp_path / "data", tmp_path)
    assert [(p.code, p.line) for p in problems] == [("DH090", 2), ("DH090", 3)]
    assert "doanh-nghiep" in problems[0].message and problems[0].path == "data/roster.yml"
    assert registries.roster.prefixes == ()


def test_a_movement_colour_or_emblem_that_cannot_be_drawn_is_reported(tmp_path):
    shutil.copytree(MINI / "data", tmp_path / "data")
    movements = tmp_path / "data" / "movements.yml"
    text = movements.read_text(encoding="utf-8")
    text = text.replace("    order: 10\n", "    order: 10\n    colour: xanh\n", 1)
    text = text.replace("    order: 20\n", "    order: 20\n    emblem: cay-lua\n", 1)
    movements.write_text(text, encoding="utf-8")
    registries, problems = load_registries(tmp_path / "data", tmp_path)
    assert [(p.code, p.path) for p in problems] == [("DH024", "data/movements.yml")] * 2
    assert "màu “xanh” không hợp lệ" in problems[0].message and problems[0].line == 2
    assert "biểu tượng “cay-lua”" in problems[1].message and problems[1].line > 2
    assert list(registries.movements) == []  # both left out, as any bad registry record is


def test_a_movement_without_colour_or_emblem_is_drawn_in_grey_with_a_star():
    from generator.infra.icons import emblem_svg

    registries, _ = load_registries(MINI / "data", MINI)
    movement = next(m for m in registries.movements if m.code == "nong-thon-moi")
    assert (movement.colour, movement.emblem) == ("#546e7a", "star-circle")
    assert emblem_svg(movement.emblem).startswith("<svg") and emblem_svg("../../etc/passwd") is None


# --- against ICU ---------------------------------------------------------------------------------

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Âu Ông Ưng Alăng Bríu".split()
SYLLABLES = ("an anh ánh ành ảnh ãnh ạnh ăn ân ấn dung dũng dùng đức đào hoa hòa hoà hóa hỏa thủy thuỷ thùy "
             "ơn ở ước ưng yến ý út uyên khoa khỏe khoẻ bé bê bế mười tư sáu bảy tám dz đa da thị văn hữu "
             "ngọc minh mỹ giơ blúi blui gió cường trung chí quý quỳnh o ô ơ u ư").split()


def _icu():
    import icu  # PyICU: scripts/setup-test.sh installs it (make test)

    collator = icu.Collator.createInstance(icu.Locale("vi"))
    collator.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return collator


def _random_word(rng: random.Random) -> str:
    word = rng.choice(SYLLABLES)
    roll = rng.random()
    return word.capitalize() if roll < 0.8 else word.upper() if roll < 0.85 else word


def _agree(items: list, ours, theirs) -> None:
    """Both orders are one order: sorted by either key, the other key never goes down."""
    for first, second in ((ours, theirs), (theirs, ours)):
        ordered = sorted(items, key=lambda item: (first(item), second(item)))
        wrong = [(a, b) for a, b in itertools.pairwise(ordered) if second(a) > second(b)]
        assert wrong == [], wrong[:5]


def test_one_string_sorts_as_icu_does():
    collator, rng = _icu(), random.Random(23)
    texts = [" ".join(_random_word(rng) for _ in range(rng.randint(1, 3))) + rng.choice(["", "", " 2", " 10", "5"])
             for _ in range(4000)]
    _agree(texts, sort_key, lambda text: collator.getSortKey(new_tone_placement(text)))


def test_roster_order_of_names_sorts_as_icu_does_word_by_word():
    """Thousands of names: ours against ICU's key of each word, given name first."""
    collator, rng = _icu(), random.Random(7)
    names = [" ".join([rng.choice(FAMILY), *(_random_word(rng) for _ in range(rng.randint(0, 2))),
                       _random_word(rng)]) for _ in range(5000)]

    def icu_roster(name: str) -> tuple:
        words = name.split()
        return tuple(collator.getSortKey(new_tone_placement(w)) for w in (words[-1], words[0], *words[1:-1]))

    _agree(names, person_key, icu_roster)


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


def test_one_roster_order_on_every_list_with_sort_name_as_written(project):
    from generator.check.project import ProjectPaths, check_project
    from generator.core.catalog import build_catalog
    from generator.render.browse import name_order
    from generator.render.nomination_list import list_rows

    subjects = {"anh": ("ca-nhan", "Nguyễn Văn Anh", ""), "anh-sac": ("ca-nhan", "Lê Thị Ánh", ""),
                "ho-muoi": ("ho-gia-dinh", "Hộ gia đình ông Hồ Văn Mười", ""),
                "htx": ("tap-the", "Hợp tác xã Đồng Xanh", ""),
                "y-moan": ("ca-nhan", "Y Moan Êban", "Moan Êban Y"),
                "ban": ("tap-the", "Ban Công tác Mặt trận thôn Phú Lâm", "Phú Lâm")}
    for slug, (kind, name, sort_name) in subjects.items():
        subject = {"kind": kind, "name": name, **({"sort_name": sort_name} if sort_name else {})}
        project.write_profile(slug, subject=subject, consent=None if kind == "tap-the" else VALID_PROFILE["consent"])
    result = check_project(ProjectPaths.at(project.root))
    assert result.errors == ()
    catalog = build_catalog(result.registries, result.profiles, dt.date(2026, 1, 1))
    expected = ["anh", "anh-sac", "htx", "y-moan", "ho-muoi", "ban"]  # Anh, Ánh, Đồng, Moan, Mười, Phú Lâm
    assert [p.slug for p in name_order(catalog)] == expected
    assert [p.slug for p in catalog.profiles] == expected  # one movement, one commune: name order alone
    assert [row.subject for row in list_rows(result.registries, result.profiles, 2024)] == [
        subjects[slug][1] for slug in expected]


def test_numbers_and_dates_have_one_vietnamese_style():
    from generator.core.labels import vn_date, vn_number

    assert [vn_number(n) for n in (7, 1100, 10292, 1234567)] == ["7", "1.100", "10.292", "1.234.567"]
    assert [vn_number(x) for x in (2.5, 1234.5, 0.25)] == ["2,5", "1.234,5", "0,25"]
    assert vn_date(dt.date(2025, 7, 1)) == "01/07/2025" and vn_date(None) == ""


def test_a_place_inside_a_phrase_has_its_prefix_in_lower_case():
    registries, _ = load_registries(MINI / "data", MINI)
    localities = registries.locality_by_id()
    assert localities["dien-phuoc"].name_in_phrase == "xã Điện Phước"
    assert localities["dien-ban"].name_in_phrase == "thị xã Điện Bàn"


def test_related_profiles_are_the_neighbours_in_the_movement_then_in_the_place(project):
    import dataclasses

    from generator.check.project import ProjectPaths, check_project
    from generator.core.catalog import build_catalog

    names = {"an": "Nguyễn Văn An", "binh": "Lê Văn Bình", "cuong": "Trần Cường", "dung": "Phạm Dũng",
             "giang": "Võ Giang", "ha": "Đỗ Hà", "khanh": "Hồ Khánh"}
    for slug, name in names.items():
        project.write_profile(slug, subject={"kind": "ca-nhan", "name": name})
    for slug, name in {"lan": "Lê Thị Lan", "minh": "Trần Minh"}.items():
        project.write_profile(slug, subject={"kind": "ca-nhan", "name": name}, movement="dan-van-kheo")
    result = check_project(ProjectPaths.at(project.root))
    assert result.errors == ()
    catalog = build_catalog(result.registries, result.profiles, dt.date(2026, 1, 1))
    by_slug = {p.slug: p for p in catalog.profiles}
    assert [p.slug for p in catalog.by_movement["nong-thon-moi"]] == list(names)
    assert [p.slug for p in catalog.by_locality["dien-phuoc"]] == [*names, "lan", "minh"]
    related = {slug: [p.slug for p in catalog.related(by_slug[slug])] for slug in ("an", "dung", "khanh", "lan")}
    assert related == {
        "an": ["binh", "cuong", "dung", "giang"],  # the first: the four after it
        "dung": ["binh", "cuong", "giang", "ha"],  # two before, two after; the place adds no one new
        "khanh": ["giang", "ha", "lan", "minh"],  # the last of its movement: the place's next ones
        "lan": ["minh", "ha", "khanh"],  # a movement of two, then its neighbours in the place
    }
    # another version of a profile (an edit moving it to another movement): that movement's first ones
    moved = dataclasses.replace(by_slug["dung"], movement="dan-van-kheo")
    assert [p.slug for p in catalog.related(moved)][:2] == ["lan", "minh"]
