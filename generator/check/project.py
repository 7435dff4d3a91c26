"""The whole check: registries, then every profile bundle, then cross-profile rules.

Nothing here writes a file or imports MkDocs; the CLI, the plugin and ``emit`` all call
``check_project`` and get the same profiles and the same problems.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.check.memo import CheckedFile, CheckMemo
from generator.check.photos import check_photos
from generator.check.privacy import (
    NO_PRIVACY_RULES,
    PrivacyRules,
    line_at,
    load_privacy_rules,
    scan_personal_data,
    withhold_photos,
)
from generator.check.sanitize import find_active_content
from generator.check.validate import validate_profile
from generator.check.workflow import check_workflow
from generator.core.columns import check_column_slots
from generator.core.lookup import Lookup
from generator.core.media_model import EMPTY_MEDIA, MediaRegistries
from generator.core.model import Problem, Profile, Registries
from generator.core.slugs import is_valid_slug
from generator.infra.parallel import map_on_cores
from generator.load.encodings import TCVN3, UTF8_AS_CP1252, VNI, find_pasted_legacy_text
from generator.load.media_registries import check_media, load_media_registries
from generator.load.profiles import PROFILE_FILE, RawProfile, display_path, find_profile_files, read_profile
from generator.load.registries import load_registries
from generator.load.schema import BIDI_CONTROLS


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    profiles: Path
    data: Path
    content: Path

    @classmethod
    def at(cls, root: Path) -> ProjectPaths:
        root = root.resolve()
        return cls(root, root / "profiles", root / "data", root / "content")

    @property
    def editors_folders(self) -> tuple[Path, ...]:
        """What people wrote, which no command may write into, overwrite or delete: the profiles,
        the registries, the content pages, and the code and theme."""
        return (self.profiles, self.data, self.content, self.root / "generator", self.root / "theme")

    @property
    def cache(self) -> Path:
        """Photo renditions, share cards, verdicts and spools: made again from the sources if lost."""
        return self.root / ".cache" / "dienhinh"


@dataclass(frozen=True)
class CheckResult:
    registries: Registries
    profiles: tuple[Profile, ...]
    problems: tuple[Problem, ...]
    files_checked: int = 0
    scoped: bool = False
    media: MediaRegistries = EMPTY_MEDIA  # key dates, events, editions

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class Scope:
    """A subset of bundles for fast previews and targeted checks; empty means everything."""

    paths: tuple[Path, ...] = ()
    since: str = ""  # a git ref: only bundles changed since it
    exclude: tuple[Path, ...] = field(default=())

    @property
    def is_everything(self) -> bool:
        return not self.paths and not self.since


def check_project(paths: ProjectPaths, scope: Scope = Scope(), memo: CheckMemo | None = None,
                  prune: bool = False) -> CheckResult:
    """``memo``: checks of files kept by earlier builds (`dienhinh build`, the preview); saved here,
    with ``prune`` (a full, unscoped build) dropping what no build has used for a month."""
    registries, problems = load_registries(paths.data, paths.root)
    media, media_problems = load_media_registries(paths.data, paths.root, registries)
    problems.extend(media_problems)
    lookup = Lookup(registries)
    privacy = load_privacy_rules(paths.data)
    files = select_profile_files(paths, scope)
    profiles: list[Profile] = []
    for profile, found in _check_files(files, paths, lookup, privacy, memo):
        problems.extend(found)
        if profile:
            profiles.append(profile)
    profiles, duplicates = _drop_duplicate_slugs(profiles)
    problems.extend(duplicates)
    problems.extend(check_workflow(registries, profiles, display(paths.data / "agencies.yml", paths)))
    problems.extend(check_column_slots(registries, profiles))
    profiles, photo_problems = check_photos(profiles, paths.cache)
    problems.extend(photo_problems)
    if memo is not None:
        memo.save(prune=prune and scope.is_everything)
    if scope.is_everything:  # events and editions name bundles a scoped run has not loaded
        bundles = display(paths.profiles, paths) + "/"
        refused = {PurePosixPath(p.path).parent.name: p.path for p in problems
                   if p.severity == "error" and p.path.startswith(bundles)}
        problems.extend(check_media(media, profiles, display(paths.data, paths), refused))
    problems.sort(key=Problem.sort_key)
    return CheckResult(registries, tuple(profiles), tuple(problems), len(files), not scope.is_everything, media)


def _check_one(state: tuple, path: Path) -> tuple[Profile | None, list[Problem]]:
    paths, lookup, privacy = state
    return check_profile_file(path, paths, lookup, privacy)


def _check_files(files: list[Path], paths: ProjectPaths, lookup: Lookup, privacy: PrivacyRules,
                 memo: CheckMemo | None = None) -> list[CheckedFile]:
    """Each bundle is independent, so large sets are checked on every core, results in file order;
    with a ``memo``, only the files whose key has no kept result are checked."""
    state = (paths, lookup, privacy)
    if memo is None:
        return map_on_cores(_check_one, files, state)
    keys = [memo.key(path) for path in files]
    kept = {index: checked for index, key in enumerate(keys) if key and (checked := memo.recall(key)) is not None}
    made = iter(map_on_cores(_check_one, [path for index, path in enumerate(files) if index not in kept], state))
    results = []
    for index, key in enumerate(keys):
        checked = kept.get(index)
        if checked is None:
            checked = next(made)
            if key:
                memo.remember(key, checked)
        results.append(checked)
    return results


def check_profile_file(path: Path, paths: ProjectPaths, lookup: Lookup,
                       privacy: PrivacyRules = NO_PRIVACY_RULES) -> tuple[Profile | None, list[Problem]]:
    raw = read_profile(path, paths.root, paths.profiles)
    if isinstance(raw, Problem):
        return None, [raw]
    slug, layout_problems = _bundle_slug(raw, path, paths)
    profile, problems = validate_profile(raw, lookup, slug)
    problems = layout_problems + problems + _active_content(raw) + _hidden_in_body(raw) + _pasted_text(raw)
    if profile:
        problems += scan_personal_data(raw, profile, privacy.sensitive)
        profile, withheld = withhold_photos(raw, profile, privacy)
        problems += withheld
    if any(p.severity == "error" for p in problems):
        profile = None
    if profile and profile.year != _folder_year(path, paths):
        problems.append(Problem("DH061", raw.display, f"Hồ sơ năm {profile.year} nhưng nằm trong thư mục năm "
                                f"{path.parent.parent.name}; hãy chuyển vào profiles/{profile.year}/.",
                                raw.line_of(("year",)), "year"))
        profile = None
    return profile, problems + _unread_markdown(path, paths)


def check_profile_alone(path: Path, paths: ProjectPaths,
                        registries: Registries) -> tuple[Profile | None, list[Problem]]:
    """One bundle checked as ``check_project`` checks it, its photos included, but without the
    rules across profiles (duplicate slugs, quotas, column slots, key dates): the live preview's
    first look at an edited profile, before the whole check runs again."""
    profile, problems = check_profile_file(path, paths, Lookup(registries), load_privacy_rules(paths.data))
    if profile is None:
        return None, problems
    kept, photo_problems = check_photos([profile], paths.cache)
    return kept[0], problems + photo_problems


def _unread_markdown(path: Path, paths: ProjectPaths) -> list[Problem]:
    """Markdown beside a bundle's index.md is never read. The web editor puts a second profile of a
    folder name its year already has there, as index-1.md (Decap numbers the file, not the
    folder): an error of its own, so the build stops and says so while the first profile stands."""
    return [Problem("DH065", display(other, paths), f"Tệp “{other.name}” nằm cạnh {PROFILE_FILE} của một hồ sơ nên "
                    "không được đọc: mỗi hồ sơ là một thư mục riêng. Nếu đây là một hồ sơ khác (trang quản trị đặt "
                    "tên này khi trùng tên thư mục), hãy chuyển nó thành "
                    f"profiles/<năm>/<tên-thư-mục-khác>/{PROFILE_FILE}.")
            for other in sorted(path.parent.glob("*.md")) if other.name != PROFILE_FILE]


def _active_content(raw: RawProfile) -> list[Problem]:
    return [Problem("DH070", raw.display, f"Có mã HTML hoạt động không an toàn “{found.fragment[:60]}”; "
                    "hãy xóa để hồ sơ được dựng và công bố.",
                    None if line is None else line + text.count("\n", 0, found.offset), field)
            for line, field, text in raw.texts() for found in find_active_content(text)]


_HOW_PASTED = {TCVN3: f"gõ bằng bảng mã {TCVN3}", VNI: f"gõ bằng bảng mã {VNI}",
               UTF8_AS_CP1252: "ở bảng mã UTF-8 bị đọc nhầm thành Windows-1252"}
# Word's quotes around a whole value: YAML keeps them as part of the text.
_WORD_QUOTES = {"“": "”", "‘": "’", "„": "“", "«": "»"}


def _pasted_text(raw: RawProfile) -> list[Problem]:
    """Text pasted from old documents: legacy-encoded Vietnamese in a Western font (TCVN3, VNI)
    anywhere, and a whole field value inside Word's typographic quotes."""
    problems = []
    for line, name, text in raw.texts():
        where = f"Trường “{name}”" if name else "Bài viết"
        for found in find_pasted_legacy_text(text):
            shown = text.split("\n")[found.line].strip()
            how = _HOW_PASTED[found.encoding]
            problems.append(Problem(
                "DH006", raw.display, f"{where}: chữ “{shown[:80]}” là tiếng Việt {how} rồi dán vào, nên hiện sai "
                "dấu; hãy thay bằng chữ đã chuyển mã (hoặc chuyển mã bằng Unikey).",
                None if line is None else line + found.line, name, suggestion=found.converted.strip()))
        stripped = text.strip()
        if name and len(stripped) > 2 and _WORD_QUOTES.get(stripped[0]) == stripped[-1]:
            problems.append(Problem(
                "DH017", raw.display, f"Trường “{name}”: cả giá trị nằm trong ngoặc kép kiểu Word "
                f"({stripped[0]}…{stripped[-1]}), nên dấu ngoặc hiện trên trang; nếu chỉ để bao giá trị, hãy dùng "
                "ngoặc kép thẳng (\"…\") hoặc bỏ ngoặc.", line, name, suggestion=stripped[1:-1],
                severity="warning"))
    return problems


_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# Control characters other than line break and tab: invisible, and not allowed in the XHTML of
# the EPUB or in XML feeds.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _hidden_in_body(raw: RawProfile) -> list[Problem]:
    """Hidden characters in the story (the front matter's fields refuse them as they convert)."""
    bidi = [Problem("DH029", raw.display, f"Có ký tự ẩn U+{ord(match.group(0)):04X} đảo chiều hiển thị chữ trong "
                    "bài viết; hãy xóa ký tự này.", line_at(raw.body_line, raw.body, match))
            for match in _BIDI.finditer(raw.body)]
    control = [Problem("DH028", raw.display, f"Có ký tự điều khiển ẩn U+{ord(match.group(0)):04X} trong bài viết; "
                       "hãy xóa ký tự này.", line_at(raw.body_line, raw.body, match))
               for match in _CONTROL.finditer(raw.body)]
    return bidi + control


def _bundle_slug(raw: RawProfile, path: Path, paths: ProjectPaths) -> tuple[str, list[Problem]]:
    relative = path.relative_to(paths.profiles).parts
    slug = path.parent.name
    if len(relative) != 3 or not relative[0].isdigit():
        return slug, [Problem("DH061", raw.display, "Hồ sơ phải nằm ở profiles/<năm>/<tên-thư-mục>/index.md.")]
    if not is_valid_slug(slug):
        return slug, [Problem("DH062", raw.display, f"Tên thư mục “{slug}” phải là chữ thường không dấu, "
                              "nối bằng dấu gạch ngang (ví dụ nguyen-van-an).")]
    return slug, []


def _folder_year(path: Path, paths: ProjectPaths) -> int:
    return int(path.relative_to(paths.profiles).parts[0])


def _drop_duplicate_slugs(profiles: list[Profile]) -> tuple[list[Profile], list[Problem]]:
    """Two bundles with one folder name would share a URL; refuse both, naming each other."""
    by_slug: dict[str, list[Profile]] = {}
    for p in profiles:
        by_slug.setdefault(p.slug, []).append(p)
    kept, problems = [], []
    for slug, group in by_slug.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        for p in group:
            others = ", ".join(o.source_path.as_posix() for o in group if o is not p)
            problems.append(Problem("DH060", p.source_path.as_posix(),
                                    f"Tên thư mục “{slug}” trùng với {others}; mỗi hồ sơ cần một tên riêng."))
    return kept, problems


def select_profile_files(paths: ProjectPaths, scope: Scope) -> list[Path]:
    files = find_profile_files(paths.profiles)
    if scope.paths:
        wanted = [p.resolve() for p in scope.paths]
        files = [f for f in files if any(f == w or f.is_relative_to(w) for w in wanted)]
    if scope.since:
        changed = changed_bundles(paths, scope.since)
        files = [f for f in files if f.parent in changed]
    return files


def changed_bundles(paths: ProjectPaths, ref: str) -> set[Path]:
    """Bundle folders with a file changed since ``ref`` (committed or not), per git."""
    commands = (["git", "diff", "--name-only", ref, "--", "profiles"],
                ["git", "ls-files", "--others", "--exclude-standard", "--", "profiles"])
    changed: set[Path] = set()
    for command in commands:
        output = subprocess.run(command, cwd=paths.root, capture_output=True, text=True, check=True).stdout
        for line in output.splitlines():
            parts = Path(line).parts
            if len(parts) >= 3:
                changed.add((paths.root / Path(*parts[:3])).resolve())
    return changed


def display(path: Path, paths: ProjectPaths) -> str:
    return display_path(path, paths.root)
