"""The web editor at /quan-tri/: Decap CMS, its page, and its configuration made from our registries.

Decap is a git-based CMS: a form in the browser that writes the same profile bundles an editor
would write by hand (``profiles/<year>/<slug>/index.md``, photos beside it) and commits them,
to a Forgejo, Gitea, GitHub or GitLab repository or, through ``decap-server``, to a local clone.
Its configuration is made here on every build from the registries and the profile schema
(load/schema.py), never written by hand: the form offers exactly the codes the validator
accepts, marks required what it requires and states the same length limits, so the two cannot
drift apart. Two fields depend on another (the units of the profile's year, consent for people
only): our widgets in templates/editor_start.js.j2 do that. What the form cannot check (the unit
on the profile's exact day, a folder already taken, personal data in the text) the validator
reports in the live preview at once.

Decap's own files come from npm (package.json pins them) and are shipped as they are: the page
loads nothing from another host.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from jinja2 import Environment

from generator.core.catalog import Catalog
from generator.core.labels import KIND_LABELS, STAGE_LABELS, vn_date
from generator.core.model import KINDS, PERSONAL_KINDS, STAGES, Locality
from generator.core.urls import EDITOR_DIR
from generator.infra.output import YAML_DUMPER, GeneratedAsset, SiteOutput
from generator.infra.templates import new_environment
from generator.load.schema import (
    CUSTOMARY_SECTIONS,
    MAX_SUMMARY_CHARS,
    PROFILE_FIELDS,
    YEARS,
    FieldSpec,
    TextRule,
    to_bool,
    to_date,
    to_optional_date,
    to_optional_year,
    to_year,
    web_address,
)
from generator.photos.planning import MAX_PHOTO_BYTES, SUPPORTED_EXTENSIONS
from generator.render.context import SiteContext
from generator.render.options import EditorSetup

# Decap uses the local backend only on a page served from this machine (allowed_hosts), so a
# published editor is never pointed at a reader's computer.
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def local_backend_url(port: int) -> str:
    """decap-server's API when `dienhinh editor` runs it on ``port``."""
    return f"http://127.0.0.1:{port}/api/v1"


# The label of each form field, by its path in the front matter; a test keeps this table and the
# schema in step.
FORM_LABELS: Mapping[str, str] = {
    "title": "Tiêu đề",
    "summary": "Tóm tắt",
    "subject": "Đối tượng được giới thiệu",
    "subject.kind": "Loại đối tượng",
    "subject.name": "Họ tên hoặc tên tập thể, hộ gia đình",
    "subject.position": "Chức vụ, nghề nghiệp",
    "subject.organization": "Cơ quan, đơn vị công tác",
    "subject.sort_name": "Tên để xếp thứ tự",
    "year": "Năm giới thiệu",
    "stage": "Giai đoạn",
    "movement": "Phong trào thi đua",
    "locality": "Địa phương",
    "nominated_by": "Cơ quan, đơn vị giới thiệu",
    "consent": "Sự đồng ý (cá nhân, hộ gia đình)",
    "consent.obtained": "Đã có sự đồng ý bằng văn bản",
    "consent.date": "Ngày đồng ý",
    "consent.scope": "Phạm vi đồng ý",
    "consent.withdrawn": "Đã rút lại sự đồng ý",
    "nominated_on": "Ngày giới thiệu",
    "history": "Các mốc",
    "history.date": "Ngày",
    "history.stage": "Giai đoạn",
    "history.note": "Ghi chú",
    "awards": "Khen thưởng",
    "awards.code": "Danh hiệu trong danh mục",
    "awards.title": "Tên danh hiệu, hình thức khen thưởng (nếu không có trong danh mục)",
    "awards.year": "Năm",
    "awards.decision": "Số quyết định",
    "replicated_in": "Nơi nhân rộng",
    "replicated_in.year": "Năm",
    "replicated_in.locality": "Địa phương",
    "replicated_in.note": "Ghi chú",
    "photos": "Ảnh",
    "photos.file": "Tệp ảnh",
    "photos.alt": "Mô tả ảnh cho người khiếm thị",
    "photos.caption": "Chú thích",
    "photos.credit": "Tác giả ảnh",
    "columns": "Lịch đăng chuyên mục",
    "columns.column": "Chuyên mục",
    "columns.date": "Ngày đăng",
    "publish_on": "Ngày công bố",
    "tags": "Từ khóa",
    "sources": "Nguồn tư liệu",
    "sources.title": "Tên nguồn",
    "sources.url": "Địa chỉ",
}

# What one item of a list is called ("Thêm mốc", not "Thêm các mốc").
FORM_ITEM_LABELS: Mapping[str, str] = {"history": "mốc", "awards": "khen thưởng", "replicated_in": "nơi nhân rộng",
                                       "photos": "ảnh", "columns": "lượt đăng", "sources": "nguồn"}

FIND = "Gõ vài chữ để tìm, có dấu hay không dấu."
# The line under a field, where the form needs one. The schema's ``doc`` is written for people
# editing YAML (it names keys and codes), so it is the hint only where it reads well in a form.
FORM_HINTS: Mapping[str, str] = {
    "summary": "1-3 câu, tối đa 400 ký tự; hiện dưới tiêu đề và trong các danh sách.",
    "subject.kind": "Với cá nhân và hộ gia đình, cần có sự đồng ý công bố (mục “Sự đồng ý” bên dưới).",
    "year": "Năm giới thiệu điển hình; địa phương phải là đơn vị có trong năm này.",
    "movement": FIND,
    "locality": "Xã, phường hoặc huyện, thị xã, thành phố. " + FIND,
    "nominated_by": FIND,
    "consent": "Bắt buộc với cá nhân, hộ gia đình; để trống với tập thể. Chưa có sự đồng ý thì hồ sơ không được "
               "công bố.",
    "consent.withdrawn": "Đánh dấu khi người được giới thiệu rút lại sự đồng ý: hồ sơ được gỡ khỏi trang.",
    "awards.code": FIND + " Không có trong danh mục thì để trống và ghi tên ở ô dưới.",
    "replicated_in.locality": FIND,
    "photos.file": f"Tệp {', '.join(sorted({e.lstrip('.').upper() for e in SUPPORTED_EXTENSIONS} - {'JPEG', 'TIF'}))}, "
                   f"tối đa {MAX_PHOTO_BYTES // 2**20} MB; được lưu cùng thư mục với hồ sơ.",
    "columns.column": FIND,
    "tags": "Các từ khóa cách nhau bằng dấu phẩy.",
}
HINTS_FROM_SCHEMA = frozenset({"subject.sort_name", "consent.scope", "photos.alt", "publish_on"})

# Our two widgets (templates/editor_start.js.j2), where Decap's own cannot depend on another
# field: the units that existed in the profile's year; consent only for people and households.
WIDGETS: Mapping[str, str] = {"locality": "dia-phuong-theo-nam", "consent": "su-dong-y"}

# Keys the form leaves out; a profile that has them keeps them when saved (Decap writes back the
# keys it does not show). `sample` marks the fictional sample profiles, not an editor's business.
NOT_IN_FORM = frozenset({"sample"})


def render_editor(ctx: SiteContext) -> SiteOutput:
    setup = ctx.options.editor
    if setup is None:
        return SiteOutput((), ())
    config = editor_config(ctx.catalog, setup, ctx.options.site_url)
    env = _environment()
    page = env.get_template("editor_page.html.j2").render(site_name=ctx.options.site_name)
    start = env.get_template("editor_start.js.j2").render(
        phrases=interface_phrases(), personal_kinds=sorted(PERSONAL_KINDS),
        consent_not_needed="Tập thể không cần sự đồng ý công bố.")
    assets = [GeneratedAsset(f"{EDITOR_DIR}/index.html", content=page.encode("utf-8")),
              GeneratedAsset(f"{EDITOR_DIR}/khoi-dong.js", content=start.encode("utf-8")),
              GeneratedAsset(f"{EDITOR_DIR}/config.yml", content=config_yaml(config).encode("utf-8")),
              *(GeneratedAsset(f"{EDITOR_DIR}/{path.name}", source=path) for path in setup.app_files)]
    return SiteOutput((), tuple(assets))


@cache
def _environment() -> Environment:
    """The editor's templates, one environment per process (a live preview rebuilds many times)."""
    return new_environment()


@cache
def interface_phrases() -> dict[str, Any]:
    """Our Vietnamese for the phrases Decap's own Vietnamese locale leaves in English."""
    text = (files("generator") / "templates" / "editor_phrases_vi.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def config_yaml(config: Mapping[str, Any]) -> str:
    header = ("# Cấu hình trang quản trị (Decap CMS), do “dienhinh” tạo từ danh mục và lược đồ hồ sơ\n"
              "# mỗi lần dựng trang. Không sửa tay: sửa data/*.yml hoặc mkdocs.yml.\n")
    return header + yaml.dump(config, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


def editor_config(catalog: Catalog, setup: EditorSetup, site_url: str = "") -> dict[str, Any]:
    """Decap's configuration (https://decapcms.org/docs/configuration-options/) for this project."""
    local = local_backend_url(setup.local_backend_port)
    backend = json.loads(setup.backend_json) if setup.backend_json else {"name": "proxy", "proxy_url": local}
    choices = _choices(catalog)
    # a new profile starts where `dienhinh new` starts it: the first stage, this year
    defaults = {"stage": STAGES[0], "year": catalog.today.year}
    fields = [_form_field(spec, spec.name, choices, defaults) for spec in PROFILE_FIELDS
              if spec.name not in NOT_IN_FORM]
    fields.append({"name": "body", "label": "Nội dung bài giới thiệu", "widget": "markdown",
                   "hint": "Viết dưới các mục thường dùng; giữ nguyên các tiêu đề mục.",
                   "default": "".join(f"## {section}\n\n\n\n" for section in CUSTOMARY_SECTIONS).rstrip() + "\n"})
    config: dict[str, Any] = {
        "locale": "vi",
        "backend": backend,
        "local_backend": {"url": local, "allowed_hosts": list(LOCAL_HOSTS)},
        "publish_mode": "simple",
        # Uploads from the shared media library (rare: a profile's photos go beside it, below).
        "media_folder": f"{setup.profiles_folder}/_anh-chung",
        "public_folder": "",
        # Folder names as `dienhinh new` makes them: lower case, no diacritics, words joined by "-".
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{
            "name": "ho-so",
            "label": "Hồ sơ điển hình",
            "label_singular": "hồ sơ điển hình",
            "description": "Mỗi hồ sơ là một thư mục profiles/<năm>/<tên>/ gồm index.md và ảnh. Sau khi lưu, "
                           "trang xem trước báo lỗi nếu hồ sơ chưa hợp lệ.",
            "folder": setup.profiles_folder,
            # Decap reads `{{fields.x}}` in `slug` but not in `path` (it turns the dot into "-"):
            # the year goes into the slug, and `nested` lists entries three folders down
            # (profiles/<year>/<slug>/index.md), grouped by year in the sidebar. The folder is the
            # page's address, unique across years: the unit beside the name keeps namesakes apart
            # ("nguyen-van-an-dien-phuoc"), which the form cannot ask an editor to rename later.
            "path": "{{slug}}/index",
            "slug": "{{fields.year}}/{{fields.subject.name}}-{{fields.locality}}",
            "nested": {"depth": 3},
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "identifier_field": "title",
            "summary": "{{fields.year}} · {{title}}",
            "sortable_fields": ["title", "year"],
            "media_folder": "",  # photos beside index.md, named by their file name alone
            "public_folder": "",
            "fields": fields,
        }],
    }
    view_url = setup.view_url or site_url
    if view_url:
        config["site_url"] = view_url
    return config


# --- fields ------------------------------------------------------------------------------------


def _form_field(spec: FieldSpec, path: str, choices: Mapping[str, list[dict[str, Any]]],
                defaults: Mapping[str, Any], in_optional_record: bool = False) -> dict[str, Any]:
    # Decap checks the fields of an optional group even when the group is left empty: a key the
    # validator requires inside `consent` is required only once consent is given, which the
    # validator says in the preview. Items of a list exist only once added, so theirs stay required.
    required = spec.required and not in_optional_record
    field: dict[str, Any] = {"name": spec.name, "label": FORM_LABELS[path], "required": required}
    hint = FORM_HINTS.get(path) or (spec.doc if path in HINTS_FROM_SCHEMA else "")
    if hint:
        field["hint"] = hint
    if path in choices:
        field.update(widget=WIDGETS.get(path, "select"), options=choices[path])
    elif spec.fields:
        optional_record = not spec.many and not required
        nested = [_form_field(child, f"{path}.{child.name}", choices, defaults, optional_record)
                  for child in spec.fields]
        field.update(widget="list" if spec.many else WIDGETS.get(path, "object"), fields=nested, collapsed=False)
        if spec.many:
            field.update(collapsed=True, label_singular=FORM_ITEM_LABELS[path])
    else:
        field.update(_widget(spec, path))
    if path in defaults:
        field["default"] = defaults[path]
    return field


def _widget(spec: FieldSpec, path: str) -> dict[str, Any]:
    convert = spec.convert
    if path == "photos.file":
        # Decap stores the bare file name (public_folder ""), as the validator expects
        return {"widget": "image", "choose_url": False, "media_library": {"config": {"max_file_size": MAX_PHOTO_BYTES}}}
    if path == "tags":
        return {"widget": "list", "allow_add": True}
    if path == "summary":
        return {"widget": "text", "pattern": [f"^[\\s\\S]{{1,{MAX_SUMMARY_CHARS}}}$",
                                              f"tối đa {MAX_SUMMARY_CHARS} ký tự, 1-3 câu"]}
    if isinstance(convert, TextRule):
        widget: dict[str, Any] = {"widget": "string" if convert.one_line else "text"}
        if convert.limit is not None:
            any_char = "." if convert.one_line else "[\\s\\S]"
            widget["pattern"] = [f"^{any_char}{{0,{convert.limit}}}$", f"tối đa {convert.limit:,} ký tự"
                                 .replace(",", ".")]
        return widget
    if convert in (to_year, to_optional_year):
        return {"widget": "number", "value_type": "int", "min": YEARS[0], "max": YEARS[1]}
    if convert in (to_date, to_optional_date):
        # stored as YYYY-MM-DD, shown as the Vietnamese dd/mm/yyyy
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False}
    if convert is to_bool:  # no default: an unticked box writes nothing (no `consent` for a collective)
        return {"widget": "boolean"}
    if convert is web_address:
        return {"widget": "string", "pattern": ["^https?://", "địa chỉ phải bắt đầu bằng http:// hoặc https://"]}
    return {"widget": "string"}


def _choices(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """The options of each select field: every code the registries hold, by its Vietnamese name."""
    registries = catalog.registries

    def options(items: Mapping[str, str]) -> list[dict[str, Any]]:
        return [{"label": label, "value": code} for code, label in items.items()]

    stages = options({stage: STAGE_LABELS[stage] for stage in STAGES})
    # the units that exist on the build's day first: a new profile is most often of this year
    current_first = sorted(registries.localities, key=lambda loc: not loc.exists_on(catalog.today))
    places = [{"label": _place_option(catalog, loc), "value": loc.id,  # its years: the form offers it in those
               **({"from": loc.valid_from.year} if loc.valid_from else {}),
               **({"to": loc.valid_to.year} if loc.valid_to else {})} for loc in current_first]
    return {
        "subject.kind": options({kind: KIND_LABELS[kind] for kind in KINDS}),
        "stage": stages,
        "history.stage": stages,
        "movement": options({m.code: m.name for m in registries.movements}),
        "locality": places,
        "replicated_in.locality": places,
        "nominated_by": options({a.code: a.name for a in registries.agencies}),
        "awards.code": options({a.code: a.name for a in registries.awards}),
        "columns.column": options({c.code: c.name for c in registries.columns}),
    }


def _place_option(catalog: Catalog, loc: Locality) -> str:
    """A unit as the form lists it: its place, and the years it existed when it did not always
    ("Xã Tam Đàn, huyện Phú Ninh (đến 30/06/2025)"); searchable with or without diacritics."""
    label = catalog.place_label(loc.id)
    span = _span(loc.valid_from, loc.valid_to)
    return f"{label} ({span})" if span else label


def _span(valid_from: dt.date | None, valid_to: dt.date | None) -> str:
    return " ".join([*([f"từ {vn_date(valid_from)}"] if valid_from else []),
                     *([f"đến {vn_date(valid_to)}"] if valid_to else [])])
