"""The web editor's configuration (render/editor.py) against the schema and the registries, and
the editor as the built site ships it: at /quan-tri/, out of the navigation, sitemap and search."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from browser_support import require
from generator.adapters import editor_app
from generator.adapters.cli import main
from generator.adapters.editor_app import EditorUnavailable, decap_files, editor_setup
from generator.check.project import ProjectPaths
from generator.core.catalog import build_catalog
from generator.core.labels import KIND_LABELS, STAGE_LABELS
from generator.core.model import KINDS, STAGES
from generator.load.registries import load_registries
from generator.load.schema import CUSTOMARY_SECTIONS, PROFILE_FIELDS, YEARS, BadValue, FieldSpec, TextRule
from generator.render.editor import (
    FORM_LABELS,
    NOT_IN_FORM,
    WIDGETS,
    editor_config,
    interface_phrases,
)
from generator.render.options import EditorSetup
from search_support import indexed_fragments

REPO = Path(__file__).resolve().parents[2]
SITE_URL = "https://dienhinh.example.vn/"
TODAY = dt.date(2026, 1, 15)
LOCAL_ONLY = EditorSetup(app_files=(), profiles_folder="profiles")


@pytest.fixture(scope="module")
def catalog():
    registries, problems = load_registries(REPO / "data", REPO)
    assert not [p for p in problems if p.severity == "error"]
    return build_catalog(registries, (), TODAY)


@pytest.fixture(scope="module")
def form(catalog) -> dict:
    """The profiles collection of the sample project's configuration, as Decap reads it (YAML)."""
    config = editor_config(catalog, LOCAL_ONLY)
    collection, = config["collections"]
    return collection


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {field["name"]: field for field in fields}


def paths_of(specs: tuple[FieldSpec, ...], prefix: str = "") -> list[str]:
    return [path for spec in specs if spec.name not in NOT_IN_FORM
            for path in [prefix + spec.name, *paths_of(spec.fields, prefix + spec.name + ".")]]


def test_the_form_asks_every_key_of_the_schema_in_its_order_and_requires_what_the_validator_requires(form):
    def compare(specs: tuple[FieldSpec, ...], fields: list[dict], in_optional_record: bool = False) -> None:
        shown = [spec for spec in specs if spec.name not in NOT_IN_FORM]
        assert [field["name"] for field in fields] == [spec.name for spec in shown]
        for spec, field in zip(shown, fields):
            # inside an optional group left empty, Decap would still demand its required keys
            assert field["required"] is (spec.required and not in_optional_record), spec.name
            if spec.fields:
                assert field["widget"] == ("list" if spec.many else WIDGETS.get(spec.name, "object"))
                compare(spec.fields, field["fields"], not spec.many and not spec.required)

    *front_matter, body = form["fields"]
    compare(PROFILE_FIELDS, front_matter)
    assert body["name"] == "body" and body["widget"] == "markdown"
    assert set(FORM_LABELS) == set(paths_of(PROFILE_FIELDS)), "a label for every field, and none for a field gone"
    assert "sample" not in by_name(form["fields"])  # left out of the form, kept in the file (NOT_IN_FORM)


def test_selects_offer_exactly_the_codes_of_the_registries_by_their_names(form, catalog):
    registries = catalog.registries
    fields = by_name(form["fields"])
    nested = {name: by_name(fields[name]["fields"]) for name in ("subject", "history", "awards", "replicated_in",
                                                                   "columns")}

    def values(field: dict) -> list[str]:
        assert field["widget"] in ("select", WIDGETS["locality"])
        return [option["value"] for option in field["options"]]

    assert values(fields["movement"]) == [m.code for m in registries.movements]
    assert values(fields["nominated_by"]) == [a.code for a in registries.agencies]
    assert values(nested["awards"]["code"]) == [a.code for a in registries.awards]
    assert values(nested["columns"]["column"]) == [c.code for c in registries.columns]
    assert nested["subject"]["kind"]["options"] == [{"label": KIND_LABELS[k], "value": k} for k in KINDS]
    assert values(fields["stage"]) == values(nested["history"]["stage"]) == list(STAGES)
    assert fields["stage"]["default"] == "phat-hien" and fields["year"]["default"] == TODAY.year
    assert (fields["year"]["min"], fields["year"]["max"]) == YEARS  # the validator's years
    assert fields["stage"]["options"][0]["label"] == STAGE_LABELS["phat-hien"]

    places = fields["locality"]["options"]
    assert sorted(values(fields["locality"])) == sorted(loc.id for loc in registries.localities)
    assert places == nested["replicated_in"]["locality"]["options"]
    exists = {loc.id: loc.exists_on(TODAY) for loc in registries.localities}
    first_gone = [exists[o["value"]] for o in places].index(False)
    assert all(exists[o["value"]] for o in places[:first_gone]) and not any(exists[o["value"]]
                                                                           for o in places[first_gone:])
    labels = {o["value"]: o["label"] for o in places}
    assert labels["tam-dan-20374"] == "Xã Tam Đàn, huyện Phú Ninh (đến 30/06/2025)"
    # the years each unit existed, by which our widget offers only the units of the profile's year
    years = {o["value"]: (o.get("from"), o.get("to")) for o in places}
    assert all(years[loc.id] == (loc.valid_from and loc.valid_from.year, loc.valid_to and loc.valid_to.year)
               for loc in registries.localities)
    assert years["tam-dan-20374"] == (None, 2025) and fields["locality"]["widget"] == "dia-phuong-theo-nam"


def test_each_text_limit_of_the_form_is_the_validators(form):
    """The form's pattern accepts exactly what the validator's rule does, at the limit and past it."""
    checked = 0

    def walk(specs: tuple[FieldSpec, ...], fields: list[dict]) -> None:
        nonlocal checked
        for spec, field in zip([s for s in specs if s.name not in NOT_IN_FORM], fields):
            if spec.fields:
                walk(spec.fields, field["fields"])
            if not isinstance(spec.convert, TextRule) or spec.convert.limit is None:
                continue
            pattern = re.compile(field["pattern"][0])  # Decap's JS patterns here use Python's syntax too
            at_limit, past = "ắ" * spec.convert.limit, "ắ" * (spec.convert.limit + 1)
            assert pattern.search(at_limit) and spec.convert(at_limit) == at_limit, spec.name
            assert not pattern.search(past), spec.name
            with pytest.raises(BadValue):
                spec.convert(past)
            assert field["pattern"][1] == f"tối đa {spec.convert.limit:,} ký tự".replace(",", ".")
            checked += 1

    walk(PROFILE_FIELDS, form["fields"])
    assert checked >= 10
    summary = re.compile(by_name(form["fields"])["summary"]["pattern"][0])
    assert summary.search("Một câu.\nHai câu.") and not summary.search("a" * 401)


def test_a_new_profile_is_a_bundle_named_as_dienhinh_new_names_it(form, catalog):
    config = editor_config(catalog, LOCAL_ONLY)
    # Decap drops the dot of {{fields.year}} in `path`; the year goes into the slug (render/editor.py)
    assert (form["folder"], form["path"], form["slug"]) == ("profiles", "{{slug}}/index",
                                                            "{{fields.year}}/{{fields.subject.name}}-{{fields.locality}}")
    assert form["nested"] == {"depth": 3}
    assert (form["media_folder"], form["public_folder"]) == ("", "")  # photos beside index.md, by file name
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    body = by_name(form["fields"])["body"]["default"]
    assert re.findall(r"^## (.+)$", body, re.M) == list(CUSTOMARY_SECTIONS)
    photos = by_name(by_name(form["fields"])["photos"]["fields"])
    assert photos["file"]["widget"] == "image" and photos["alt"]["required"]
    assert config["locale"] == "vi"


def test_the_backend_is_the_local_one_unless_mkdocs_yml_names_a_hosted_one(catalog):
    local = editor_config(catalog, LOCAL_ONLY)
    decap_server = "http://127.0.0.1:8081/api/v1"  # decap-server's own default port
    assert local["backend"] == {"name": "proxy", "proxy_url": decap_server}
    assert local["local_backend"] == {"url": decap_server, "allowed_hosts": ["127.0.0.1", "localhost"]}
    elsewhere = editor_config(catalog, EditorSetup((), "profiles", local_backend_port=9123))
    assert elsewhere["local_backend"]["url"] == elsewhere["backend"]["proxy_url"] == "http://127.0.0.1:9123/api/v1"
    forgejo = {"name": "gitea", "repo": "so-noi-vu/dien-hinh", "base_url": "https://git.example.vn"}
    hosted = editor_config(catalog, EditorSetup((), "profiles", json.dumps(forgejo)))
    assert hosted["backend"] == forgejo and hosted["local_backend"] == local["local_backend"]


def test_the_interface_phrases_complete_decaps_vietnamese():
    """Every phrase Decap's English locale has is in Vietnamese: Decap's own or ours."""
    english = _decap_locale("en")
    vietnamese = _decap_locale("vi")

    def flat(tree: dict, prefix: str = "") -> dict[str, str]:
        phrases: dict[str, str] = {}
        for key, value in tree.items():
            phrases.update(flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key: value})
        return phrases

    ours = flat(interface_phrases())
    missing = sorted(set(flat(english)) - set(flat(vietnamese)) - set(ours))
    assert not missing, f"Decap phrases still in English: {missing}"
    assert set(ours) <= set(flat(english)), "a phrase Decap no longer has"
    for key, text in ours.items():  # Decap's placeholders kept as they are
        assert re.findall(r"%\{\w+\}", text) == re.findall(r"%\{\w+\}", flat(english)[key]), key


def _decap_locale(name: str) -> dict:
    import subprocess

    module = REPO / "node_modules/decap-cms-locales/dist/esm" / name / "index.js"
    require(module.is_file(), str(module.relative_to(REPO)))  # a failure in CI, a skip elsewhere
    script = f"import l from {json.dumps(str(module))}; console.log(JSON.stringify(l));"
    run = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


# --- mkdocs.yml's editor option, and the app's files ---------------------------------------------


def test_a_wrong_editor_option_or_a_missing_app_is_a_vietnamese_message(tmp_path, monkeypatch):
    paths = ProjectPaths.at(tmp_path)
    assert editor_setup(False, paths) is None
    with pytest.raises(EditorUnavailable, match="chỉ nhận “backend”"):
        editor_setup({"backends": {"name": "gitea"}}, paths)
    with pytest.raises(EditorUnavailable, match="cần một nhóm trường có “name”"):
        editor_setup({"backend": "gitea"}, paths)
    setup = editor_setup({"backend": {"name": "gitea", "repo": "a/b"}}, paths)
    assert setup is not None and json.loads(setup.backend_json) == {"name": "gitea", "repo": "a/b"}
    assert [p.name for p in setup.app_files][:2] == ["decap-cms.js", "decap-cms.js.LICENSE.txt"]
    assert not [p for p in setup.app_files if p.suffix == ".map" or p.name.startswith("cms")]
    monkeypatch.setattr(editor_app, "GENERATOR_CHECKOUT", tmp_path)
    with pytest.raises(EditorUnavailable) as missing:
        decap_files(tmp_path)
    assert str(tmp_path / "node_modules/decap-cms/dist/decap-cms.js") in str(missing.value)
    assert "npm ci --omit=dev" in str(missing.value) and "editor: false" in str(missing.value)


def test_a_build_without_the_app_stops_with_the_message_and_without_editor_builds_no_editor(project, monkeypatch,
                                                                                            caplog):
    project.write_profile("an")
    mkdocs_yml = project.write_mkdocs_yml()
    monkeypatch.setattr(editor_app, "GENERATOR_CHECKOUT", project.root)
    result = CliRunner().invoke(main, ["--root", str(project.root), "build"])
    said = result.output + caplog.text
    assert result.exit_code == 1 and "Không tìm thấy Decap CMS" in said and "Traceback" not in said
    assert not (project.root / "site").exists()

    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "  - dienhinh\n", "  - dienhinh:\n      editor: false\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(project.root), "build"])
    assert result.exit_code == 0, result.output + caplog.text
    assert (project.root / "site/ho-so").is_dir() and not (project.root / "site/quan-tri").exists()


# --- the sample site ------------------------------------------------------------------------------


def test_the_sample_site_ships_the_editor_out_of_the_navigation_sitemap_and_search(sample_site: Path):
    folder = sample_site / "quan-tri"
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "vi" and page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    scripts = [tag["src"] for tag in page.find_all("script", src=True)]
    assert scripts == ["decap-cms.js", "khoi-dong.js"]
    dist = REPO / "node_modules/decap-cms/dist"
    assert (folder / "decap-cms.js").read_bytes() == (dist / "decap-cms.js").read_bytes()
    chunks = {p.name for p in dist.glob("*.decap-cms.js")} | {p.name for p in dist.glob("*.wasm")}
    assert chunks and chunks <= {p.name for p in folder.iterdir()}  # what it loads later is there too
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    assert config["collections"][0]["folder"] == "profiles" and config["locale"] == "vi"
    assert config["site_url"] == SITE_URL

    linking = [f"{page.relative_to(sample_site)} -> {link['href']}" for page in sample_site.rglob("*.html")
               if not page.is_relative_to(folder)
               for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True)
               if _lands_in(sample_site, page, link["href"], folder)]
    assert not linking, f"pages linking to the editor: {linking}"
    assert "quan-tri" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    indexed = [fragment["url"] for fragment in indexed_fragments(sample_site)]
    assert len(indexed) > 40 and not [url for url in indexed if "quan-tri" in url]


def _lands_in(site: Path, page: Path, href: str, folder: Path) -> bool:
    """Whether a link on ``page`` leads into ``folder`` of the built site (our own absolute address
    included); the guide's link to the editor on the editor's own computer does not."""
    parts = urlsplit(href)
    if parts.netloc and parts.netloc != urlsplit(SITE_URL).netloc:
        return False
    target = (site / parts.path.lstrip("/")) if parts.path.startswith("/") else (page.parent / parts.path)
    return target.resolve().is_relative_to(folder.resolve())
