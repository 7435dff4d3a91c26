"""`dienhinh new` at a terminal, as an editor uses it: driven through a pseudo-terminal with
answers typed by hand, "?" for the list, names without diacritics, a misspelt place, Ctrl-C."""

from __future__ import annotations

import sys

import pexpect

from conftest import ScratchProject
from generator.check.project import ProjectPaths, check_project


def _spawn(project: ScratchProject, *args: str) -> pexpect.spawn:
    command = ["-c", "from generator.adapters.cli import main; main()", "--root", str(project.root), "new", *args]
    return pexpect.spawn(sys.executable, command, encoding="utf-8", timeout=20, dimensions=(40, 160))


def test_new_guides_an_editor_through_every_code(project):
    child = _spawn(project, "--year", "2024")
    child.expect("Họ tên / tên tập thể: ")
    child.sendline("Lê Thị Đào")
    child.expect(r"Loại đối tượng \(gõ tên hoặc mã để tìm, \? để xem danh sách\): ")
    child.sendline("?")  # the list, with the Vietnamese names beside the codes
    child.expect("1. ca-nhan: Cá nhân")
    child.expect("Gõ số thứ tự để chọn.")
    child.expect("Loại đối tượng")
    child.sendline("1")
    child.expect("Phong trào")
    child.sendline("dan van kheo")  # a name typed without diacritics
    child.expect("1. dan-van-kheo: ")
    child.expect("Phong trào")
    child.sendline("1")
    child.expect(r"Địa phương \(năm 2024\)")
    child.sendline("Dien Phuco")  # misspelt, without diacritics: still the commune of 2024
    child.expect(r"(\d+)\. dien-phuoc: Xã Điện Phước, thị xã Điện Bàn")
    number = child.match.group(1)
    child.expect("Địa phương")
    child.sendline(number)
    child.expect("Cơ quan giới thiệu")
    child.sendline("ubnd dien bna")  # a typo
    child.expect(r"(\d+)\. ubnd-dien-ban: ")
    number = child.match.group(1)
    child.expect("Cơ quan giới thiệu")
    child.sendline(number)
    child.expect(r"Danh hiệu, hình thức khen thưởng đã có \(Enter để bỏ qua\): ")
    child.sendline("bang khen chu tich")  # searched among the awards for a person
    child.expect(r"(\d+)\. (\S+): Bằng khen của Chủ tịch")
    number, award = child.match.group(1), child.match.group(2)
    child.expect("Danh hiệu, hình thức khen thưởng")
    child.sendline(number)
    child.expect("Đã tạo ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = (project.root / "profiles/2024/le-thi-dao/index.md").read_text(encoding="utf-8")
    for line in ("kind: ca-nhan", "movement: dan-van-kheo", "locality: dien-phuoc", "nominated_by: ubnd-dien-ban",
                 f"  - code: {award}"):
        assert line in text
    codes = {problem.code for problem in check_project(ProjectPaths.at(project.root)).problems}
    assert codes == {"DH041", "DH071", "DH072"}  # consent still to obtain, and the placeholders to replace


def test_a_code_that_does_not_exist_is_said_and_asked_again(project):
    child = _spawn(project, "--name", "Tổ A", "--kind", "tap-the", "--year", "2024")
    child.expect("Phong trào")
    child.sendline("khong co gi ca")
    child.expect("Không tìm thấy “khong co gi ca”. Gõ \\? để xem danh sách.")
    child.expect("Phong trào")
    child.sendcontrol("c")  # the editor gives up: nothing is written
    child.expect("Đã dừng.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert not (project.root / "profiles" / "2024").exists()
