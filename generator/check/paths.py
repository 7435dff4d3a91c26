"""Keep every file a profile names inside its own bundle folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


def inside_bundle(bundle_dir: Path, name: str) -> tuple[str, str] | None:
    """None if ``name`` is a regular file inside ``bundle_dir``; else (code, Vietnamese message)."""
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or name.startswith("~"):
        return ("DH051", f"Tệp “{name}” nằm ngoài thư mục hồ sơ; chỉ dùng tên tệp trong cùng thư mục.")
    target = bundle_dir / relative
    if target.is_symlink():
        return ("DH051", f"Tệp “{name}” là liên kết tượng trưng (symlink); hãy chép tệp thật vào thư mục hồ sơ.")
    if not target.is_file():
        return ("DH050", f"Không tìm thấy tệp “{name}” trong thư mục hồ sơ.")
    if not target.resolve().is_relative_to(bundle_dir.resolve()):
        return ("DH051", f"Tệp “{name}” trỏ ra ngoài thư mục hồ sơ.")
    return None
