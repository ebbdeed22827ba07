"""The editors' workflow: new-country, the CONTRIBUTING templates, the change report, canonical formatting,
stale markers, editor and repository automation files."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import typing
from collections import Counter
from datetime import date
from pathlib import Path

import pycountry
import pytest
import yaml

from tiptoolkit import model
from tiptoolkit.analysis import stale_since
from tiptoolkit.build import build
from tiptoolkit.changes import (
    MAX_COMMENT,
    PER_SUBJECT,
    Change,
    Labeller,
    Report,
    compare,
    content_changes,
    diff_values,
    markdown,
)
from tiptoolkit.cli import main
from tiptoolkit.dataset import DEFAULT_ROOT, load_dataset, site_url
from tiptoolkit.fmt import FormatError, canonical, format_file
from tiptoolkit.load import data_files, read_yaml
from tiptoolkit.regions import REGION_NAMES, REGION_OF
from tiptoolkit.validate import RULES, validate

from .conftest import edit

PROJECT = DEFAULT_ROOT.parent
CONTRIBUTING = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- new-country


def test_new_country_writes_a_clean_complete_file(real_copy, capsys):
    assert main(["--root", str(real_copy), "new-country", "kaz"]) == 0
    assert "countries/kaz.yaml" in capsys.readouterr().out
    text = (real_copy / "countries" / "kaz.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/country.schema.json\n")
    assert canonical(text) == text
    ds, problems = validate(real_copy)
    # Only what an editor alone can write is refused: the summary and its source, until replaced.
    assert [(p.file, p.field) for p in problems] == [
        ("countries/kaz.yaml", "summary"),
        ("countries/kaz.yaml", "sources[0].title"),
        ("countries/kaz.yaml", "sources[0].url"),
    ]
    assert all("TO-REPLACE" in p.message for p in problems)
    kaz = ds.countries["kaz"]
    assert (kaz.name, kaz.official_name, kaz.region) == ("Kazakhstan", "Republic of Kazakhstan", "central-asia")
    # Every instrument Kazakhstan may join; not the regional conventions, open to SAARC's or ASEAN's members only.
    assert {r.instrument for r in kaz.ratifications} == {"untoc", "tip-protocol", "som-protocol"}
    assert all(r.status is model.TreatyStatus.UNKNOWN for r in kaz.ratifications)
    assert {a.provision for a in kaz.coverage} == set(ds.provisions)  # every provision, not only the mandatory ones
    assert all(a.coverage is model.Coverage.UNKNOWN for a in kaz.coverage)
    assert "http://" not in text  # every address it writes is https


def test_new_country_placeholders_stop_the_build_until_replaced(real_copy, tmp_path, capsys):
    # placeholders_replaced
    from tiptoolkit.build import build

    assert main(["--root", str(real_copy), "new-country", "kaz"]) == 0
    assert build(real_copy, tmp_path / "site", pdfs=False) == 1
    assert "still the `TO-REPLACE` placeholder" in capsys.readouterr().err
    fill_placeholders(real_copy / "countries" / "kaz.yaml")
    assert validate(real_copy)[1] == []


def fill_placeholders(path: Path) -> None:
    """What an editor writes where `new-country` left TO-REPLACE: a summary and its source."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"summary: >-\n(  .*\n)+", "summary: A test country.\n", text)
    text = text.replace(
        "'TO-REPLACE: the source of the summary (a statute, a gazette, a treaty status page)'", "A source"
    )
    text = text.replace("https://example.org/TO-REPLACE", "https://example.org/source")
    path.write_text(text, encoding="utf-8")


def test_a_country_outside_both_regions_gets_its_own_region_and_nothing_of_south_asia(real_copy):
    """Kenya, added with `new-country`, is in neither region of the content. The SAARC Convention is open to
    SAARC's members only (`open_to`): Kenya gets no record to fill, no kit and no PDF for it, and is counted on the
    instruments it may join. Its region, which has no file, is built under its UN name: a page, a regional toolkit,
    its own matrix and heat map. Nothing it is shown speaks of South Asia. A SAARC record is refused, in words."""
    from tiptoolkit import analysis
    from tiptoolkit.pdf.batch import job_html, jobs_for
    from tiptoolkit.site.content import site_content
    from tiptoolkit.views.toolkit import build_toolkit

    assert main(["--root", str(real_copy), "new-country", "ken"]) == 0
    path = real_copy / "countries" / "ken.yaml"
    assert "saarc" not in path.read_text(encoding="utf-8")
    fill_placeholders(path)
    ds, problems = validate(real_copy)
    assert problems == []
    kenya = ds.countries["ken"]
    universal = [i.id for i in analysis.instruments_in_order(ds) if i.open_to is None]
    assert [k.instrument.id for k in analysis.accession_kits(ds, kenya)] == universal
    jobs = {job.name: job for job in jobs_for(ds)}
    assert [name for name in jobs if name.startswith("ken-accession")] == [f"ken-accession-{i}-en" for i in universal]
    assert jobs["region-eastern-africa-en"].region == "eastern-africa"
    assert jobs["toolkit-en"].region == jobs["region-south-asia-en"].region == "south-asia"  # the older name
    (region,) = [r for r in analysis.regions(ds) if r.id == "eastern-africa"]
    assert (region.name, region.countries, region.regional_instruments) == ("Eastern Africa", [kenya], [])
    assert [[cell.label for cell in row] for row in region.matrix] == [["Unknown"] * len(universal)]
    content = site_content(ds, DEFAULT_ROOT.parent / "docs")
    pages = content.generated
    assert f"<strong>0 of {len(universal)}</strong> instruments joined" in pages["countries/ken.md"].markdown
    assert build_toolkit(region.dataset, None).cover_title == "Eastern Africa"
    kenya_tk, nepal_tk = build_toolkit(ds, "KEN"), build_toolkit(ds, "NPL")
    assert kenya_tk.summary.instruments == len(universal)
    # The cooperation procedure's legal basis: the SAARC articles only where they can be invoked.
    saarc = [label for label in nepal_tk.legal_basis if label.startswith("SAARC")]
    assert len(saarc) == 3 and set(kenya_tk.legal_basis) == set(nepal_tk.legal_basis) - set(saarc)
    assert not any("SAARC" in label for step in kenya_tk.steps for label in step.legal_basis)
    assert any("SAARC" in label for step in nepal_tk.steps for label in step.legal_basis)
    # What Kenya's readers are shown: its page, its region's page, its toolkit, its region's toolkit.
    shown = {
        "its page": pages["countries/ken.md"].markdown,
        "its region's page": pages["regions/eastern-africa.md"].markdown,
        "its toolkit": job_html(ds, jobs["ken-en"]),
        "its region's toolkit": job_html(ds, jobs["region-eastern-africa-en"]),
    }
    for what, text in shown.items():
        assert not re.search(r"South\s+Asia", text), f"{what} speaks of South Asia"
    # SAARC's treaty and organisation are not offered to it: no glossary entry, abbreviation, review date or
    # article implemented (the shared commentary may still compare a provision with the SAARC Convention).
    region_tk = build_toolkit(region.dataset, None)
    for edition, other in (
        (kenya_tk, nepal_tk),
        (region_tk, build_toolkit(analysis.region_dataset(ds, "south-asia"), None)),
    ):
        saarc_terms = {"saarc", "saarc-convention"}
        assert not saarc_terms & {t.id for t in edition.terms} and saarc_terms <= {t.id for t in other.terms}
        assert "SAARC" not in dict(edition.abbreviations) and "SAARC" in dict(other.abbreviations)
        assert not any("SAARC" in r.what for r in edition.reviewed)
        implemented = [label for g in edition.provision_groups for item in g.items for label in item.implements]
        assert not any(label.startswith("SAARC") for label in implemented)
    implemented = [label for g in region_tk.provision_groups for item in g.items for label in item.implements]
    assert implemented and any(label.startswith("TIP Protocol") for label in implemented)
    assert "Not open to it" not in pages["compare/ratifications.md"].markdown  # each region its own instruments

    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "ratifications:\n",
            "ratifications:\n  - instrument: saarc-convention\n    status: not-party\n"
            "    sources:\n      - title: A source\n        url: https://example.org/s\n"
            "    last_reviewed: 2026-11-01\n    confidence: low\n",
            1,
        ),
        encoding="utf-8",
    )
    problems = validate(real_copy)[1]
    assert [(p.file, p.line, p.field, p.message) for p in problems] == [
        (
            "countries/ken.yaml",
            text.splitlines().index("ratifications:") + 2,
            "ratifications[0].instrument",
            "SAARC Trafficking Convention is open only to AFG, BGD, BTN, IND, MDV, NPL, PAK, LKA: "
            "remove this record (KEN may not join it)",
        )
    ]


def test_new_country_says_when_the_region_given_is_not_the_uns(real_copy, capsys):
    assert main(["--root", str(real_copy), "new-country", "kaz", "--region", "south-asia"]) == 0
    err = capsys.readouterr().err
    assert "the UN M49 classification puts KAZ in central-asia" in err and "`region: south-asia`" in err
    assert "region: south-asia\n" in (real_copy / "countries" / "kaz.yaml").read_text(encoding="utf-8")
    assert main(["--root", str(real_copy), "new-country", "uzb"]) == 0
    assert "UN M49" not in capsys.readouterr().err  # no region given: the UN's, and nothing to say


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["XYZ"], "'XYZ' is not an ISO 3166-1 alpha-3 code"),
        (["LA"], "'LA' is not an ISO 3166-1 alpha-3 code"),
        (["npl"], "countries/npl.yaml already exists: edit it"),
        (["ATA"], "give the UN M49 sub-region of Antarctica with --region"),
        (["CIV", "--region", "west-africa"], "give the UN M49 sub-region"),
    ],
)
def test_new_country_refuses(real_copy, capsys, args, message):
    before = sorted((real_copy / "countries").iterdir())
    assert main(["--root", str(real_copy), "new-country", *args]) == 2
    assert message in capsys.readouterr().err
    assert sorted((real_copy / "countries").iterdir()) == before


def test_every_iso_code_but_antarctica_has_a_region():
    codes = {country.alpha_3 for country in pycountry.countries}
    assert codes - set(REGION_OF) == {"ATA"}
    assert set(REGION_OF.values()) == set(REGION_NAMES) == set(typing.get_args(model.Region))


# ---------------------------------------------------------------- CONTRIBUTING templates

TEMPLATES = re.findall(r"<!-- template: (\w+) -->\n```yaml\n(.*?)```", CONTRIBUTING, re.S)


def test_contributing_has_a_template_per_kind_of_content():
    names = [name for name, _ in TEMPLATES]
    assert len(names) == len(set(names))
    assert {
        "Country",
        "Ratification",
        "Law",
        "Assessment",
        "Provision",
        "Contact",
        "Agreement",
        "ActionPlan",
        "CoordinationBody",
        "Article",
        "Standard",
        "Term",
        "Activity",
    } <= set(names)


@pytest.mark.parametrize(("name", "text"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_template_validates_and_documents_every_key(tmp_path, name, text):
    cls = getattr(model, name)
    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    data, _ = read_yaml(path)
    if isinstance(data, list):  # an item, as pasted under its list's key
        assert len(data) == 1
        data = data[0]
    elif set(data) == {"coordination_body"}:
        data = data["coordination_body"]
    cls.model_validate(data)
    for field in cls.model_fields:
        assert re.search(rf"^\s*(# )?(- )?{field}:", text, re.M), f"the {name} template does not show `{field}`"
    if name != "Activity":  # nested five levels deep, it is shown at the indentation it is pasted at
        assert canonical(text) == text, "templates are in the canonical layout"


def _yaml12(text: str):
    """A file as an editor's YAML 1.2 tooling reads it: `2011` a number, `2020-06-16` and `no` text."""
    import datetime as dt

    from ruamel.yaml import YAML

    def plain(value):
        if isinstance(value, dict):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    return plain(YAML(typ="safe", pure=True).load(text))


def _schemas() -> dict[str, dict]:
    folder = DEFAULT_ROOT / "schemas"
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


@pytest.mark.parametrize("relative", data_files(DEFAULT_ROOT), ids=str)
def test_every_data_file_validates_against_its_published_schema(relative):
    from jsonschema import Draft202012Validator

    text = (DEFAULT_ROOT / relative).read_text(encoding="utf-8")
    schema = re.match(r"# yaml-language-server: \$schema=(?:\.\.?/)?schemas/(\S+)", text).group(1)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in Draft202012Validator(_schemas()[schema]).iter_errors(_yaml12(text))
    ]
    assert errors == []


@pytest.mark.parametrize(("name", "text"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_every_template_validates_against_the_published_schema(name, text):
    from jsonschema import Draft202012Validator

    data = _yaml12(text)
    if isinstance(data, list):
        data = data[0]
    elif set(data) == {"coordination_body"}:
        data = data["coordination_body"]
    kind = getattr(model, name)
    for schema in _schemas().values():
        if schema.get("title") == name or name in schema.get("$defs", {}):
            target = schema if schema.get("title") == name else {"$defs": schema["$defs"], "$ref": f"#/$defs/{name}"}
            errors = [e.message[:200] for e in Draft202012Validator(target).iter_errors(data)]
            assert errors == [], (kind, errors)
            return
    pytest.fail(f"no published schema defines {name}")


def test_schema_catches_a_date_in_another_form_and_accepts_a_year():
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_schemas()["country.schema.json"])
    text = (DEFAULT_ROOT / "countries" / "npl.yaml").read_text(encoding="utf-8")
    data = _yaml12(text)
    data["ratifications"][0]["deposited"] = 2011
    assert not list(validator.iter_errors(data))
    data["ratifications"][0]["deposited"] = "17/10/2013"
    assert any("17/10/2013" in e.message for e in validator.iter_errors(data))


def test_template_references_exist(dataset):
    refs = set(re.findall(r"\b([a-z]+(?:-[a-z]+)*/art-\d+)\b", "".join(text for _, text in TEMPLATES)))
    assert refs and [ref for ref in refs if not dataset.exists(ref)] == []


def test_every_validation_rule_is_explained():
    for rule in RULES:
        assert f"<!-- rule: {rule.__name__} -->" in CONTRIBUTING, f"CONTRIBUTING.md does not explain {rule.__name__}"


def test_contributing_links_resolve():
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', CONTRIBUTING))
    anchors |= {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", CONTRIBUTING, re.M)
    }
    for target in re.findall(r"\]\(#([a-z0-9-]+)\)", CONTRIBUTING):
        assert target in anchors, f"broken link #{target}"


# ---------------------------------------------------------------- change report


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-C", str(repo), *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose first commit holds the real content; returns its data folder."""
    root = tmp_path / "repo" / "toolkit_data"
    shutil.copytree(DEFAULT_ROOT, root)
    _git(root.parent, "init", "-q")
    _git(root.parent, "add", "-A")
    _git(root.parent, "commit", "-q", "-m", "base")
    return root


def test_diff_reports_a_ratification_date_with_its_pages_and_pdfs(repo, capsys):
    edit(repo / "countries" / "npl.yaml", "    deposited: 2020-06\n", "    deposited: 2020-06-16\n")
    _git(repo.parent, "commit", "-q", "-am", "NPL deposit date")
    assert main(["--root", str(repo), "diff", "HEAD~1"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("## Content changes since `HEAD~1`")
    assert "- NPL · TIP Protocol accession: deposited `2020-06` → `2020-06-16`" in report  # Nepal acceded
    assert "1 change(s) in 1 item(s)" in report
    root = "https://counter-trafficking-toolkit.github.io/toolkit/"
    for page in ("countries/npl/", "ne/countries/npl/", "ur/compare/ratifications/"):  # every edition shows it
        assert f"- {root}{page}\n" in report, page
    assert "countries/bgd/" not in report
    downloads = report.split("### Downloads that will be rebuilt")[1].split("###")[0]
    # The toolkits that show the date: Nepal's, in English and Nepali, and South Asia's (under both its names).
    # India's lists Nepal as a neighbour but shows none of its treaty dates: its bytes do not change; nor do South-East
    # Asia's.
    assert re.findall(r"`(\S+)`", downloads.split("Also rebuilt")[0]) == [
        "toolkits/npl-en.pdf",
        "toolkits/region-south-asia-en.pdf",
        "toolkits/toolkit-en.pdf",
        "toolkits/npl-ne.pdf",
    ]
    data = report.split("### Open data files that will change")[1]
    assert "`data/countries/npl.json`" in data and "`data/ratifications.csv`" in data and "bgd.json" not in data


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _page(url: str) -> str:
    """A page's URL in the report -> its file in the site."""
    path = url.removeprefix(site_url(PROJECT))
    return f"{path}index.html"


ALSO_REBUILT = re.compile(r"(?:[a-z]{2}/)?(search/search_index\.json|sitemap\.xml(\.gz)?)|downloads/offline-site\.zip")


def test_change_report_lists_what_a_real_rebuild_changes(repo, site, tmp_path):
    """A one-date edit: the pages, downloads and open data files the report lists are exactly those whose bytes
    change when the site is built again (the pages showing a rebuilt file's size may change or not)."""
    edit(repo / "countries" / "npl.yaml", "    deposited: 2020-06\n", "    deposited: 2020-06-16\n")
    report = compare(repo, "HEAD")
    assert build(repo, tmp_path / "site", jobs=2) == 0  # the PDF cache holds the session's build: 3 are laid out
    before, after = _files(site), _files(tmp_path / "site")
    assert before.keys() == after.keys()
    changed = {path for path in after if before[path] != after[path]}
    pages = {path for path in changed if path.endswith(".html")}
    assert {_page(url) for url in report.pages} <= pages
    assert pages - {_page(url) for url in report.pages} <= {_page(url) for url in report.sized_pages}
    manifests = {"toolkits/manifest.json", "drafts/manifest.json"}  # the files' sizes and page counts
    downloads = {path for path in changed if path.startswith(("toolkits/", "drafts/"))} - manifests
    assert downloads == set(report.downloads)
    copies = {path for path in changed if re.match(r"([a-z]{2}/)?data/", path)}  # each edition has a copy
    assert {re.sub(r"^[a-z]{2}/data/", "data/", path) for path in copies} == set(report.data)
    unlisted = changed - pages - downloads - copies - manifests
    assert {path for path in unlisted if not ALSO_REBUILT.fullmatch(path)} == set()


def _post_script():
    spec = importlib.util.spec_from_file_location("post_change_report", PROJECT / "scripts" / "post_change_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FAKE_GH = """#!/bin/sh
echo "$@" >> "$GH_LOG"
case "$*" in
  "pr view"*) echo '{"headRefOid": "'"$PR_HEAD"'"}' ;;
  *--edit-last*) exit 1 ;;  # no comment yet: the script adds one
  *) cp "$5" "$GH_LOG.body" ;;
esac
"""


@pytest.fixture
def artifact(repo, tmp_path) -> Path:
    """The change-report artifact as the pull request's run uploads it, for a real one-date edit."""
    edit(repo / "countries" / "npl.yaml", "    deposited: 2020-06\n", "    deposited: 2020-06-16\n")
    folder = tmp_path / "artifact"
    folder.mkdir()
    assert main(["--root", str(repo), "diff", "HEAD", "--output", str(folder / "change-report.md")]) == 0
    (folder / "pr-number.txt").write_text("42\n", encoding="ascii")
    return folder


def test_change_report_is_posted_on_the_pull_request_the_run_checked(artifact, tmp_path, monkeypatch):
    post = _post_script()
    bin_dir, log, sha = tmp_path / "bin", tmp_path / "gh.log", "a" * 40
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("GH_LOG", str(log))
    monkeypatch.setenv("PR_HEAD", sha)
    assert post.main([str(artifact), "--head-sha", sha]) == 0
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "pr view 42 --json headRefOid" and calls[1].startswith("pr comment 42 --edit-last")
    body = Path(f"{log}.body").read_text(encoding="utf-8")
    assert body == post.NOTE + (artifact / "change-report.md").read_text(encoding="utf-8")
    assert "NPL · TIP Protocol accession" in body
    log.unlink()
    monkeypatch.setenv("PR_HEAD", "b" * 40)  # a newer push, or an artifact naming another pull request
    assert post.main([str(artifact), "--head-sha", sha]) == 1
    assert log.read_text(encoding="utf-8").splitlines() == ["pr view 42 --json headRefOid"]  # nothing posted


@pytest.mark.parametrize(
    ("number", "report", "refusal"),
    [
        ("42; gh repo delete", "fine", "pr-number.txt does not hold a pull request number"),
        ("0", "fine", "pr-number.txt does not hold a pull request number"),
        ("42", "", "the report is empty"),
        ("42", "x" * 70_000, "the report has 70000 characters"),
        ("42", None, "the artifact has no change-report.md"),
        ("42", b"\xff\xfe binary", "the artifact is not text"),
    ],
)
def test_change_report_artifacts_that_are_refused(tmp_path, capsys, number, report, refusal):
    (tmp_path / "pr-number.txt").write_text(number, encoding="ascii")
    if isinstance(report, bytes):
        (tmp_path / "change-report.md").write_bytes(report)
    elif report is not None:
        (tmp_path / "change-report.md").write_text(report, encoding="utf-8")
    assert _post_script().main([str(tmp_path), "--head-sha", "a" * 40, "--dry-run"]) == 1
    assert f"change report not posted: {refusal}" in capsys.readouterr().err


def test_change_report_comment_notifies_nobody():
    post = _post_script()
    body = post.comment_body("- NPL · contact added by @someone (mail desk@example.org)\n")
    assert "@someone" not in body and "@\u200dsomeone" in body and body.startswith(post.NOTE)
    assert "desk@example.org" in body  # an address is no mention
    with pytest.raises(post.Refused, match="not a commit"):
        post.check_target(42, "a" * 40, "main; echo")


def test_diff_of_shared_content_and_of_nothing(repo):
    base, _ = load_dataset(repo)
    assert markdown(compare(repo, "HEAD")).endswith("No content change: the data files mean the same as before.\n")
    edit(repo / "victim_protection" / "vps.yaml", "category: children", "category: protection")
    edit(repo / "glossary.yaml", "      The UN treaty of 2000,", "      The United Nations treaty of 2000,")
    head, _ = load_dataset(repo)
    changes = [str(change) for change in content_changes(base, head)]
    assert any(re.fullmatch(r"Victim protection · .+: category `children` → `protection`", c) for c in changes), changes
    edited = "Glossary · term “United Nations Convention against Transnational Organized Crime”: definition rewritten"
    edit_shown = r" \(\d+ → \d+ words\): `The UN treaty of` → `The United Nations treaty of`"
    assert any(re.fullmatch(re.escape(edited) + edit_shown, c) for c in changes), changes


def test_report_stays_readable_and_fits_a_comment():
    old = {"title": "T", "translations": {}}
    new = {"title": "T", "translations": {"ne": {"title": "x"}, "bn": {"title": "y"}}}
    assert list(diff_values({"s": old}, {"s": new}, Labeller())) == [("s", "translations: added `ne`, `bn`")]
    many = Report("main", [Change("countries", "NPL", f"law {i}", "added") for i in range(40)])
    text = markdown(many)
    assert text.count("- NPL · law") == PER_SUBJECT and "- NPL: … and 10 more change(s)" in text
    huge = Report("main", [Change("countries", f"C{i}", "summary", "x" * 500) for i in range(200)])
    assert len(markdown(huge)) <= MAX_COMMENT and "report cut to fit a comment" in markdown(huge)


def test_diff_names_every_kind_of_change_in_real_files(repo):
    """A list item removed, a field changed, a file added and a file removed: each reported in a reviewer's words."""
    base, _ = load_dataset(repo)
    npl = repo / "countries" / "npl.yaml"
    text = npl.read_text(encoding="utf-8")
    block = re.search(r"^  - id: nepal-police-ahtb\n(?:    .*\n|      .*\n)+", text, re.M).group(0)
    npl.write_text(text.replace(block, "", 1), encoding="utf-8")
    edit(npl, "official_name: Federal Democratic Republic of Nepal", "official_name: Federal Republic of Nepal")
    shutil.copy(repo / "countries" / "bgd.yaml", repo / "countries" / "bgx.yaml")
    edit(repo / "countries" / "bgx.yaml", "id: bgd", "id: bgx")
    (repo / "countries" / "afg.yaml").unlink()
    head, _ = load_dataset(repo)
    changes = [str(change) for change in content_changes(base, head)]
    assert "NPL: contact Nepal Police, Anti-Human Trafficking Bureau removed" in changes, changes
    assert "NPL: official name `Federal Democratic Republic of Nepal` → `Federal Republic of Nepal`" in changes, changes
    assert "BGX: added (Bangladesh)" in changes and "AFG: removed (Afghanistan)" in changes, changes
    # A country added is listed fact by fact for the reviewer, an accession called an accession.
    raw = yaml.safe_load((repo / "countries" / "bgx.yaml").read_text(encoding="utf-8"))
    tip = next(record for record in raw["ratifications"] if record["instrument"] == "tip-protocol")
    assert tip["action"] == "accession"
    dates = f"deposited `{tip['deposited']}`, in force `{tip['in_force']}`"
    assert f"BGX · TIP Protocol accession: {tip['status']}, {dates}" in changes, changes
    counts = Counter(row["coverage"] for row in raw["coverage"])
    assert f"BGX · coverage: {', '.join(f'{n} {level}' for level, n in sorted(counts.items()))}" in changes
    assert {f"BGX · law “{law['title']}”" for law in raw["laws"]} <= {c.split(":")[0] for c in changes}


def test_diff_values_reports_each_kind_of_difference():
    labels = Labeller()
    old = {
        "title": "T",
        "note": "n",
        "tags": ["a", "b", "c"],
        "translations": {"ne": {"title": "x"}},
        "items": [{"id": "one", "v": 1}, {"id": "two", "v": 2}, {"id": "three", "v": 3}],
    }
    new = {
        "title": "U",
        "summary": "s",
        "tags": ["c", "b", "d"],
        "translations": {"bn": {"title": "y"}},
        "items": [{"id": "two", "v": 2}, {"id": "one", "v": 10}, {"id": "four", "v": 4}],
    }
    found = [f"{where} · {what}" if where else what for where, what in diff_values(old, new, labels)]
    assert found == [
        "title `T` → `U`",
        "note removed (was `n`)",
        "tags: added `d`; removed `a`",
        "translations: added `bn`; removed `ne`",
        "one · v `1` → `10`",
        "four added",
        "three removed",
        "items reordered",
        "summary added: `s`",
    ]
    assert list(diff_values({"tags": ["a", "b"]}, {"tags": ["b", "a"]}, labels)) == [("", "tags: reordered")]


def test_diff_refuses_an_unknown_ref(repo, capsys):
    assert main(["--root", str(repo), "diff", "no-such-branch"]) == 2
    assert "cannot read toolkit_data/ at 'no-such-branch'" in capsys.readouterr().err


# ---------------------------------------------------------------- canonical formatting


@pytest.mark.parametrize("relative", data_files(DEFAULT_ROOT), ids=str)
def test_every_data_file_is_canonical(relative):
    text = (DEFAULT_ROOT / relative).read_text(encoding="utf-8")
    assert canonical(text) == text, f"run `tiptoolkit fmt {DEFAULT_ROOT.name}/{relative}`"


def test_fmt_normalises_layout_and_keeps_comments_and_meaning(tmp_path):
    path = tmp_path / "x.yaml"
    messy = "\ufeff# schema line\r\nid: x   # the id\r\nlist:\r\n- a\r\n-   b\r\nnote: >-\r\n    folded\r\n    text\r\n"
    path.write_bytes(messy.encode("utf-8"))
    before, _ = read_yaml(path)
    assert format_file(path) is True
    text = path.read_text(encoding="utf-8")
    assert text == "# schema line\nid: x   # the id\nlist:\n  - a\n  - b\nnote: >-\n  folded\n  text\n"
    assert read_yaml(path)[0] == before
    assert format_file(path) is False and canonical(text) == text


def test_fmt_check_reports_without_changing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a:\n    - 1\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: 1\na: 2\n", encoding="utf-8")
    assert main(["fmt", "--check", str(bad)]) == 1
    assert bad.read_text(encoding="utf-8") == "a:\n    - 1\n"
    assert "not canonical: run `tiptoolkit fmt`" in capsys.readouterr().out
    assert main(["fmt", str(bad)]) == 0 and bad.read_text(encoding="utf-8") == "a:\n  - 1\n"
    assert main(["fmt", str(broken)]) == 1
    assert 'line 2: found duplicate key "a"' in capsys.readouterr().err
    with pytest.raises(FormatError):
        canonical("a: [1\n")


# ---------------------------------------------------------------- freshness


def test_stale_since_is_strictly_older_than_the_threshold():
    item = model.Assessment(provision="tip-model-law/art-7", coverage="unknown", last_reviewed=date(2025, 1, 1))
    assert stale_since(item, date(2026, 1, 1), 365) is None
    assert stale_since(item, date(2026, 1, 2), 365) == date(2025, 1, 1)
    assert stale_since(model.CountryReservation(summary="x"), date(2030, 1, 1)) is None


def test_country_page_marks_stale_facts(dataset):
    from tiptoolkit.site.pages import Linker, SiteBuilder

    def npl(now: date, days: int) -> str:
        pages = SiteBuilder(dataset, Linker(), {}, stale_after_days=days, now=now).build()
        return next(page.markdown for page in pages if page.path == "countries/npl.md")

    later = npl(date(2028, 1, 1), 365)
    assert later.count('class="tk-stale"') >= len(dataset.countries["npl"].ratifications) + len(
        dataset.countries["npl"].contacts
    )
    assert "not reviewed since 29 Nov 2026" in later
    assert "tk-stale" not in npl(date(2028, 1, 1), 0)


# ---------------------------------------------------------------- live preview


def test_serve_refuses_to_start_on_broken_content(real_copy, capsys):
    edit(real_copy / "countries" / "npl.yaml", "id: npl", "id: nepal")
    assert main(["--root", str(real_copy), "serve"]) == 1
    assert "serve: fix these" in capsys.readouterr().err


def test_a_broken_save_stops_the_preview_rebuild_with_the_problems_only(real_copy, monkeypatch):
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    edit(real_copy / "countries" / "npl.yaml", "id: npl", "id: nepal")
    monkeypatch.setenv("TIPTOOLKIT_DATA_DIR", str(real_copy))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(PROJECT / "mkdocs.yml"))
    plugin = config.plugins["tiptoolkit"]
    with pytest.raises(PluginError):
        plugin.on_config(config)
    plugin.on_startup(command="serve", dirty=False)
    try:
        with pytest.raises(Abort, match=r"(?s)countries/npl.yaml:\d+:\d+: id: .*Fix them and save"):
            plugin.on_config(config)
    finally:
        plugin.on_startup(command="build", dirty=False)  # the instance outlives this test: as a build leaves it


def test_a_save_in_the_preview_rebuilds_the_pages_it_changes(real_copy, tmp_path, monkeypatch):
    """`tiptoolkit serve` builds dirty: a summary edited rebuilds the pages that show it (and the hand-written
    ones, whose macros may show it); a title in the navigation edited rebuilds every page."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.setenv("TIPTOOLKIT_DATA_DIR", str(real_copy))
    monkeypatch.setenv("TIPTOOLKIT_SEARCH", "false")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = tmp_path / "preview"

    def save() -> dict[str, tuple[int, bytes]]:
        """What `mkdocs serve` does on a save: a new configuration (the plugin instance is kept), a dirty build."""
        mkdocs_build(load_config(str(PROJECT / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*.html")}

    plugin = load_config(str(PROJECT / "mkdocs.yml")).plugins["tiptoolkit"]
    plugin.on_startup(command="serve", dirty=True)
    try:
        first = save()
        edit(real_copy / "countries" / "npl.yaml", "summary: ", "summary: Quickmarker. ")
        second = save()
        rebuilt = {path for path in second if second[path][0] != first[path][0]}
        assert {"countries/npl/index.html", "countries/index.html"} <= rebuilt  # the page and the index's summary
        assert {"index.html", "about/index.html"} <= rebuilt  # hand-written: always
        assert "countries/bgd/index.html" not in rebuilt and len(rebuilt) < len(second) / 4, sorted(rebuilt)
        assert b"Quickmarker" in second["countries/npl/index.html"][1]
        changed = {path for path in second if second[path][1] != first[path][1]}
        assert changed <= rebuilt  # nothing that changed was left out
        path = real_copy / "instruments" / "saarc-convention.yaml"  # its title is in the navigation of every page
        edit(path, "short_title: SAARC Trafficking Convention", "short_title: SAARC Quick Convention")
        third = save()
        assert all(third[path][0] != second[path][0] for path in second)  # so every page was built again
        assert b"SAARC Quick Convention" in third["countries/bgd/index.html"][1]
    finally:
        plugin.on_startup(command="build", dirty=False)  # the instance outlives this test: as a build leaves it


# ---------------------------------------------------------------- editor and repository automation


def test_vscode_maps_every_schema_to_its_folder():
    settings = json.loads((PROJECT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    schemas = sorted(p.name for p in (DEFAULT_ROOT / "schemas").glob("*.schema.json"))
    assert sorted(Path(path).name for path in mapping) == schemas
    for folder, cls in model.DOCUMENT_KINDS.items():
        glob = mapping[f"./toolkit_data/schemas/{cls.schema_name}.schema.json"]
        assert glob in (f"toolkit_data/{folder}/*.yaml", f"toolkit_data/{folder}.yaml")
    extensions = json.loads((PROJECT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_pre_commit_config_is_valid_and_runs_the_project_tools():
    from pre_commit.clientlib import load_config

    config = load_config(str(PROJECT / ".pre-commit-config.yaml"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["tiptoolkit-validate"]["entry"].endswith("tiptoolkit validate")
    assert hooks["tiptoolkit-validate"]["files"].startswith("^toolkit_data/")
    assert hooks["tiptoolkit-fmt"]["entry"].endswith("tiptoolkit fmt --check")
    assert "ruff check" in hooks["ruff-check"]["entry"] and "ruff format" in hooks["ruff-format"]["entry"]


def _workflow(name: str) -> dict:
    data = yaml.safe_load((PROJECT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _runs(workflow: dict) -> str:
    return "\n".join(
        step.get("run", "") + step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]
    )


def test_pull_request_workflow():
    flow = _workflow("pr.yml")
    assert "pull_request" in flow["on"] and "pull_request_target" not in flow["on"]
    assert flow["permissions"] == {"contents": "read"} and list(flow["jobs"]) == ["check"]
    runs = _runs(flow)
    for command in ("tiptoolkit validate --format github", "make test", "make build", "tiptoolkit diff"):
        assert command in runs, command
    upload = [s for s in flow["jobs"]["check"]["steps"] if s.get("with", {}).get("name") == "site"]
    assert upload and upload[0]["with"]["path"].rstrip("/") == "site"
    report = [s for s in flow["jobs"]["check"]["steps"] if s.get("with", {}).get("name") == "change-report"]
    assert report[0]["with"]["path"].split() == ["change-report.md", "pr-number.txt"]
    assert "gh pr comment" not in runs  # this job runs the pull request's code: it may not write


def test_change_report_is_posted_by_a_job_that_runs_no_pull_request_code():
    flow = _workflow("change-report.yml")
    assert flow["on"] == {"workflow_run": {"workflows": ["Pull request"], "types": ["completed"]}}
    assert flow["permissions"] == {}
    job = flow["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    checkout, download, comment = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@") and "ref" not in checkout["with"]  # the default branch
    assert checkout["with"]["sparse-checkout"] == "scripts/post_change_report.py"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert comment["run"] == 'python3 scripts/post_change_report.py artifact --head-sha "$HEAD_SHA"'
    assert comment["env"]["HEAD_SHA"] == "${{ github.event.workflow_run.head_sha }}"
    assert "${{" not in comment["run"]  # nothing from the event is pasted into the shell


def test_actions_are_pinned_to_commits():
    for path in (PROJECT / ".github" / "workflows").glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w./-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$", line), (path.name, line)


def test_deploy_workflow():
    flow = _workflow("deploy.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}
    runs = _runs(flow)
    assert "make build" in runs and "actions/upload-pages-artifact" in runs and "actions/deploy-pages" in runs
    assert runs.index("make test") < runs.index("make build")  # nothing is published unless the tests pass
    assert flow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    steps = flow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    cache = steps[uses.index("actions/cache")]  # restored before the build, saved after it
    assert cache["with"]["path"] == ".cache" and uses.index("actions/cache") < [
        "make build" in step.get("run", "") for step in steps
    ].index(True)


def test_pull_requests_read_the_build_cache_and_never_save_it():
    steps = _workflow("pr.yml")["jobs"]["check"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert "actions/cache" not in uses and "actions/cache/save" not in uses
    assert steps[uses.index("actions/cache/restore")]["with"]["path"] == ".cache"


def test_workflows_use_no_secrets():
    for path in (PROJECT / ".github" / "workflows").glob("*.yml"):
        assert "secrets." not in path.read_text(encoding="utf-8"), path.name


def test_pull_request_and_issue_templates():
    folder = PROJECT / ".github" / "PULL_REQUEST_TEMPLATE"
    assert {p.stem for p in folder.glob("*.md")} == {"ratification", "country", "provision", "standard", "other"}
    for path in folder.glob("*.md"):
        assert "- [ ]" in path.read_text(encoding="utf-8"), path.name
    form = yaml.safe_load((PROJECT / ".github" / "ISSUE_TEMPLATE" / "outdated-fact.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Report an outdated fact"
    assert {item["id"] for item in form["body"] if "id" in item} >= {"page", "current", "correct", "source"}
