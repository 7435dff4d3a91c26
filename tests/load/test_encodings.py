"""generator.load.encodings: UTF-8 decoding, and naming the legacy encoding when it is not UTF-8."""

from __future__ import annotations

import codecs
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.load.encodings import (
    CP1258,
    LEGACY_ENCODINGS,
    TCVN3,
    UTF8_AS_CP1252,
    VISCII,
    VNI,
    DecodedText,
    EncodingProblem,
    decode_legacy,
    decode_source,
    encode_legacy,
    find_pasted_legacy_text,
    guess_legacy_encoding,
)

# Made once from a three-line front matter + one paragraph profile: the legacy ones with
# encode_legacy, utf16.md with Python's "utf-16" (BOM), bom_crlf.md and nfd.md in UTF-8,
# nul.md with three NUL bytes opening line 4.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "encodings"

# Every vowel and every tone, in upper and lower case.
PARAGRAPH = (
    "Ông Nguyễn Văn Ẩn, Trưởng thôn Phú Đông, xã Điện Phước, thị xã Điện Bàn, được Ủy ban "
    "nhân dân tỉnh tặng Bằng khen vì thành tích xuất sắc trong phong trào xây dựng nông thôn "
    "mới; bà Trần Thị Hường nuôi ong, trồng quế, giúp đỡ hộ nghèo."
)
PROFILE = f"---\ntitle: Trưởng thôn Phú Đông\n---\n\n{PARAGRAPH}\n"

TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LOWER_LETTERS = ["đ"] + [
    unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy" for tone in TONES
]
VIETNAMESE_LETTERS = LOWER_LETTERS + [ch.upper() for ch in LOWER_LETTERS]
# Toned capitals TCVN 5712 puts in control codes: TCVN3 writes them as lower case.
TCVN3_FOLDED = set("ÚỤỪỬỮỨỰỲỶỸÝỴ")


def tcvn3_fold(text: str) -> str:
    return "".join(ch.lower() if ch in TCVN3_FOLDED else ch for ch in text)


def expected_roundtrip(text: str, encoding: str) -> str:
    return tcvn3_fold(text) if encoding == TCVN3 else text


# --- the tables ---------------------------------------------------------------------------------


def test_alphabet_has_134_non_ascii_letters():
    assert all(len(ch) == 1 for ch in VIETNAMESE_LETTERS)  # all precomposed
    assert len({ch for ch in VIETNAMESE_LETTERS if not ch.isascii()}) == 134


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_every_letter_round_trips(encoding):
    for ch in VIETNAMESE_LETTERS:
        encoded = encode_legacy(ch, encoding)
        assert decode_legacy(encoded, encoding) == expected_roundtrip(ch, encoding), (ch, encoded)


@pytest.mark.parametrize("encoding", [VISCII, TCVN3])
def test_single_byte_tables_are_one_to_one(encoding):
    codes = [encode_legacy(ch, encoding) for ch in VIETNAMESE_LETTERS if ch not in TCVN3_FOLDED]
    assert all(len(code) == 1 for code in codes)
    assert len(set(codes)) == len(codes)


def _iconv(data: bytes, charset: str) -> str:
    if shutil.which("iconv") is None:
        pytest.skip("no iconv")
    done = subprocess.run(["iconv", "-f", charset, "-t", "UTF-8"], input=data, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"iconv has no {charset}")
    return done.stdout.decode()


def test_viscii_table_matches_glibc():
    data = bytes(b for b in range(256) if b != 0)
    assert decode_legacy(data, VISCII) == unicodedata.normalize("NFC", _iconv(data, "VISCII"))


def test_tcvn3_table_matches_glibc_tcvn5712_1():
    # One byte per line, so glibc does not combine the tone marks at 0xB0-0xB4 with anything.
    data = b"\n".join(bytes([b]) for b in range(0x80, 0x100))
    ours = [decode_legacy(bytes([b]), TCVN3) for b in range(0x80, 0x100)]
    assert ours == _iconv(data, "TCVN5712-1").split("\n")


@pytest.mark.parametrize(
    "vni, text",
    [  # spellings any VNI user will recognise
        ("Vieät Nam", "Việt Nam"),
        ("Tröôøng Ñaïi hoïc", "Trường Đại học"),
        ("tænh Quaûng Nam", "tỉnh Quảng Nam"),
        ("yù nghóa", "ý nghĩa"),
        ("Nguyeãn Thò Kyø", "Nguyễn Thị Kỳ"),
        ("ÑIEÄN BAØN", "ĐIỆN BÀN"),
        ("Ngöôøi maãu tieâu bieåu", "Người mẫu tiêu biểu"),
        ("nguyeân côù, thuôû, hoaëc", "nguyên cớ, thuở, hoặc"),
        ("Tyû Tî, Nguï", "Tỷ Tỵ, Ngụ"),
    ],
)
def test_vni_known_spellings(vni, text):
    assert decode_legacy(vni.encode("cp1252"), VNI) == text
    assert encode_legacy(text, VNI) == vni.encode("cp1252")


def test_cp1258_reads_combining_and_precomposed_spellings():
    composed_where_possible = encode_legacy("Việt Nam, Hà Nội", CP1258)
    assert composed_where_possible == b"Vi\xea\xf2t Nam, H\xe0 N\xf4\xf2i"
    fully_decomposed = b"Vi\xea\xf2t Nam, Ha\xcc N\xf4\xf2i"  # a + U+0300 instead of 0xE0
    for data in (composed_where_possible, fully_decomposed):
        assert decode_legacy(data, CP1258) == "Việt Nam, Hà Nội"


def test_tcvn3_reads_separate_tone_marks_and_abc_capitals():
    assert decode_legacy(b"A\xb3nh", TCVN3) == "Ánh"  # base letter + tone mark 0xB3
    assert decode_legacy(b"\xa7I\xd6N", TCVN3) == "ĐIệN"  # capitals font: lower-case codes


def test_encode_rejects_letters_outside_the_table():
    for encoding in (TCVN3, VISCII):
        with pytest.raises(UnicodeEncodeError):
            encode_legacy("Straße", encoding)
    with pytest.raises(ValueError):
        encode_legacy("a", "KOI8-R")


ASCII_SAMPLE = list(" .,;:!?-()'\"\n0123456789bcdghklmnpqrstvxBCDGHKLMNPQRSTVX")


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS + ASCII_SAMPLE)))
def test_any_vietnamese_text_round_trips(encoding, text):
    # Also proves VNI's two-byte spellings never run into each other.
    decoded = decode_legacy(encode_legacy(text, encoding), encoding)
    assert decoded == expected_roundtrip(text, encoding)


# --- guessing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_paragraph_round_trips_and_is_recognised(encoding):
    data = encode_legacy(PARAGRAPH, encoding)
    assert decode_legacy(data, encoding) == expected_roundtrip(PARAGRAPH, encoding)
    assert guess_legacy_encoding(data) == encoding


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_short_passages_are_recognised(encoding):
    # Eight-word windows over a realistic paragraph: every one is named correctly.
    words = PARAGRAPH.split()
    for start in range(len(words) - 8):
        data = encode_legacy(" ".join(words[start : start + 8]), encoding)
        assert guess_legacy_encoding(data) == encoding, " ".join(words[start : start + 8])


def test_tcvn3_headings_in_capitals_font_are_recognised():
    heading = b"\xa7I\xd6N B\xb5N, QU\xb6NG NAM: \xa7I\xd3N H\xd7NH TI\xa3N TI\xd5N"
    assert guess_legacy_encoding(heading) == TCVN3


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Plain ASCII profile, nothing to see here.\n## Heading\n",
        PARAGRAPH.encode("utf-8"),  # real UTF-8 must not look like a legacy encoding
        unicodedata.normalize("NFD", PARAGRAPH).encode("utf-8"),
    ],
    ids=["empty", "ascii", "utf8", "utf8-nfd"],
)
def test_no_guess_for_non_legacy_text(data):
    assert guess_legacy_encoding(data) is None


FRENCH = (
    "Le café de la gare est très agréable à l'été. Où est la bibliothèque ? Déjà, l'élève a "
    "reçu une médaille; il était là, ému, à côté de sa sœur Hélène et de son frère aîné."
)
GERMAN = (
    "Die Bürger von Köln möchten im Frühling über die Straße gehen. Schöne Grüße aus München! "
    "Der Bäcker backt süße Brötchen für die Kinder; Äpfel und Öl sind günstig."
)


@pytest.mark.parametrize("text", [FRENCH, GERMAN], ids=["french", "german"])
@pytest.mark.parametrize("charset", ["latin-1", "cp1252"])
def test_western_european_text_is_not_taken_for_vietnamese(text, charset):
    assert guess_legacy_encoding(text.replace("œ", "oe").encode(charset)) is None


def test_random_bytes_are_almost_never_taken_for_vietnamese():
    rng = random.Random(1258)
    sizes = [rng.choice((20, 200, 2000)) for _ in range(300)]
    samples = [bytes(rng.randrange(256) for _ in range(size)) for size in sizes]
    guesses = [guess_legacy_encoding(sample) for sample in samples]
    assert sum(guess is not None for guess in guesses) <= 3


# --- decode_source ------------------------------------------------------------------------------


def test_plain_utf8():
    assert decode_source(PROFILE.encode()) == DecodedText(PROFILE, had_bom=False, had_crlf=False)


def test_bom_and_crlf_are_removed_and_reported():
    data = codecs.BOM_UTF8 + PROFILE.replace("\n", "\r\n").encode()
    assert decode_source(data) == DecodedText(PROFILE, had_bom=True, had_crlf=True)


def test_bare_cr_line_endings_become_newlines():
    decoded = decode_source(b"a\rb\r\nc\n")
    assert decoded.text == "a\nb\nc\n"
    assert decoded.had_crlf


def test_nfd_input_comes_out_nfc():
    decoded = decode_source(unicodedata.normalize("NFD", PROFILE).encode())
    assert decoded.text == PROFILE
    assert unicodedata.is_normalized("NFC", decoded.text)


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_legacy_file_names_the_encoding_and_first_bad_line(encoding):
    with pytest.raises(EncodingProblem) as caught:
        decode_source(encode_legacy(PROFILE, encoding))
    problem = caught.value
    assert problem.code == "DH002"
    assert problem.line == 2  # "title: Trưởng..." is the first line with a non-ASCII byte
    assert problem.message == (
        f"Tệp không được mã hóa UTF-8 (byte không hợp lệ ở dòng 2); có vẻ đây là bảng mã "
        f"{encoding}. Hãy mở bằng Unikey (Công cụ chuyển mã) hoặc trình soạn thảo và lưu lại "
        "với bảng mã Unicode UTF-8."
    )
    assert str(problem) == problem.message


def test_line_numbers_count_crlf_once_and_skip_the_bom():
    data = codecs.BOM_UTF8 + b"a\r\nb\r\nc\rd\n" + encode_legacy(PARAGRAPH, VNI)
    with pytest.raises(EncodingProblem) as caught:
        decode_source(data)
    assert caught.value.line == 5


def test_one_legacy_paragraph_in_a_utf8_file_is_still_named():
    data = (PROFILE * 3).encode() + encode_legacy(PARAGRAPH, TCVN3) + b"\n" + PROFILE.encode()
    with pytest.raises(EncodingProblem) as caught:
        decode_source(data)
    assert caught.value.line == PROFILE.count("\n") * 3 + 1
    assert "có vẻ đây là bảng mã TCVN3 (ABC)." in caught.value.message


@pytest.mark.parametrize(
    "data",
    [
        b"title: caf\xe9\n",  # one Latin-1 word
        b"ok\n\xff\xfe\xfd garbage \xc0\xc1\n",
        b"\xed\xa0\x80 lone surrogate",  # UTF-8 forbids encoded surrogates
        b"\xc0\xaf overlong slash",
    ],
)
def test_unrecognised_bytes_say_so(data):
    with pytest.raises(EncodingProblem) as caught:
        decode_source(data)
    problem = caught.value
    assert problem.code == "DH002"
    line = problem.line
    assert problem.message == (
        f"Tệp không được mã hóa UTF-8 (byte không hợp lệ ở dòng {line}); không nhận ra bảng mã; "
        "hãy lưu lại dưới dạng UTF-8."
    )


def test_nul_byte_is_binary():
    with pytest.raises(EncodingProblem) as caught:
        decode_source(b"---\ntitle: x\n---\nab\0cd\n")
    assert caught.value.code == "DH003"
    assert caught.value.line == 4
    assert caught.value.message == (
        "Tệp chứa byte NUL (dòng 4): đây không phải tệp văn bản Markdown."
    )


@pytest.mark.parametrize(
    "codec, name",
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_utf16_and_utf32_with_bom(codec, name):
    # "utf-16"/"utf-32" write a little-endian BOM; the "-be" codecs need one spelt out.
    data = (PROFILE if codec in ("utf-16", "utf-32") else "\ufeff" + PROFILE).encode(codec)
    with pytest.raises(EncodingProblem) as caught:
        decode_source(data)
    assert caught.value.code == "DH004"
    assert caught.value.line is None
    assert f"Tệp được mã hóa {name}" in caught.value.message
    assert "lưu lại với bảng mã Unicode UTF-8" in caught.value.message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_utf16_without_bom(codec, form):
    with pytest.raises(EncodingProblem) as caught:
        decode_source(unicodedata.normalize(form, PROFILE).encode(codec))
    assert caught.value.code == "DH004"
    assert "UTF-16" in caught.value.message


# --- committed fixtures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, encoding",
    [("tcvn3", TCVN3), ("vni", VNI), ("viscii", VISCII), ("cp1258", CP1258)],
)
def test_fixture_in_legacy_encoding(name, encoding):
    with pytest.raises(EncodingProblem) as caught:
        decode_source((FIXTURES / f"{name}.md").read_bytes())
    assert caught.value.code == "DH002"
    assert caught.value.line == 2
    assert f"có vẻ đây là bảng mã {encoding}." in caught.value.message


@pytest.mark.parametrize(
    "name, code, line",
    [("utf16", "DH004", None), ("nul", "DH003", 4)],
)
def test_fixture_that_is_not_text(name, code, line):
    with pytest.raises(EncodingProblem) as caught:
        decode_source((FIXTURES / f"{name}.md").read_bytes())
    assert (caught.value.code, caught.value.line) == (code, line)


def test_fixture_with_bom_and_crlf():
    decoded = decode_source((FIXTURES / "bom_crlf.md").read_bytes())
    assert decoded.had_bom and decoded.had_crlf
    assert "\r" not in decoded.text and decoded.text.startswith("---\ntitle: Trưởng thôn")


def test_fixture_in_nfd():
    raw = (FIXTURES / "nfd.md").read_bytes().decode()
    assert not unicodedata.is_normalized("NFC", raw)
    decoded = decode_source(raw.encode())
    assert decoded.text == unicodedata.normalize("NFC", raw)
    assert "Trưởng thôn Phú Đông" in decoded.text


# --- legacy text pasted into a UTF-8 file -------------------------------------------------------

SYLLABLES = ("quảng nam đã phát hiện nhiều điển hình tiên tiến người nông dân làm giàu trồng quế hữu cơ "
             "giúp đỡ hộ nghèo xã điện phước thị bằng khen ủy ban nhân dân tỉnh phong trào thi đua "
             "trưởng thôn nuôi ong hường ẩn yêu nước khỏe mạnh thủy lợi gương sáng ước mơ").split()


# Words whose garbled form is itself a Vietnamese word ("giúp" in TCVN3 shows as "gióp", "hình"
# in VNI as "hình"): a passage of these alone cannot be told from Vietnamese, so each generated
# passage has one word besides them.
READS_AS_ANOTHER_WORD = {TCVN3: {"giúp", "hộ", "ẩn"}, VNI: {"hình", "trồng", "cơ", "thị", "mơ"}}


def _as_pasted(text: str, encoding: str) -> str:
    """What legacy-encoded ``text`` shows as in a Western font once pasted into a Unicode editor."""
    data = encode_legacy(text, encoding) if encoding != UTF8_AS_CP1252 else text.encode("utf-8")
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


@pytest.mark.parametrize("pasted, encoding, meant", [
    ("Qu¶ng Nam ®· ph¸t hiÖn", TCVN3, "Quảng Nam đã phát hiện"),
    ("Quaûng Nam ñaõ phaùt hieän", VNI, "Quảng Nam đã phát hiện"),
    ("NguyÔn V¨n ƒnh", TCVN3, "Nguyễn Văn Ánh"),  # a short name: two accented words are enough
    ("Quáº£ng Nam Ä‘Ã£ phÃ¡t hiá»‡n", UTF8_AS_CP1252, "Quảng Nam đã phát hiện"),
    ("Nam noâng thò", VNI, "Nam nông thị"),  # TCVN3 reads it "Nam noõng thũ", as Vietnamese: the shorter wins
])
def test_pasted_legacy_text_is_named_and_converted(pasted, encoding, meant):
    [found] = find_pasted_legacy_text(f"Dòng đầu đúng.\n{pasted}\n")
    assert (found.line, found.encoding, found.converted) == (1, encoding, meant)


@pytest.mark.parametrize("encoding", [TCVN3, VNI, UTF8_AS_CP1252])
@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.sampled_from(SYLLABLES), min_size=3, max_size=12))
def test_any_pasted_passage_is_found_and_restored(encoding, words):
    assume(sum(not word.isascii() for word in words) >= 2)  # plain ASCII reads the same in any encoding
    assume(any(not word.isascii() and word not in READS_AS_ANOTHER_WORD.get(encoding, ()) for word in words))
    meant = " ".join(words).capitalize()
    # VNI spells "phát" as "phaùt": all Latin-1 letters, like French; a letter outside Latin-1
    # (ư, ơ, đ, ạ...) is what tells it apart, and any passage longer than a few words has one.
    assume(encoding != VNI or any(ord(char) > 0xFF for char in meant))
    [found] = find_pasted_legacy_text(_as_pasted(meant, encoding))
    assert found.converted == (meant if encoding == UTF8_AS_CP1252 else expected_roundtrip(meant, encoding))


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(SYLLABLES + ["2024", "(", "“", "”", "–", "café", "Ông", "Đà Nẵng"]),
                      max_size=15))
def test_text_already_in_unicode_is_never_taken_for_pasted_text(words):
    assert find_pasted_legacy_text(" ".join(words)) == []


@pytest.mark.parametrize("text", [FRENCH, GERMAN, "Müller", "naïve résumé", "Cá và gà", "là", "® © ±"])
def test_western_text_is_not_taken_for_pasted_text(text):
    assert find_pasted_legacy_text(text) == []
