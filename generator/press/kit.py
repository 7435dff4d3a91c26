"""Press kit of one profile: the story told for reuse, its files, and the zip holding them.

``tell_story`` gathers what every format says (headline, facts, photos, citation, licence);
the formats themselves are templates (HTML fragment, plain text, Markdown) and the ninjs
object (``ninjs.py``). ``kit_manifest`` is the one list of files: the zip is built from it and
the profile page shows it, so the two cannot disagree.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment
from markupsafe import Markup

from generator.infra.templates import new_environment
from generator.press.ninjs import NINJS_VERSION, ninjs_bytes, profile_ninjs
from generator.press.photos import KitPhoto
from generator.press.site import FRAGMENT_NAME, kit_folder, midnight
from generator.press.story import Story


@dataclass(frozen=True)
class KitEntry:
    name: str  # path inside the kit folder
    description: str


def kit_manifest(photos: tuple[KitPhoto, ...]) -> tuple[KitEntry, ...]:
    """Every file of a kit, in order; ``photos`` are the kit's (``press_photos.kit_photos``)."""
    entries = [KitEntry(FRAGMENT_NAME, "bản tin HTML sạch, không kèm giao diện trang, không có mã chạy"),
               KitEntry("ban-tin.txt", "bản tin dạng văn bản thuần (UTF-8)"),
               KitEntry("ban-tin.md", "bản tin dạng Markdown"),
               KitEntry("ninjs.json", f"siêu dữ liệu theo chuẩn IPTC ninjs {NINJS_VERSION}")]
    entries += [KitEntry(photo.name, f"ảnh {photo.width}×{photo.height} điểm ảnh, đã bỏ dữ liệu máy ảnh và vị trí")
                for photo in photos]
    if photos:
        entries.append(KitEntry("anh/chu-thich.txt", "chú thích và tác giả của từng ảnh"))
    entries += [KitEntry("trich-dan.txt", "trích dẫn nguồn đề nghị"),
                KitEntry("giay-phep.txt", "giấy phép sử dụng lại")]
    return tuple(entries)


@cache
def _text_environment() -> Environment:
    """The kits' plain text and Markdown: values as they are, Markdown syntax escaped where asked."""
    env = new_environment(markup=False)
    env.filters["mdx"] = markdown_escape
    return env


class KitWriter:
    """Renders the kit's formats; holds the two template environments (HTML escaped, text not)."""

    def __init__(self, html_env: Environment):
        self.html_env = html_env
        self.text_env = _text_environment()

    def fragment(self, story: Story) -> str:
        return self.html_env.get_template("press_fragment.html.j2").render(story=story)

    def document(self, story: Story) -> bytes:
        """The fragment as a tiny valid HTML5 page, published beside the profile for preview."""
        return self.html_env.get_template("press_document.html.j2").render(
            story=story, fragment=Markup(self.fragment(story))).encode("utf-8")

    def text(self, template: str, story: Story) -> str:
        return self.text_env.get_template(template).render(story=story)

    def files(self, story: Story) -> dict[str, bytes]:
        data: dict[str, str | bytes] = {
                FRAGMENT_NAME: self.fragment(story), "ban-tin.txt": self.text("press_kit.txt.j2", story),
                "ban-tin.md": self.text("press_kit.md.j2", story), "ninjs.json": ninjs_bytes(profile_ninjs(story)),
                "anh/chu-thich.txt": self.text("press_captions.txt.j2", story),
                "trich-dan.txt": story.citation + "\n", "giay-phep.txt": self.text("press_licence.txt.j2", story)}
        files = {name: value.encode("utf-8") if isinstance(value, str) else value for name, value in data.items()}
        files.update({photo.name: photo.source.read_bytes() for photo in story.photos})
        return files

    def zip(self, story: Story) -> bytes:
        files = self.files(story)
        stamp = midnight(story.published).timetuple()[:6]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for entry in kit_manifest(story.photos):
                info = zipfile.ZipInfo(f"{kit_folder(story.profile)}/{entry.name}", date_time=stamp)
                info.external_attr = 0o644 << 16
                is_image = entry.name.endswith(".jpg")  # already compressed
                info.compress_type = zipfile.ZIP_STORED if is_image else zipfile.ZIP_DEFLATED
                archive.writestr(info, files[entry.name])
        return buffer.getvalue()


_MARKDOWN_SYNTAX = str.maketrans({c: "\\" + c for c in "\\`*_[]#|<>!&"})


def markdown_escape(value: object) -> str:
    """Backslash-escape what Markdown (and its inline HTML) would read as syntax."""
    return str(value).translate(_MARKDOWN_SYNTAX)
