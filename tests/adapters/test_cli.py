"""The dienhinh command as an editor runs it: exit codes, messages, no file modified."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import time
import unicodedata
import urllib.parse

import pytest
from click.testing import CliRunner

from generator.adapters.cli import main
from generator.check.project import ProjectPaths, check_project


def run(project, *args, input=None):
    return CliRunner().invoke(main, ["--root", str(project.root), *args], input=input, catch_exceptions=False)


def snapshot(project):
    return {p: p.read_bytes() for p in sorted(project.root.rglob("*")) if p.is_file()}


def test_check_clean_exits_0(project):
    project.write_profile("an")
    result = run(project, "check")
    assert result.exit_code == 0
    assert "Đã kiểm tra 1 hồ sơ: 0 lỗi, 0 cảnh báo." in result.output


def test_check_problems_exit_1_and_modify_nothing(project):
    project.write_profile("an", locality="Dien Ban")
    project.write_profile("bad", raw="---\ntitle: [\n---\n")
    before = snapshot(project)
    result = run(project, "check")
    assert result.exit_code == 1
    assert "profiles/2024/an/index.md:8: lỗi DH031 [locality]" in result.output
    assert "Có phải ý bạn là “dien-ban”?" in result.output
    assert "profiles/2024/bad/index.md" in result.output and "Traceback" not in result.output
    assert snapshot(project) == before


def check_and_build(project, caplog):
    """(exit code, what was said) of `check`, then of `build`, which reports through MkDocs' logger."""
    for command in ("check", "build"):
        caplog.clear()
        result = run(project, command)
        yield result.exit_code, result.output + caplog.text


def test_a_date_that_does_not_exist_is_a_message_in_check_and_build(project, caplog):
    path = project.write_profile("an")
    text = path.read_text(encoding="utf-8").replace("year: 2024\n", "year: 2024\nnominated_on: 2024-02-31\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("nominated_on: 2024-02-31") + 1
    project.write_mkdocs_yml()
    for exit_code, said in check_and_build(project, caplog):
        assert exit_code == 1, said
        assert f"profiles/2024/an/index.md:{line}: lỗi DH022 [nominated_on]" in said
        assert "“2024-02-31” không phải ngày hợp lệ" in said
        assert "Traceback" not in said and "ValueError" not in said
    assert not (project.root / "site").exists()


def test_a_forged_line_or_an_endless_name_stops_check_and_build_with_a_message(project, caplog):
    project.write_profile("an", title="Tiêu đề\nẢnh: giả mạo")
    project.write_profile("binh", subject={"kind": "ca-nhan", "name": "Trần Bình " * 10_000})
    project.write_mkdocs_yml()
    for exit_code, said in check_and_build(project, caplog):
        assert exit_code == 1, said
        assert "profiles/2024/an/index.md:2: lỗi DH028 [title]" in said
        assert "profiles/2024/binh/index.md:6: lỗi DH027 [subject.name]" in said
        assert "Traceback" not in said
    assert not (project.root / "site").exists()


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_build_removes_what_killed_builds_left_and_nothing_else(project):
    project.write_profile("an")
    project.write_mkdocs_yml()
    dead, alive = _dead_pid(), os.getppid()
    left = [f".site.tmp-{dead}-k9x2", f".site.old-{dead}", ".site.tmp-cu_k9x2a"]
    kept = [f".site.tmp-{alive}-runs", f".ban-sao.tmp-{dead}-khac", ".site.tmp-moi_abc1"]
    for name in left + kept:
        (project.root / name / "ho-so").mkdir(parents=True)
        (project.root / name / "ho-so" / "index.html").write_text("cũ", encoding="utf-8")
    two_days_ago = time.time() - 2 * 24 * 3600  # a pid-less folder of an older version: by its age
    os.utime(project.root / ".site.tmp-cu_k9x2a", (two_days_ago, two_days_ago))
    assert run(project, "build").exit_code == 0
    assert [name for name in left + kept if (project.root / name).exists()] == kept
    assert (project.root / "site" / "index.html").is_file()


@pytest.mark.parametrize("where", ["staging", "inside"])
def test_a_read_only_project_gets_a_message_not_a_traceback(project, monkeypatch, where):
    project.write_profile("an")
    project.write_mkdocs_yml()
    read_only = OSError(errno.EROFS, "Read-only file system", str(project.root / ".cache"))
    if where == "staging":
        monkeypatch.setattr("generator.infra.files.tempfile.mkdtemp", lambda **_: (_ for _ in ()).throw(read_only))
    else:
        monkeypatch.setattr("generator.adapters.build.build", lambda config, **_: (_ for _ in ()).throw(read_only))
    result = run(project, "build")
    assert result.exit_code == 1
    assert f"Không ghi được vào “{project.root / '.cache'}”: hệ thống tệp chỉ cho phép đọc" in result.output
    assert "Traceback" not in result.output and not (project.root / "site").exists()


def test_emit_writes_no_disguised_payload(project, tmp_path):
    project.write_profile("an", body="## Thành tích\n\n[Xem thêm][1] và <img/src/onerror=alert(1)>\n\n"
                                     "[1]: &#106;avascript:alert(1)\n")
    result = run(project, "emit", str(tmp_path / "ra"))
    assert result.exit_code == 1
    assert "“onerror=”" in result.output and "“javascript:”" in result.output
    assert not (tmp_path / "ra").exists()


def test_check_json(project):
    project.write_profile("an", movement="nong-thon")
    result = run(project, "check", "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["errors"] == 1
    [problem] = data["problems"]
    assert problem["code"] == "DH030" and problem["suggestion"] == "nong-thon-moi" and problem["line"] == 7


def test_check_usage_error_exits_2(project):
    result = CliRunner().invoke(main, ["--root", str(project.root), "check", "--format", "xml"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["--root", str(project.root / "khong-co"), "check"])
    assert result.exit_code == 2


def test_check_only_named_bundles(project):
    project.write_profile("good")
    project.write_profile("bad", movement="x")
    result = run(project, "check", str(project.root / "profiles/2024/good"))
    assert result.exit_code == 0 and "1 hồ sơ" in result.output


def test_check_since_git_ref(project):
    git = lambda *a: subprocess.run(["git", *a], cwd=project.root, check=True, capture_output=True)  # noqa: E731
    project.write_profile("old", movement="khong-co")
    git("init", "-q")
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", ".")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x")
    project.write_profile("new")
    result = run(project, "check", "--since", "HEAD")
    assert result.exit_code == 0 and "1 hồ sơ" in result.output


def test_new_scaffolds_a_valid_bundle_and_never_overwrites(project):
    args = ["new", "--name", "Lê Thị Đào", "--kind", "ca-nhan", "--movement", "dan-van-kheo", "--locality",
            "Xã Điện Phước", "--nominated-by", "ubnd-dien-ban", "--year", "2024"]
    result = run(project, *args)
    assert result.exit_code == 0, result.output
    text = (project.root / "profiles/2024/le-thi-dao/index.md").read_text(encoding="utf-8")
    assert "## Cách làm hay, sáng tạo" in text and "locality: dien-phuoc" in text
    check = run(project, "check")
    assert "DH041" in check.output  # consent not yet obtained: reported, not published
    assert run(project, *args).exit_code == 2


def test_the_untouched_template_is_refused_until_its_placeholders_are_replaced(project):
    args = ["new", "--name", "Tổ hợp tác rau Trà Quế", "--kind", "tap-the", "--movement", "nong-thon-moi",
            "--locality", "dien-phuoc", "--nominated-by", "ubnd-dien-ban", "--year", "2024"]
    assert run(project, *args).exit_code == 0
    path = project.root / "profiles/2024/to-hop-tac-rau-tra-que/index.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    result = check_project(ProjectPaths.at(project.root))
    found = [(p.code, p.line) for p in result.problems]
    assert found == [("DH071", lines.index(next(x for x in lines if x.startswith("summary:"))) + 1),
                     ("DH072", lines.index("## Thành tích nổi bật") + 1),
                     ("DH072", lines.index("## Cách làm hay, sáng tạo") + 1),
                     ("DH072", lines.index("## Hiệu quả và sức lan tỏa") + 1)]
    assert result.profiles == ()
    text = path.read_text(encoding="utf-8").replace(
        "Tóm tắt 1-3 câu về thành tích nổi bật (tối đa 400 ký tự).", "Tổ trồng rau an toàn cho cả làng.")
    text = text.replace("## Thành tích nổi bật\n", "## Thành tích nổi bật\n\nBa năm liền đạt chuẩn VietGAP.\n")
    text = text.replace("## Cách làm hay, sáng tạo\n", "")  # a section not needed goes, heading and all
    text = text.rstrip("\n") + "\n\nCả thôn học theo.\n"
    path.write_text(text, encoding="utf-8")
    result = check_project(ProjectPaths.at(project.root))
    assert result.problems == () and len(result.profiles) == 1


def test_new_lists_what_a_code_could_be(project):
    args = ["new", "--name", "Tổ hợp tác", "--kind", "tap-the", "--locality", "dien-ban", "--nominated-by",
            "so-nnptnt", "--year", "2024"]
    result = run(project, *args, input="nong-thon\n1\n")
    assert "   1. nong-thon-moi: " in result.output and "Gõ số thứ tự để chọn." in result.output
    assert "movement: nong-thon-moi" in (project.root / "profiles/2024/to-hop-tac/index.md").read_text("utf-8")


def test_fix_nfc_keeps_a_backup_and_prints_the_diff(project):
    path = project.write_profile("an")
    original = path.read_text(encoding="utf-8")
    path.write_text(unicodedata.normalize("NFD", original), encoding="utf-8")
    nfd_bytes = path.read_bytes()
    assert run(project, "check").exit_code == 0  # NFD is read as NFC; nothing is rewritten by check
    assert path.read_bytes() == nfd_bytes
    result = run(project, "fix", "--nfc")
    assert result.exit_code == 0 and "(NFC)" in result.output
    assert path.read_text(encoding="utf-8") == original
    assert (path.parent / "index.md.bak").read_bytes() == nfd_bytes
    assert "Đã chuẩn hóa 0 tệp." in run(project, "fix", "--nfc").output


def test_emit_writes_pages_and_refuses_source_folders(project, tmp_path_factory):
    project.write_profile("an")
    out = tmp_path_factory.mktemp("emit") / "docs"
    result = run(project, "emit", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "ho-so/an/index.md").is_file() and (out / "phong-trao/nong-thon-moi/index.md").is_file()
    assert (out / "index.md").read_text(encoding="utf-8").count("Giới thiệu ngắn.") == 1
    bad = CliRunner().invoke(main, ["--root", str(project.root), "emit", str(project.root / "profiles")])
    assert bad.exit_code == 2 and (project.root / "profiles/2024/an/index.md").is_file()


def test_emit_takes_site_url_and_licence_from_mkdocs_yml(project, tmp_path_factory):
    """The emitted pages are the ones the plugin builds: press block, kit and feeds need site_url."""
    project.write_profile("an")
    out = tmp_path_factory.mktemp("emit") / "bare"
    assert run(project, "emit", str(out)).exit_code == 0
    assert "Tư liệu cho báo chí" not in (out / "ho-so/an/index.md").read_text(encoding="utf-8")
    project.write_mkdocs_yml()
    out = tmp_path_factory.mktemp("emit") / "docs"
    assert run(project, "emit", str(out)).exit_code == 0
    page = (out / "ho-so/an/index.md").read_text(encoding="utf-8")
    assert "Tư liệu cho báo chí" in page and "https://example.test/nhung/" in page
    assert (out / "bao-chi/index.md").is_file() and (out / "feeds/rss.xml").is_file()
    assert (out / "ho-so/an/tu-lieu-an.zip").is_file()


def test_failed_build_keeps_the_previous_site(project, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()
    assert run(project, "build").exit_code == 0
    page = project.root / "site/ho-so/an/index.html"
    before = page.read_bytes()
    project.write_profile("broken", raw="---\ntitle: [\n---\n")
    result = run(project, "build")
    assert result.exit_code == 1
    assert "Trang cũ (nếu có) được giữ nguyên." in result.output
    assert "Dựng trang thất bại: xem các thông báo ở trên." in result.output and "Aborted" not in result.output
    assert page.read_bytes() == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site")]


WORKFLOW_COMMAND = re.compile(r"^::(?P<level>error|warning) (?P<props>[^:]*)::(?P<message>.*)$")


def _read_workflow_command(line: str) -> dict:
    """As the Actions runner reads it: properties split on ",", then %-escapes undone."""
    match = WORKFLOW_COMMAND.match(line)
    assert match, line
    unescape = lambda text: urllib.parse.unquote(text)  # noqa: E731  %25, %0A, %3A, %2C are URL escapes
    props = dict(part.split("=", 1) for part in match["props"].split(","))
    return {"level": match["level"], **{k: unescape(v) for k, v in props.items()},
            "message": unescape(match["message"])}


def test_check_github_annotates_the_file_and_line(project):
    project.write_profile("an", movement="nong-thon")
    project.write_profile("binh", title="“Người làm giàu”")
    result = run(project, "check", "--format", "github")
    assert result.exit_code == 1
    commands = [_read_workflow_command(line) for line in result.stdout.splitlines()]
    assert commands[0] == {"level": "error", "file": "profiles/2024/an/index.md", "line": "7",
                           "title": "DH030 [movement]",
                           "message": "Không có phong trào mã “nong-thon”. Có phải ý bạn là “nong-thon-moi”?"}
    assert commands[1]["level"] == "warning" and commands[1]["title"] == "DH017 [title]"


def test_workflow_commands_escape_what_would_end_them():
    from generator.adapters.cli import _workflow_command
    from generator.core.model import Problem

    problem = Problem("DH070", "profiles/2024/a,b:c/index.md", "100% sai:\nhai dòng, một lệnh", 3, "body")
    line = _workflow_command(problem)
    assert "\n" not in line
    assert _read_workflow_command(line) == {"level": "error", "file": "profiles/2024/a,b:c/index.md", "line": "3",
                                            "title": "DH070 [body]", "message": "100% sai:\nhai dòng, một lệnh"}
