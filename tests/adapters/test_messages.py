"""The command line in Vietnamese: Click's own words from our catalogue, on --help and on every
error path an editor meets, and the catalogue kept in step with Click and with its .mo file."""

from __future__ import annotations

import gettext
import io
import os
import re
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from generator.adapters.cli import main
from generator.adapters.messages import LOCALE_DIR

CATALOGUE = LOCALE_DIR / "vi" / "LC_MESSAGES" / "dienhinh.po"
# What Click says in English when nothing translates it, and the placeholders it spells itself.
ENGLISH = re.compile(r"Usage|Options|Commands|Show this|Error|Try |No such|Missing|Invalid|Aborted|not one of|"
                     r"does not|is not|default|required|\b(TEXT|INTEGER|PATH|FILE|OPTIONS|COMMAND|ARGS|TARGETS|"
                     r"SCOPE|DESTINATION)\b")
COMMANDS = [[], ["check"], ["new"], ["emit"], ["build"], ["serve"], ["report"], ["fix"]]


def run(project, *args, input=None):
    return CliRunner().invoke(main, ["--root", str(project.root), *args], input=input)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "dienhinh")
def test_help_is_vietnamese(project, command):
    result = run(project, *command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Cách dùng: dienhinh") and "Tùy chọn:" in result.output
    assert "Hiện hướng dẫn này rồi thoát." in result.output
    assert not ENGLISH.findall(result.output), result.output


@pytest.mark.parametrize("args, said", [
    (["check", "--xyz"], "Gõ 'dienhinh check --help' để xem hướng dẫn.\n\nLỗi: Không có tùy chọn '--xyz'."),
    (["chekc"], "Lỗi: Không có lệnh 'chekc'. (Có phải ý bạn là 'check'?)"),
    (["check", "--format", "xml"], "chọn một trong: 'text', 'json', 'github'."),
    (["report", "--year", "abc"], "'abc' không phải là số."),
    (["emit"], "Lỗi: Thiếu tham số 'THƯ_MỤC_ĐÍCH'."),
    (["check", "/khong/co/ho-so"], "Không tìm thấy '/khong/co/ho-so'."),
    (["check", "--since"], "Lỗi: Tùy chọn '--since' cần 1 giá trị."),
])
def test_usage_errors_are_vietnamese(project, args, said):
    result = run(project, *args)
    assert result.exit_code == 2
    assert said in result.output
    assert not ENGLISH.findall(result.output), result.output


def test_an_interrupted_prompt_says_so_in_vietnamese(project):
    result = run(project, "new", input="")  # the editor closes the prompt (Ctrl-D)
    assert result.exit_code == 1 and "Đã dừng." in result.output
    assert not ENGLISH.findall(result.output), result.output


def test_the_language_is_switched_only_while_a_command_runs(project, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    run(project, "check", "--xyz")
    assert os.environ["LANGUAGE"] == "en" and gettext.textdomain() == "messages"
    assert gettext.gettext("Usage:") == "Usage:"


def test_every_message_we_translate_is_one_click_says():
    """A Click upgrade that rewords a message leaves our translation unused: found here."""
    said = {found[2] for found in extract_from_dir(Path(click.__file__).parent,
                                                     keywords={"_": None, "ngettext": (1, 2)})}
    said = {m if isinstance(m, str) else m[0] for m in said}
    ours = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(CATALOGUE.open("rb")) if m.id}
    assert ours - said == set()
    for message in read_po(CATALOGUE.open("rb")):
        if message.id:  # placeholders kept: "{value!r}" in, "{value!r}" out (or left out, never invented)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            source = " ".join(message.id if isinstance(message.id, tuple) else (message.id,))
            for string in strings:
                assert set(re.findall(r"\{\w+", string)) <= set(re.findall(r"\{\w+", source)), message.id


def test_the_compiled_catalogue_is_up_to_date():
    compiled = io.BytesIO()
    write_mo(compiled, read_po(CATALOGUE.open("rb")))
    assert CATALOGUE.with_suffix(".mo").read_bytes() == compiled.getvalue(), "run scripts/compile-messages.sh"


def test_mkdocs_warnings_about_content_pages_are_vietnamese(project, caplog, monkeypatch):
    """A real build with the mistakes an editor makes in content pages and the nav: every
    warning, as our handler prints it, is Vietnamese."""
    from generator.adapters.build import build_site
    from generator.adapters.messages import vietnamese_mkdocs_message

    config = project.write_mkdocs_yml()
    config.write_text(config.read_text(encoding="utf-8") + "nav:\n  - Trang chủ: index.md\n  - Mất: mat.md\n"
                      "validation:\n  anchors: warn\n", encoding="utf-8")
    index = project.root / "content" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n\n[a](khong-co.md) [b](index.md#khong-co-muc) "
                     "[c](phong-trao.md)\n", encoding="utf-8")
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    with caplog.at_level("WARNING", logger="mkdocs"):
        build_site(config, project.root / "site", strict=False)
    said = [vietnamese_mkdocs_message(r) for r in caplog.records if r.name.startswith("mkdocs")]
    assert "Cảnh báo: Mục “mat.md” trong phần nav của mkdocs.yml không có trong thư mục nội dung." in said
    assert ("Cảnh báo: Trang “index.md” có liên kết “khong-co.md” tới một tệp không có trong thư mục nội dung."
            in said)
    assert any("“index.md#khong-co-muc”" in line for line in said)
    assert [line for line in said if ENGLISH.search(line) or "Doc file" in line] == []
