"""Strict YAML parsing with line numbers, bounded alias expansion and duplicate-key checks.

PyYAML's SafeLoader happily expands a "billion laughs" document into a graph that explodes
when walked, silently keeps the last of two duplicate keys, and forgets where each value
came from. We compose the node tree ourselves so that each of those becomes a precise
message with a line number.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

# A profile's front matter has a few hundred nodes at most; 20,000 leaves room for long
# histories while a billion-laughs document (10^9 nodes) fails on its first levels.
MAX_EXPANDED_NODES = 20_000

# LibYAML's parser is ~10x faster than PyYAML's pure-Python one and keeps node marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, except that a date-shaped scalar that is no date (2024-02-31, 2024-13-01)
    stays text: YAML would raise a bare ValueError, while the field's converter (schema.to_date)
    reports it with the file, the line and the field."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

Path = tuple  # a key path such as ("subject", "name") or ("photos", 0, "alt")


class YamlProblem(Exception):
    """A YAML document we refuse, with a stable code and a Vietnamese message."""

    def __init__(self, code: str, message: str, line: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


@dataclass(frozen=True)
class ParsedYaml:
    data: Any
    lines: dict[Path, int]  # key path -> 1-based line, relative to the parsed text

    def line_of(self, path: Path, offset: int = 0) -> int | None:
        """Line of ``path`` or of its nearest ancestor that has one, shifted by ``offset``."""
        while True:
            if path in self.lines:
                return self.lines[path] + offset
            if not path:
                return None
            path = path[:-1]


def parse_yaml(text: str) -> ParsedYaml:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return ParsedYaml(None, {})
            _check_expansion(node)
            lines: dict[Path, int] = {(): node.start_mark.line + 1}
            _index_lines(node, (), lines)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem("DH012", _describe_yaml_error(error), line) from None
    except yaml.YAMLError as error:
        raise YamlProblem("DH012", f"YAML không hợp lệ: {error}") from None
    except RecursionError:
        raise YamlProblem("DH014", "YAML lồng nhau quá sâu.") from None
    return ParsedYaml(normalize_text(data), lines)


def normalize_text(value: Any) -> Any:
    """NFC-normalise every string, recursively (safe: the expansion is already bounded)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {normalize_text(k): normalize_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize_text(v) for v in value]
    return value


_YAML_HINTS = (  # PyYAML's English problem text -> what an editor should do
    ("mapping values are not allowed", "có dấu “:” không hợp lệ; hãy đặt giá trị có dấu hai chấm trong ngoặc kép"),
    ("cannot start any token", "có ký tự không được đứng đầu giá trị (Tab, @, `, %); thụt lề bằng dấu cách "
                               "và đặt giá trị trong ngoặc kép"),
    ("could not find expected ':'", "thiếu dấu “:” sau tên trường"),
    ("found undefined alias", "dùng bí danh (*alias) chưa được định nghĩa"),
    ("while scanning a quoted scalar", "dấu ngoặc kép chưa được đóng"),
    ("while parsing a flow sequence", "dấu ngoặc vuông “[” chưa được đóng"),
    ("while parsing a flow mapping", "dấu ngoặc nhọn “{” chưa được đóng"),
    ("expected the node content", "thiếu giá trị hoặc dấu ngoặc chưa được đóng"),
    ("did not find expected key", "thụt lề không đều hoặc thiếu “- ” ở đầu mục danh sách"),
    ("expected <block end>", "thụt lề không đều"),
    ("did not find expected '-' indicator", "mục danh sách phải bắt đầu bằng “- ”"),
)


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> str:
    text = f"{error.context or ''} {error.problem or ''}"
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return f"YAML sai cú pháp: {hint}."
    return f"YAML sai cú pháp (chi tiết: {(error.problem or 'không rõ').strip()})."


def _check_expansion(root: yaml.Node) -> None:
    """Refuse documents whose alias-expanded size exceeds MAX_EXPANDED_NODES."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > 100:
            raise YamlProblem("DH014", "YAML lồng nhau quá sâu (quá 100 cấp).", node.start_mark.line + 1)
        if id(node) in sizes:
            return sizes[id(node)]
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > MAX_EXPANDED_NODES:
            raise YamlProblem(
                "DH014",
                "YAML dùng bí danh (&/*) bung ra quá lớn; tệp bị từ chối để bảo vệ bản dựng.",
                node.start_mark.line + 1,
            )
        sizes[id(node)] = total
        return total

    size(root, 0)


def _index_lines(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is not None and key in seen:
                raise YamlProblem(
                    "DH015", f"Trường “{key}” khai báo hai lần (lần đầu ở dòng {seen[key]}).", line
                )
            if key is not None:
                seen[key] = line
                lines[path + (key,)] = line
                _index_lines(value_node, path + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines[path + (index,)] = child.start_mark.line + 1
            _index_lines(child, path + (index,), lines)
