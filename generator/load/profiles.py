"""Find profile bundles and read each one into raw front matter + body, strictly.

python-frontmatter splits the document; the YAML itself goes through ``yamlsafe`` so that
missing, broken or non-mapping front matter is an error with a line, never empty metadata.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from generator.core.model import Problem
from generator.load.encodings import EncodingProblem, decode_source
from generator.load.yamlsafe import ParsedYaml, YamlProblem, parse_yaml

MAX_PROFILE_BYTES = 512 * 1024  # the longest real profile is a few KB; this stops a pasted dump
PROFILE_FILE = "index.md"
_HANDLER = frontmatter.YAMLHandler()


@dataclass(frozen=True)
class RawProfile:
    display: str  # path relative to the project root, for messages
    bundle_dir: Path
    meta: ParsedYaml
    fm_line_offset: int  # add to a YAML line to get the file line
    body: str
    body_line: int

    def line_of(self, path: tuple) -> int | None:
        return self.meta.line_of(path, self.fm_line_offset)

    def texts(self) -> Iterator[tuple[int | None, str, str]]:
        """(line, field, text) for every front matter string, then the body as one text.

        A match at offset ``i`` of a text lies on line ``line + text.count("\n", 0, i)``.
        """
        def walk(value, path):
            if isinstance(value, str):
                yield self.line_of(path), ".".join(map(str, path)), value
            elif isinstance(value, dict):
                for key, child in value.items():
                    yield from walk(child, path + (key,))
            elif isinstance(value, list):
                for index, child in enumerate(value):
                    yield from walk(child, path + (index,))

        yield from walk(self.meta.data, ())
        yield self.body_line, "", self.body


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def find_profile_files(profiles_dir: Path) -> list[Path]:
    """Every ``index.md`` under profiles/, in a stable order; directory symlinks are not followed.
    A folder named ``index.md`` is listed too, so that reading it says what is wrong."""
    found = []
    for current, dirs, files in os.walk(profiles_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != PROFILE_FILE)
        if PROFILE_FILE in files or os.path.isdir(os.path.join(current, PROFILE_FILE)):
            found.append(Path(current) / PROFILE_FILE)
    return sorted(found)


def read_profile(path: Path, root: Path, profiles_dir: Path) -> RawProfile | Problem:
    display = display_path(path, root)
    if path.is_symlink() and not path.resolve().is_relative_to(profiles_dir.resolve()):
        return Problem(
            "DH063", display, "Tệp là liên kết tượng trưng (symlink) trỏ ra ngoài thư mục profiles/; bị từ chối."
        )
    if path.is_dir():
        return Problem("DH064", display, f"“{PROFILE_FILE}” ở đây là một thư mục, không phải tệp hồ sơ: hãy đổi tên "
                       f"thư mục này và viết hồ sơ vào tệp {PROFILE_FILE}.")
    try:
        size = path.stat().st_size
        if size > MAX_PROFILE_BYTES:
            return Problem("DH005", display, f"Tệp quá lớn ({size // 1024} KB; tối đa {MAX_PROFILE_BYTES // 1024} KB).")
        decoded = decode_source(path.read_bytes())
    except EncodingProblem as error:
        return Problem(error.code, display, error.message, error.line)
    except OSError as error:
        return Problem("DH001", display, f"Không đọc được tệp ({error.strerror or error}).")
    return parse_profile_text(decoded.text, display, path.parent)


def parse_profile_text(text: str, display: str, bundle_dir: Path) -> RawProfile | Problem:
    if not _HANDLER.detect(text):
        return Problem(
            "DH010", display, "Thiếu phần thông tin đầu trang (front matter): tệp phải bắt đầu bằng dòng “---”.", 1
        )
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        return Problem("DH011", display, "Phần front matter chưa được đóng: thiếu dòng “---” thứ hai.", 1)
    try:
        meta = parse_yaml(fm)
    except YamlProblem as error:
        return Problem(error.code, display, error.message, error.line or 1)
    if not isinstance(meta.data, dict):
        return Problem(
            "DH013", display, "Front matter phải là các cặp “khóa: giá trị”, không phải một danh sách hay một chuỗi.", 2
        )
    head = text[: len(text) - len(body)]
    body_line = head.count("\n") + 1
    if body.startswith("\n"):
        body, body_line = body[1:], body_line + 1
    # The YAML text starts with the newline that ends the opening '---', so its lines are file lines.
    return RawProfile(display, bundle_dir, meta, 0, body, body_line)
