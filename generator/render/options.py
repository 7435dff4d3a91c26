"""The one value every renderer reads for how to render this run: built by the CLI and the plugin.

Its own module so that every render module can import it (site.py imports them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_LICENCE = "Được phép sử dụng lại, ghi rõ nguồn: Điển hình tiên tiến tỉnh Quảng Nam (CC BY 4.0)."
DEFAULT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.vi"


LOCAL_BACKEND_PORT = 8081  # decap-server's own default; `dienhinh editor --api-port` chooses another


@dataclass(frozen=True)
class EditorSetup:
    """The web editor (Decap CMS, render/editor.py) as this project ships it."""

    app_files: tuple[Path, ...]  # Decap's own built files (node_modules/decap-cms/dist), shipped as they are
    profiles_folder: str  # the profiles' folder, relative to the repository the editor commits to
    backend_json: str = ""  # mkdocs.yml's `editor: {backend: ...}` as JSON (a frozen value); "": local only
    local_backend_port: int = LOCAL_BACKEND_PORT  # where `dienhinh editor` runs decap-server on 127.0.0.1
    view_url: str = ""  # where Decap's links to the site go, if not site_url: the live preview's own address


@dataclass(frozen=True)
class RenderOptions:
    preview: bool = False  # `mkdocs serve`: scheduled items shown, marked as such
    internal: bool = False  # internal pages (quota reports) that the public site leaves out
    site_url: str = ""  # absolute base for feeds, canonical URLs and press kits
    licence: str = DEFAULT_LICENCE
    licence_url: str = DEFAULT_LICENCE_URL
    site_name: str = ""
    cache_dir: Path | None = None  # the photo cache; None: no photos are published
    editor: EditorSetup | None = None  # None: no web editor at /quan-tri/ (`dienhinh emit`, tests)
