"""Read profile bytes as UTF-8, and explain in Vietnamese when they are not.

Profiles are edited by many people, some of them with old Vietnamese tools
(Unikey set to TCVN3 or VNI, Word documents in .VnTime or VNI-Times fonts).
Such files are not UTF-8, and a bare "invalid UTF-8" error does not help the
editor.  So when decoding fails we try the four legacy encodings that were in
wide use, see which one turns the bytes into plausible Vietnamese syllables,
and name it in the message, so the editor knows what to pick as the *source*
encoding in a converter (Unikey's "Công cụ chuyển mã", for instance).

Public API:

* ``decode_source(data)`` -> ``DecodedText`` or raises ``EncodingProblem``;
* ``guess_legacy_encoding(data)`` -> one of the names below, or ``None``;
* ``decode_legacy`` / ``encode_legacy`` to convert with the same tables
  (the tests use the encoder to build legacy samples).
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from dataclasses import dataclass

TCVN3 = "TCVN3 (ABC)"
VNI = "VNI"
CP1258 = "Windows-1258 (CP1258)"
VISCII = "VISCII"
LEGACY_ENCODINGS = (TCVN3, VNI, CP1258, VISCII)  # also the tie-break order

NOT_UTF8 = "DH002"
BINARY = "DH003"
UTF16_OR_32 = "DH004"


@dataclass(frozen=True)
class DecodedText:
    text: str  # NFC, no BOM, every line ending is "\n"
    had_bom: bool  # the file started with a UTF-8 BOM
    had_crlf: bool  # the file had CRLF (or bare CR) line endings


class EncodingProblem(Exception):
    """The bytes are not a UTF-8 text file; ``message`` says so in Vietnamese."""

    def __init__(self, code: str, message: str, line: int | None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line  # 1-based, or None when it concerns the whole file


# ---------------------------------------------------------------------------
# Decoding a profile
# ---------------------------------------------------------------------------


def decode_source(data: bytes) -> DecodedText:
    """UTF-8 (with or without BOM) -> DecodedText; otherwise raise EncodingProblem."""
    _reject_wide_unicode(data)
    had_bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if had_bom else data
    _reject_nul(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _not_utf8_problem(body, err.start) from None
    had_crlf = "\r" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(unicodedata.normalize("NFC", text), had_bom, had_crlf)


_WIDE_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _reject_wide_unicode(data: bytes) -> None:
    # Notepad's "Unicode" and Word's "Unicode text" save UTF-16 with a BOM.
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            raise EncodingProblem(
                UTF16_OR_32,
                f"Tệp được mã hóa {name} (có dấu BOM ở đầu tệp), không phải UTF-8. "
                "Hãy mở bằng trình soạn thảo và lưu lại với bảng mã Unicode UTF-8.",
                None,
            )


def _reject_nul(data: bytes) -> None:
    nul = data.find(b"\0")
    if nul < 0:
        return
    if _looks_like_utf16_without_bom(data):
        raise EncodingProblem(
            UTF16_OR_32,
            "Tệp có vẻ được mã hóa UTF-16 (không có dấu BOM), không phải UTF-8. "
            "Hãy mở bằng trình soạn thảo và lưu lại với bảng mã Unicode UTF-8.",
            None,
        )
    line = _line_number(data, nul)
    raise EncodingProblem(
        BINARY,
        f"Tệp chứa byte NUL (dòng {line}): đây không phải tệp văn bản Markdown.",
        line,
    )


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    # Text in UTF-16 has a NUL in the high byte of every ASCII character (spaces,
    # digits, punctuation, even in Vietnamese), so NULs pile up on one parity;
    # the other sees one only in the rare U+xx00 (a combining grave, U+0300).
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    for high, low in ((odd, even), (even, odd)):
        if high and high.count(0) >= 0.3 * len(high) and low.count(0) <= 0.05 * len(low):
            return True
    return False


def _not_utf8_problem(data: bytes, bad_offset: int) -> EncodingProblem:
    line = _line_number(data, bad_offset)
    # Guess from the broken lines only: a mostly-UTF-8 file with one pasted
    # legacy paragraph would otherwise drown the guess in mis-decoded UTF-8.
    guess = guess_legacy_encoding(_lines_not_utf8(data))
    where = f"Tệp không được mã hóa UTF-8 (byte không hợp lệ ở dòng {line})"
    if guess is None:
        message = f"{where}; không nhận ra bảng mã; hãy lưu lại dưới dạng UTF-8."
    else:
        message = (
            f"{where}; có vẻ đây là bảng mã {guess}. Hãy mở bằng Unikey "
            "(Công cụ chuyển mã) hoặc trình soạn thảo và lưu lại với bảng mã "
            "Unicode UTF-8."
        )
    return EncodingProblem(NOT_UTF8, message, line)


def _line_number(data: bytes, offset: int) -> int:
    """1-based line of ``offset``, counting LF, CRLF and bare CR endings."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _lines_not_utf8(data: bytes) -> bytes:
    bad = []
    for line in data.split(b"\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(line)
    return b"\n".join(bad)


# ---------------------------------------------------------------------------
# Guessing the legacy encoding
# ---------------------------------------------------------------------------

MIN_VALID_RATIO = 0.6  # share of accented words that must be real syllables
MIN_VALID_WORDS = 2  # one lucky word is not enough ("là" in French reads as TCVN3 "lổ")


def guess_legacy_encoding(data: bytes) -> str | None:
    """Return 'TCVN3 (ABC)', 'VNI', 'Windows-1258 (CP1258)', 'VISCII' or None.

    Each candidate decodes the bytes; the one whose accented words are most
    often valid Vietnamese syllables wins, if it is convincing enough.
    """
    best_name, best_key = None, None
    for name in LEGACY_ENCODINGS:
        text = decode_legacy(data, name)
        valid, accented, distinctive = _syllable_counts(text, abc_caps=name == TCVN3)
        if (
            valid < MIN_VALID_WORDS
            or valid < MIN_VALID_RATIO * accented
            or distinctive == 0  # Latin-1 letters alone could be French
        ):
            continue
        key = (valid / accented, valid)
        if best_key is None or key > best_key:  # ties keep the earlier name
            best_name, best_key = name, key
    return best_name


# Legacy decoding never turns ASCII punctuation into letters, so splitting on it
# (and on spaces and digits) cannot hide a mis-decoded word.
_NOT_WORD = re.compile(r"[\x00-\x40\x5b-\x60\x7b-\x7f]+")
_EDGE_PUNCTUATION = "“”‘’«»…–—•·\u00a0"


def _syllable_counts(text: str, abc_caps: bool = False) -> tuple[int, int, int]:
    """(valid, accented, distinctive) word counts.

    Only words with a non-ASCII character are judged: plain ASCII reads the
    same in every candidate.  "Distinctive" words are valid syllables with a
    letter outside Latin-1 (ư, ơ, ă, đ, ạ, ả, ế...), which French or German
    text decoded as CP1258 or VISCII never produces.

    ``abc_caps``: ABC fonts have no code for most toned capitals (headings use
    a capitals font that draws the lower-case codes as capitals), so TCVN3
    "ĐIệN" is read as "ĐIỆN" when its ASCII letters are all capitals.
    """
    valid = accented = distinctive = 0
    for word in _NOT_WORD.split(unicodedata.normalize("NFC", text)):
        word = word.strip(_EDGE_PUNCTUATION)
        # One-letter words ("ở", "ý") are real but prove nothing: any byte
        # between two spaces decodes to one in a table full of vowels.
        if word.isascii() or len(word) < 2:
            continue
        accented += 1
        if abc_caps and re.fullmatch(r"[^a-z]*[A-Z][^a-z]*", word):
            word = word.upper()
        if _is_vietnamese_syllable(word):
            valid += 1
            distinctive += any(ord(ch) > 0xFF for ch in word)
    return valid, accented, distinctive


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_STOP_TONES = ("\u0301", "\u0323")  # the only tones after -c, -ch, -p, -t

# Vietnamese spelling, toneless and lower-case: initial + rhyme.  The rhymes
# are the ones the language has, not every vowel + final combination: a wrong
# single-byte table swaps one toned vowel for another, and "cơng", "nhỉng",
# "sõu" must fail even though each letter is Vietnamese.
_INITIALS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
    "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)
_RHYMES = frozenset(
    """
    a ai ao au ay ac ach am an ang anh ap at
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e eo ec em en eng ep et
    ê êu êch êm ên ênh êp êt
    i ia iu ich im in inh ip it
    iêc iêm iên iêng iêp iêt iêu
    yêm yên yêt yêu y
    o oi oc om on ong op ot
    oa oai oay oac oach oam oan oang oanh oap oat
    oăc oăm oăn oăng oăt
    oe oeo oen oet
    ooc oong
    ô ôi ôc ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua ui uc um un ung up ut
    uân uâng uât uây
    uê uêch uênh
    uôi uôc uôm uôn uông uôt
    uơ
    uy uya uyu uych uyn uynh uyp uyt uyên uyêt
    ư ưa ưi ưu ưc ưng ưt
    ươi ươu ươc ươm ươn ương ươp ươt
    """.split()
)
_VOWELS = "aăâeêioôơuưy"
_STOP_FINALS = ("c", "ch", "p", "t")
_FRONT = ("e", "ê", "i", "y")  # k, gh, ngh only before these; c, ng never


def _is_vietnamese_syllable(word: str) -> bool:
    if not (word.islower() or word.isupper() or word[1:].islower()):
        return False  # "NguyÔn": a wrong table mixes cases inside a word
    split = _split_tone(word.lower())
    if split is None:
        return False
    bare, tone, tone_at = split
    for initial, rhyme, offset in _syllable_parts(bare):
        if (
            _onset_ok(initial, rhyme)
            and rhyme in _RHYMES
            and (not rhyme.endswith(_STOP_FINALS) or tone in _STOP_TONES)
            and (tone_at is None or tone_at - offset in _tone_slots(rhyme))
        ):
            return True
    return False


def _split_tone(word: str) -> tuple[str, str, int | None] | None:
    """(letters without tone, tone mark, index of the toned letter), or None
    when the word has two tones or a mark that is not on a letter."""
    letters: list[str] = []
    tone, tone_at = "", None
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        tones = [c for c in parts if c in _TONE_MARKS]
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        if len(base) != 1 or len(tones) > 1 or (tones and tone):
            return None
        if tones:
            tone, tone_at = tones[0], len(letters)
        letters.append(base)
    return "".join(letters), tone, tone_at


def _syllable_parts(bare: str):
    """Every (initial, rhyme, offset of the rhyme in ``bare``) split."""
    for initial in _INITIALS:
        if bare.startswith(initial):
            rhyme = bare[len(initial) :]
            yield initial, rhyme, len(initial)
            if initial == "gi" and rhyme.startswith("ê"):
                yield initial, "i" + rhyme, len(initial) - 1  # "giếng": gi + iêng


def _onset_ok(initial: str, rhyme: str) -> bool:
    front = rhyme.startswith(_FRONT)
    if initial in ("k", "gh", "ngh"):
        return front
    if initial in ("c", "ng"):
        return not front
    if initial == "g":  # "gì", "gìn" are spelt with a single i
        return not rhyme.startswith(("e", "ê"))
    return True


def _tone_slots(rhyme: str) -> set[int]:
    """Where the tone mark may sit in ``rhyme`` (old and new styles)."""
    vowels = [i for i, ch in enumerate(rhyme) if ch in _VOWELS]
    marked = [i for i in vowels if rhyme[i] in "ăâêôơư"]
    if len(vowels) == 1:
        return {vowels[0]}
    if marked:  # "ươ" takes it on ơ, "uô" on ô, "ây" on â...
        return {marked[-1]}
    if rhyme[-1] not in _VOWELS:  # "oan", "uynh": on the last vowel
        return {vowels[-1]}
    if rhyme in ("oa", "oe", "uy"):  # "hòa" and "hoà" are both in use
        return {0, 1}
    return {1} if len(vowels) == 3 else {0}  # "oái", "khuya"; "mái", "mía"


# ---------------------------------------------------------------------------
# Legacy text pasted into a UTF-8 file
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PastedLegacyText:
    """A line of a UTF-8 text that holds legacy-encoded Vietnamese shown in a Western font:
    "Qu¶ng Nam ®· ph¸t hiÖn" (TCVN3), "Quaûng Nam" (VNI), as text copied from documents typed
    with .VnTime or VNI-Times fonts looks once pasted into a Unicode editor."""

    line: int  # 0-based line of the text
    encoding: str  # one of PASTE_ENCODINGS
    converted: str  # the line as it was meant


UTF8_AS_CP1252 = "UTF-8 bị đọc nhầm thành Windows-1252"  # "Quáº£ng": UTF-8 read as a Western page
PASTE_ENCODINGS = (TCVN3, VNI, UTF8_AS_CP1252)
# A symbol between two letters ("ph¸t", "Lª", "Ä‘"): no Western word has one, so together with
# a reading that is real Vietnamese it is proof enough even without a letter outside Latin-1.
_GARBLED_SYMBOLS = "\u0080-\u00bf\u00d7\u00f7\u0192\u02c6\u02dc\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
# ... or a Western capital inside a lower-case word ("NghÌo", "NguyÔn"): TCVN3's toned capitals.
_GARBLED = re.compile(rf"(?<=[^\W\d_])[{_GARBLED_SYMBOLS}]|[{_GARBLED_SYMBOLS}](?=[^\W\d_])"
                      r"|(?<=[a-z\u00df-\u00ff])[\u00c0-\u00d6\u00d8-\u00de]")


def find_pasted_legacy_text(text: str) -> list[PastedLegacyText]:
    """Lines of ``text`` that read as garbled Vietnamese and as real Vietnamese once their
    Western characters are taken back to bytes and decoded with a legacy table."""
    found = []
    for number, line in enumerate(text.split("\n")):
        readings = [] if line.isascii() else list(_pasted_readings(line))
        if not readings:
            continue  # ASCII, or a character no Western font has (ư, ơ, ạ...): Unicode as typed
        original_valid = _syllable_counts(line)[0]
        garbled = bool(_GARBLED.search(line))
        best = None  # the reading that is Vietnamese, and more so than the line as it stands
        for encoding, converted in readings:
            valid, accented, distinctive = _syllable_counts(converted, abc_caps=encoding == TCVN3)
            enough = MIN_VALID_WORDS if accented > 2 else 1  # a short name has one or two words
            if (valid >= enough and valid >= MIN_VALID_RATIO * accented and valid > original_valid
                    and (distinctive or garbled)):
                # Equally Vietnamese readings: the shorter wins, as VNI's two-byte letters collapse
                # into one only when they were VNI ("noâng" reads "nông" in VNI, "noõng" in TCVN3).
                key = (valid / accented, valid, -len(converted))
                if best is None or key > best[0]:
                    best = (key, encoding, converted)
        if best:
            found.append(PastedLegacyText(number, best[1], best[2]))
    return found


def _pasted_readings(line: str):
    """(encoding, what the line says) for each way the pasted line decodes."""
    try:
        raw = _western_bytes(line)
    except UnicodeEncodeError:
        return
    yield TCVN3, decode_legacy(raw, TCVN3)
    yield VNI, decode_legacy(raw, VNI)
    try:
        as_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    yield UTF8_AS_CP1252, unicodedata.normalize("NFC", as_utf8)


def _western_bytes(line: str) -> bytes:
    """The bytes a Western (Windows-1252) font showed as ``line``; its five unassigned bytes and
    the C1 controls come back as themselves (Latin-1)."""
    with contextlib.suppress(UnicodeEncodeError):
        return line.encode("cp1252")
    out = bytearray()
    for index, char in enumerate(line):
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                raise UnicodeEncodeError("cp1252", line, index, index + 1, "not a Western character") from None
            out.append(ord(char))
    return bytes(out)


# ---------------------------------------------------------------------------
# Converting with the legacy tables
# ---------------------------------------------------------------------------


def decode_legacy(data: bytes, encoding: str) -> str:
    """Decode ``data`` as one of LEGACY_ENCODINGS; unknown bytes become U+FFFD."""
    if encoding == CP1258:
        text = data.decode("cp1258", errors="replace")  # tone marks are combining
    elif encoding == VNI:
        text = _VNI_SEQUENCE.sub(lambda m: _VNI_DECODE[m.group()], data.decode("cp1252", errors="replace"))
    elif encoding == TCVN3:
        text = data.decode("latin-1").translate(_TCVN3_DECODE)
    elif encoding == VISCII:
        text = data.decode("latin-1").translate(_VISCII_DECODE)
    else:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    return unicodedata.normalize("NFC", text)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Encode Vietnamese ``text`` as one of LEGACY_ENCODINGS.

    TCVN3 capitals take their TCVN 5712 code where the table below has one;
    the 12 it lacks (Ú, Ụ, Ừ... Ỵ) get the lower-case code, as typed with ABC
    fonts, where capitals come from a separate font.  Raises
    UnicodeEncodeError for anything else outside the table.
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == CP1258:
        return "".join(map(_cp1258_spelling, text)).encode("cp1258")
    if encoding == VNI:
        return "".join(_VNI_ENCODE.get(ch, ch) for ch in text).encode("cp1252")
    if encoding == TCVN3:
        table = _TCVN3_ENCODE
    elif encoding == VISCII:
        table = _VISCII_ENCODE
    else:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    out = bytearray()
    for i, ch in enumerate(text):
        code = table.get(ch, ord(ch) if ch.isascii() else None)
        if code is None:
            code = table.get(ch.lower()) if encoding == TCVN3 else None
        if code is None:
            raise UnicodeEncodeError(encoding, text, i, i + 1, "not in the table")
        out.append(code)
    return bytes(out)


def _cp1258_spelling(ch: str) -> str:
    # CP1258 has â, ơ, ư... and a few toned letters precomposed; every other
    # toned letter is spelt base letter + combining tone mark, as Windows does.
    try:
        ch.encode("cp1258")
        return ch
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        base = "".join(c for c in decomposed if c not in _TONE_MARKS)
        return unicodedata.normalize("NFC", base) + tones


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

# TCVN 5712:1993 (VN1), bytes 0x80-0xFF.  TCVN3/ABC (VN3) is the subset with
# the lower-case letters (0xB5-0xFE) and Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ (0xA1-0xAE);
# VN1 adds upper-case toned letters in the remaining slots and combining tone
# marks at 0xB0-0xB4.  Decoding with the superset reads both.  (VN1's twelve
# letters in 0x01-0x17 are left out: those bytes are control characters.)
# Checked against glibc's TCVN5712-1 charmap (see tests).
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)

# VISCII (RFC 1456): all 134 precomposed letters, six of them replacing rarely
# used control characters.  Checked against glibc's VISCII charmap.
_VISCII_LOW = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"  # 0x80
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 0x90
    "Õắằặấầẩậẽẹếềểễệố"  # 0xA0
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"  # 0xB0
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"  # 0xC0
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # 0xD0
    "àáâãảăữẫèéêẻìíĩỉ"  # 0xE0
    "đựòóôõỏọụùúũủýợỮ"  # 0xF0
)

# VNI-Windows: text is Windows-1252; a toned vowel is its base letter followed
# by a "mark" character (the VNI fonts draw e.g. "ù" as a floating acute).
# Rows: the letter, then its spelling with no tone, sắc, huyền, hỏi, ngã, nặng.
# Capitals are the same spelling upper-cased ("AÙ" is Á, "Ô" is Ơ).
_VNI_ROWS = (
    ("a", "a aù aø aû aõ aï"),
    ("ă", "aê aé aè aú aü aë"),
    ("â", "aâ aá aà aå aã aä"),
    ("e", "e eù eø eû eõ eï"),
    ("ê", "eâ eá eà eå eã eä"),
    ("i", "i í ì æ ó ò"),  # i takes one-byte letters
    ("o", "o où oø oû oõ oï"),
    ("ô", "oâ oá oà oå oã oä"),
    ("ơ", "ô ôù ôø ôû ôõ ôï"),
    ("u", "u uù uø uû uõ uï"),
    ("ư", "ö öù öø öû öõ öï"),
    ("y", "y yù yø yû yõ î"),  # ỵ is the single byte 0xEE
)
_VNI_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


def _vni_encode_table() -> dict[str, str]:
    table = {"đ": "ñ", "Đ": "Ñ"}
    for letter, spellings in _VNI_ROWS:
        for tone, spelling in zip(_VNI_TONES, spellings.split()):
            composed = unicodedata.normalize("NFC", letter + tone)
            table[composed] = spelling
            table[composed.upper()] = spelling.upper()
    return {ch: s for ch, s in table.items() if ch != s}  # drop plain a, e, i...


_VNI_ENCODE = _vni_encode_table()
_VNI_DECODE = {spelling: ch for ch, spelling in _VNI_ENCODE.items()}
# Longest first, so "ôù" (ớ) wins over "ô" (ơ) followed by a stray mark.
_VNI_SEQUENCE = re.compile("|".join(map(re.escape, sorted(_VNI_DECODE, key=len, reverse=True))))

_TCVN3_DECODE = {0x80 + i: ch for i, ch in enumerate(_TCVN3_HIGH)}
_TCVN3_ENCODE = {ch: code for code, ch in _TCVN3_DECODE.items() if not unicodedata.combining(ch)}
_VISCII_DECODE = {**_VISCII_LOW, **{0x80 + i: ch for i, ch in enumerate(_VISCII_HIGH)}}
_VISCII_ENCODE = {ch: code for code, ch in _VISCII_DECODE.items()}
