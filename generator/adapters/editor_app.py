"""Where the web editor's app comes from, and what mkdocs.yml says about it.

Decap CMS and decap-server are installed by npm from package.json (`npm ci --omit=dev`, which
`make site` runs). They are looked for in the project's own node_modules first, then beside the
generator's package (a project built with the generator of a checkout, such as the tests'
temporary sites).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from generator.check.project import ProjectPaths
from generator.render.options import LOCAL_BACKEND_PORT, EditorSetup

DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
DECAP_MAIN = "decap-cms.js"
DECAP_SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"
GENERATOR_CHECKOUT = Path(__file__).resolve().parents[2]


class EditorUnavailable(Exception):
    """The editor is asked for but cannot be built; the message is Vietnamese and says what to do."""


def installed(project_root: Path, relative: Path) -> Path | None:
    for base in (project_root, GENERATOR_CHECKOUT):
        if (base / relative).is_file():
            return base / relative
    return None


def decap_files(project_root: Path) -> tuple[Path, ...]:
    """The files Decap's page loads: the app, its lazily loaded chunks and WebAssembly modules,
    and its licence notice (source maps and the second, identical `cms.js` build are left out)."""
    main = installed(project_root, DECAP_DIST / DECAP_MAIN)
    if main is not None:
        dist = main.parent
        chunks = [n for n in sorted(os.listdir(dist)) if n.endswith((".decap-cms.js", ".wasm"))]
        return tuple(dist / n for n in (DECAP_MAIN, f"{DECAP_MAIN}.LICENSE.txt", *chunks) if (dist / n).is_file())
    raise EditorUnavailable(
        f"Không tìm thấy Decap CMS ({project_root / DECAP_DIST / DECAP_MAIN}) cho trang quản trị /quan-tri/. "
        "Hãy chạy “npm ci --omit=dev” trong thư mục dự án (make site tự chạy lệnh này), "
        "hoặc tắt trang quản trị bằng “editor: false” trong mục dienhinh của plugins trong mkdocs.yml.")


def editor_setup(option: Any, paths: ProjectPaths, local_backend_port: int = LOCAL_BACKEND_PORT) -> EditorSetup | None:
    """The plugin's ``editor`` option: false (no editor), true (the local editor only, through
    `dienhinh editor`) or ``{backend: {...}}``, Decap's backend for the hosted editor."""
    if option is False:
        return None
    backend: dict[str, Any] = {}
    if isinstance(option, dict):
        unknown = sorted(set(option) - {"backend"})
        if unknown:
            raise EditorUnavailable(f"Mục editor trong mkdocs.yml có khóa không hợp lệ: {', '.join(unknown)}; "
                                    "chỉ nhận “backend”.")
        backend = option.get("backend") or {}
        if not isinstance(backend, dict) or not isinstance(backend.get("name"), str):
            raise EditorUnavailable("Mục editor.backend trong mkdocs.yml cần một nhóm trường có “name” (gitea, "
                                    "github, gitlab...), ví dụ: backend: {name: gitea, repo: so-noi-vu/dien-hinh, "
                                    "base_url: https://git.example.vn}.")
    try:
        profiles_folder = paths.profiles.relative_to(paths.root).as_posix()
    except ValueError:
        raise EditorUnavailable(f"Thư mục hồ sơ “{paths.profiles}” phải nằm trong thư mục dự án “{paths.root}” "
                                "để trang quản trị ghi được hồ sơ.") from None
    return EditorSetup(decap_files(paths.root), profiles_folder,
                       json.dumps(backend, ensure_ascii=False, sort_keys=True) if backend else "", local_backend_port)
