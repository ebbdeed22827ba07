"""Hostile content through the real pipeline: validation (the CLI, as a subprocess), the site build (`build()`)
and a PDF render (`render_country`).

Every case ends in one of two ways: a clean validation error naming the file and the line (no traceback), or
output in which the hostile text is shown as typed and does nothing: no template runs, no script or event
handler reaches the HTML, nothing local or remote is read, attached or embedded in a PDF.

The site is built once for all the hostile strings together (one mutated copy of the real content, session
scope) and one PDF is rendered from it.
"""

from __future__ import annotations

import http.server
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import uuid
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pikepdf
import pytest
import yaml

from tiptoolkit import analysis
from tiptoolkit.dataset import DEFAULT_ROOT
from tiptoolkit.validate import validate

from .conftest import FIXTURES, TODAY

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "tiptoolkit.cli"]


# ---------------------------------------------------------------- a canary: a local file and a local web server


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args: object) -> None:
        pass


class Canary:
    """A file no output may contain, and a web server no build may call."""

    def __init__(self, folder: Path) -> None:
        self.secret = f"CANARY-{uuid.uuid4().hex}"
        self.file = folder / "canary.txt"
        self.file.write_text(self.secret + "\n", encoding="utf-8")
        self.hits: list[str] = []
        handler = type("Handler", (_Recorder,), {"hits": self.hits})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def canary(tmp_path_factory: pytest.TempPathFactory):
    instance = Canary(tmp_path_factory.mktemp("canary"))
    yield instance
    instance.close()


def payload(marker: str, canary: Canary) -> str:
    """Every class of attack of issue 9 in one string; `marker` tells which field it sits in."""
    file_url = canary.file.as_uri()
    return (
        f"{marker} {{{{ config }}}} {{% include 'base.html' %}} {{{{ cycler.__init__.__globals__ }}}} "
        f"{{{{ 'HX' * 3 }}}} {{: onclick=alert(1) }} "
        "<script>alert('HX')</script> <img src=x onerror=alert(1)> <svg onload=alert(1)><circle/></svg> "
        f'<iframe src="{canary.url}/iframe"></iframe> <object data="{file_url}"></object> '
        f"<embed src={file_url}> <style>body {{ background: url({canary.url}/style.png) }}</style> "
        "[js](javascript:alert(1)) [jsx](JaVaScRiPt&#58;alert(1)) "
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
        f'<link rel=attachment href=file:///etc/passwd> <a rel=attachment href="{file_url}">attached</a> '
        f'[att]({file_url} "attachment") [http]({canary.url}/link) '
        f'<div style="background: url({file_url})">css-local</div> '
        f"<span style=\"background-image: url('{canary.url}/css.png')\">css-remote</span> "
        f"![local]({file_url}) ![passwd](file:///etc/passwd) ![remote]({canary.url}/image.png) "
        f"<{canary.url}/autolink> [ref][r]\n\n[r]: javascript:alert(1)\n\n"
        "tab\there, \ufeff BOM inside, quote \" apostrophe ' ampersand &amp; &lt;b&gt; end"
    )


# ---------------------------------------------------------------- the hostile copy of the real content


def _edit(path: Path, change) -> None:
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    data = yaml.safe_load(rest)
    change(data)
    path.write_text(
        first + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8"
    )


# The fields the hostile strings go into, by marker.
FIELDS = {
    "HX-SUMMARY": "country summary (NPL)",
    "HX-NAME": "country name, a page title and heading (NPL)",
    "HX-GLOSSARY": "glossary definition",
    "HX-PTEXT": "model provision text",
    "HX-PCOMMENT": "model provision commentary",
    "HX-PTITLE": "model provision title (a heading)",
    "HX-CHECK": "victim protection checklist item",
    "HX-STITLE": "victim protection standard title (a page title)",
    "HX-AGENCY": "contact agency name (NPL)",
    "HX-SOURCE": "source title (NPL)",
}
# A source URL passes the schema's http(s) pattern but still carries template and Markdown syntax.
HOSTILE_URL = "https://evil.example/{{config}}/[x](javascript:alert(1))/*a*_b_`c`"


@pytest.fixture(scope="session")
def hostile_root(tmp_path_factory: pytest.TempPathFactory, canary: Canary) -> Path:
    os.environ["TIPTOOLKIT_TODAY"] = TODAY
    root = tmp_path_factory.mktemp("hostile") / "toolkit_data"
    shutil.copytree(DEFAULT_ROOT, root)
    original, problems = validate(root)
    assert not problems, problems
    npl = original.countries["npl"]
    gap = analysis.gaps(original, npl)[0]  # a provision the NPL toolkit prints in full
    law_id, provision_id = gap.key.split("/")

    def english_only(*items):
        """The English changes, so the translations of what changed would be stale: drop them."""
        for item in items:
            item.pop("translations", None)

    def country(data):
        english_only(data, data["contacts"][0], data["sources"][0])
        data["summary"] = payload("HX-SUMMARY", canary)
        data["name"] = "Nepal " + payload("HX-NAME", canary).replace("\n", " ")
        data["contacts"][0]["agency"] = payload("HX-AGENCY", canary)
        data["sources"][0]["title"] = payload("HX-SOURCE", canary)
        data["sources"][0]["url"] = HOSTILE_URL

    def glossary(data):
        english_only(data["terms"][0])
        data["terms"][0]["definition"] = payload("HX-GLOSSARY", canary)

    def model_law(data):
        provision = next(p for p in data["provisions"] if p["id"] == provision_id)
        english_only(provision)
        provision["text"] = payload("HX-PTEXT", canary)
        provision["commentary"] = payload("HX-PCOMMENT", canary)
        provision["title"] = payload("HX-PTITLE", canary).replace("\n", " ")

    def standards(data):
        english_only(data["standards"][0], data["standards"][0]["checklist"][0])
        data["standards"][0]["checklist"][0]["text"] = payload("HX-CHECK", canary)
        data["standards"][0]["title"] = payload("HX-STITLE", canary).replace("\n", " ")

    def translated(data):
        """A hostile translation: translators send pull requests too (the English, and so its hash, is unchanged)."""
        if "ur" in (data.get("translations") or {}):
            data["translations"]["ur"]["name"] = "پاکستان " + payload("HX-URDU", canary).replace("\n", " ")

    def interface(data):
        """Hostile interface strings: the language's own name and the translated site name."""
        data["name"] = "اردو " + payload("HX-LANGNAME", canary).replace("\n", " ")
        if "nav.countries" in data.get("strings", {}):  # a navigation section title
            data["strings"]["nav.countries"]["text"] = "HX-NAVTITLE <img src=x onerror=alert(1)>"
        if "home.title" in data.get("strings", {}):
            data["strings"]["home.title"]["text"] += (  # kept: the terminology check wants its term
                " HX-SITENAME <script>alert('HX')</script> \"><img src=x onerror=alert(1)>"
            )

    _edit(root / "countries/npl.yaml", country)
    _edit(root / "countries/pak.yaml", translated)
    if (root / "i18n/ur.yaml").exists():
        _edit(root / "i18n/ur.yaml", interface)
    _edit(root / "glossary.yaml", glossary)
    _edit(root / f"model_law/{law_id}.yaml", model_law)
    _edit(root / "victim_protection/vps.yaml", standards)
    return root


@pytest.fixture(scope="session")
def hostile_dataset(hostile_root: Path):
    dataset, problems = validate(hostile_root)
    assert not problems, "\n".join(map(str, problems))
    return dataset


@pytest.fixture(scope="session")
def hostile_site(hostile_root: Path, hostile_dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiptoolkit.build import build

    site_dir = tmp_path_factory.mktemp("hostile-site") / "site"
    assert build(hostile_root, site_dir, pdfs=False) == 0
    return site_dir


class PdfLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(f"{record.name}: {record.getMessage()}")


def _render_logged(function, *args):
    handler = PdfLog()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "tiptoolkit.pdf")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        return function(*args), handler.messages
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.fixture(scope="session")
def hostile_pdf(hostile_dataset) -> tuple[bytes, list[str]]:
    from tiptoolkit.pdf.render import render_country

    return _render_logged(render_country, hostile_dataset, "NPL")


# ---------------------------------------------------------------- reading HTML with a parser


class Elements(HTMLParser):
    """Every start tag with its attributes, the text of <script> and <style> elements, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[str, str]] = []  # (attributes, text)
        self.text: list[str] = []
        self._raw: str | None = None
        self._raw_attrs = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag in ("script", "style"):
            self._raw, self._raw_attrs = tag, json.dumps(sorted(attributes.items()))
            self.scripts.append((f"{tag} {self._raw_attrs}", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw:
            head, text = self.scripts[-1]
            self.scripts[-1] = (head, text + data)
        else:
            self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def normalised_script(page: str, head: str, text: str) -> tuple[str, str]:
    """A script as Material emits it, with what depends on the page's depth (relative paths) taken out."""
    return head, re.sub(r'"(\.\./)*\.?\.?/?"|(\.\./)+', "REL", text)


def handlers(elements: Elements) -> set[tuple[str, str, str]]:
    return {
        (tag, name, value) for tag, attrs in elements.tags for name, value in attrs.items() if name.startswith("on")
    }


@pytest.fixture(scope="session")
def baseline_markup(site: Path) -> tuple[set, set, set]:
    """The scripts, styles and event handlers Material itself emits, read from the site built from the real content."""
    scripts, styles, events = set(), set(), set()
    for page, html in html_pages(site).items():
        elements = parse(html)
        for head, text in elements.scripts:
            (scripts if head.startswith("script") else styles).add(normalised_script(page, head, text))
        events |= handlers(elements)
    return scripts, styles, events


# ---------------------------------------------------------------- the site


def test_hostile_site_has_no_script_handler_or_foreign_element_from_content(hostile_site, baseline_markup, canary):
    scripts, styles, events = baseline_markup
    pages = html_pages(hostile_site)
    assert "countries/npl/index.html" in pages
    for page, html in pages.items():
        elements = parse(html)
        for head, text in elements.scripts:
            known = scripts if head.startswith("script") else styles
            assert normalised_script(page, head, text) in known, (page, head, text[:300])
        assert handlers(elements) <= events, (page, handlers(elements) - events)
        for tag, attrs in elements.tags:
            assert tag not in ("iframe", "object", "embed", "frame", "frameset", "applet", "base", "portal"), (
                page,
                tag,
            )
            assert tag != "meta" or "http-equiv" not in attrs, (page, attrs)
            assert tag != "form" or attrs.get("class", "").startswith("md-"), (page, attrs)  # Material's own only
            assert not (tag == "link" and "attachment" in attrs.get("rel", "")), (page, attrs)
            assert not (tag == "a" and "attachment" in attrs.get("rel", "")), (page, attrs)
            assert "style" not in attrs or "url(" not in attrs["style"], (page, tag, attrs)
            for name in ("href", "src", "data", "action", "formaction", "srcset", "poster", "xlink:href"):
                value = attrs.get(name, "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "file:", "vbscript:")), (page, tag, name, value)
                if tag == "a" and name == "href":
                    continue  # a link to a web page is content; it loads nothing until a reader follows it
                assert canary.url not in value and "evil.example" not in value, (page, tag, name, value)
            if tag == "img":
                assert not re.match(r"(https?:)?//", attrs.get("src", "")), (page, attrs)


def test_hostile_text_is_shown_as_typed_and_no_template_ran(hostile_site):
    page_text = {page: " ".join(parse(html).text) for page, html in html_pages(hostile_site).items()}
    everything = "\n".join(page_text.values())
    for marker in FIELDS:
        assert marker in everything, (marker, FIELDS[marker])
    if (hostile_site / "ur/index.html").exists():
        assert "HX-LANGNAME" in page_text["index.html"]  # the language selector names Urdu in every edition
        assert "HX-SITENAME" in page_text["ur/index.html"]
        assert "HX-NAVTITLE" in page_text["ur/index.html"]
    if (hostile_site / "ur/countries/pak/index.html").exists():
        assert "HX-URDU" in page_text["ur/countries/pak/index.html"]
        assert "{{ config }}" in page_text["ur/countries/pak/index.html"]
    npl = page_text["countries/npl/index.html"]
    for literal in (
        "{{ config }}",
        "{% include 'base.html' %}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ 'HX' * 3 }}",
        "<script>alert('HX')</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
    ):
        assert literal in npl, literal
    assert "HXHXHX" not in everything  # the Jinja expression did not run
    for leak in ("__builtins__", "MkDocsConfig", "mdx_configs", "site_dir", "theme_dir", "<function", "<module"):
        assert leak not in everything, leak
    # The page title and the navigation show the name as text.
    html = (hostile_site / "countries/npl/index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "HX-NAME" in title and "<" not in title and "&lt;script&gt;" in title


def test_hostile_search_index_holds_only_inert_text(hostile_site):
    """Material's search shows titles and text as HTML: they must be as inert as the pages."""
    index = json.loads((hostile_site / "search/search_index.json").read_text(encoding="utf-8"))
    seen = False
    for doc in index["docs"]:
        for key in ("title", "text"):
            elements = parse(doc[key])
            assert not elements.scripts and not handlers(elements), (doc["location"], key)
            assert all(tag not in ("img", "iframe", "object", "embed", "svg", "link") for tag, _ in elements.tags), doc
            for _, attrs in elements.tags:
                assert not attrs.get("href", "").lower().startswith(("javascript:", "data:", "file:")), doc
            seen = seen or "HX-SUMMARY" in doc[key]
    assert seen


def test_hostile_open_data_is_data(hostile_site):
    country = json.loads((hostile_site / "data/countries/npl.json").read_text(encoding="utf-8"))
    assert country["summary"].startswith("HX-SUMMARY {{ config }}")
    assert country["sources"][0]["url"] == HOSTILE_URL


def test_hostile_site_read_nothing_local_or_remote(hostile_site, canary):
    assert canary.hits == []
    secret = canary.secret
    for path in hostile_site.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_offline_copy_of_the_hostile_site_is_inert(hostile_site, baseline_markup):
    _, _, events = baseline_markup
    with zipfile.ZipFile(hostile_site / "downloads/offline-site.zip") as archive:
        page = archive.read("counter-trafficking-toolkit/countries/npl.html").decode("utf-8")
    elements = parse(page)
    assert handlers(elements) <= events
    assert "{{ config }}" in " ".join(elements.text)
    for _, text in elements.scripts:
        assert "alert(" not in text


# ---------------------------------------------------------------- the PDF


def _pdf_strings(pdf: pikepdf.Pdf) -> bytes:
    """Every stream, decoded, and every string object: what a reader could extract from the file."""
    chunks = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            try:
                chunks.append(obj.read_bytes())
            except pikepdf.PdfError:
                chunks.append(obj.read_raw_bytes())
        elif isinstance(obj, pikepdf.String):
            chunks.append(bytes(obj))
    return b"\n".join(chunks)


def assert_pdf_embeds_nothing(data: bytes, canary: Canary) -> None:
    pdf = pikepdf.open(io.BytesIO(data))
    names = pdf.Root.get("/Names", pikepdf.Dictionary())
    assert "/EmbeddedFiles" not in names
    assert "/AF" not in pdf.Root
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        assert obj.get("/Type") not in ("/EmbeddedFile", "/Filespec")
        assert obj.get("/Subtype") not in ("/FileAttachment", "/Image", "/Movie", "/Sound", "/RichMedia", "/3D")
        assert "/EF" not in obj and "/JS" not in obj and "/JavaScript" not in obj
        action = obj.get("/S")
        assert action not in ("/Launch", "/JavaScript", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE"), action
        uri = obj.get("/URI")
        if uri is not None:
            assert re.match(r"^(https?://|mailto:)", str(uri)), uri
            assert canary.url not in str(uri) or str(uri).endswith("/link"), uri
    everything = _pdf_strings(pdf)
    assert canary.secret.encode() not in everything
    hostname = Path("/etc/hostname")
    if hostname.exists() and len(hostname.read_text().strip()) >= 8:
        assert hostname.read_text().strip().encode() not in everything
    passwd = Path("/etc/passwd")
    if passwd.exists():
        assert passwd.read_text().splitlines()[0].encode() not in everything


def test_hostile_pdf_embeds_and_reads_nothing(hostile_pdf, canary):
    data, logs = hostile_pdf
    assert data[:5] == b"%PDF-"
    assert_pdf_embeds_nothing(data, canary)
    assert canary.hits == []
    # The sanitiser removed every tag, so WeasyPrint was never even asked for a URL.
    assert logs == []


def test_hostile_pdf_shows_the_text_as_typed(hostile_pdf):
    data, _ = hostile_pdf
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout
    text = text.decode("utf-8")
    flat = re.sub(r"\s+", " ", text)
    for marker in ("HX-SUMMARY", "HX-NAME", "HX-PTEXT", "HX-PCOMMENT", "HX-CHECK", "HX-AGENCY", "HX-SOURCE"):
        assert marker in flat, marker
    assert "{{ config }}" in flat and "{{ cycler.__init__.__globals__ }}" in flat
    assert "HXHXHX" not in flat


def test_raw_hostile_html_reaching_weasyprint_is_refused_and_logged(canary):
    """Defence in depth: even HTML that skipped the sanitiser cannot make WeasyPrint read a file or the network.
    The fetcher refuses each URL and says so on the `tiptoolkit.pdf` logger."""
    from tiptoolkit.pdf.render import html_to_pdf

    file_url = canary.file.as_uri()
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
    <link rel="stylesheet" href="{canary.url}/remote.css">
    <link rel="attachment" href="file:///etc/passwd"><link rel="attachment" href="{file_url}">
    <style>
      @import url("{canary.url}/import.css");
      @font-face {{ font-family: X; src: url("{file_url}"); }}
      body {{ background: url("{file_url}"); }}
      h1 {{ background-image: url("{canary.url}/bg.png"); }}
    </style></head><body>
    <h1>Hostile</h1>
    <p><a rel="attachment" href="{file_url}">attached</a> <a href="file:///etc/passwd">passwd</a></p>
    <img src="{file_url}" alt=""><img src="{canary.url}/img.png" alt=""><img src="file:///etc/hostname" alt="">
    <object data="{file_url}"></object><embed src="{canary.url}/embed"><iframe src="{file_url}"></iframe>
    <div style="background: url('{canary.url}/inline.png')">x</div>
    <svg><image href="{file_url}"/></svg>
    </body></html>"""
    data, logs = _render_logged(html_to_pdf, html)
    assert_pdf_embeds_nothing(data, canary)
    assert canary.hits == []
    refused = [line for line in logs if line.startswith("tiptoolkit.pdf: refused to fetch")]
    assert any(file_url in line for line in refused), logs
    assert any(canary.url in line for line in refused), logs
    assert any("/etc/passwd" in line for line in refused), logs


# ---------------------------------------------------------------- content that must be refused, by the CLI


def _bomb() -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


GLOSSARY = "glossary.yaml"
# (case, file text after the schema line and `id: glossary`, expected message, expected line)
REFUSED = [
    ("ten-megabyte-string", "note: " + "x" * 10_000_000 + "\n", "the limit is", 1),
    ("nesting-10000-deep", "deep: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested more than", 3),
    (
        "nesting-10000-deep-block",
        "".join(f"{'  ' * i}k{i}:\n" for i in range(60)) + "  " * 60 + "x: 1\n",
        "nested more than",
        None,
    ),
    ("alias-bomb", _bomb(), "too many values", None),
    ("python-object", "x: !!python/object/apply:os.system ['touch {pwned}']\n", "is not allowed", 3),
    ("python-object-new", "x: !!python/object/new:builtins.dict {{}}\n", "is not allowed", 3),
    ("python-name", "x: !!python/name:os.system\n", "is not allowed", 3),
    ("duplicate-key", "sources: []\nsources: []\n", "duplicate key 'sources' (first given on line 3)", 4),
    ("tab-indentation", "terms:\n\t- id: x\n", "tabs are not allowed", 4),
]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "TIPTOOLKIT_TODAY": TODAY, "PYTHONHASHSEED": "0"}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


@pytest.mark.parametrize(("case", "body", "message", "line"), REFUSED, ids=[case[0] for case in REFUSED])
def test_hostile_yaml_is_a_clean_positioned_error(minimal, tmp_path, case, body, message, line):
    pwned = tmp_path / "pwned"
    head = "# yaml-language-server: $schema=./schemas/glossary.schema.json\nid: glossary\n"
    (minimal / GLOSSARY).write_text(head + body.replace("{pwned}", str(pwned)), encoding="utf-8")
    result = run_cli("--root", str(minimal), "validate")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    found = re.search(rf"^{minimal.name}/{re.escape(GLOSSARY)}:(\d+):(\d+): (.*)$", result.stdout, re.M)
    assert found, result.stdout
    assert message in found.group(3), found.group(0)
    if line is not None:
        assert int(found.group(1)) == line, found.group(0)
    assert not pwned.exists()
    assert len(result.stdout) < 5_000  # the 10 MB value is not echoed back


def test_invalid_utf8_is_a_clean_positioned_error(minimal):
    path = minimal / GLOSSARY
    path.write_bytes(path.read_bytes().replace(b"\nid: glossary\n", b"\nid: glossary\nnote: caf\xe9 \xff\xfe\n", 1))
    result = run_cli("--root", str(minimal), "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"^{minimal.name}/glossary.yaml:3:10: not valid UTF-8", result.stdout, re.M), result.stdout


def test_build_refuses_hostile_yaml_cleanly_and_keeps_the_site(minimal, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")
    (minimal / GLOSSARY).write_text(
        "# yaml-language-server: $schema=./schemas/glossary.schema.json\nid: glossary\n"
        "x: !!python/object/apply:os.getcwd []\n",
        encoding="utf-8",
    )
    result = run_cli("--root", str(minimal), "build", "--no-pdf", "--site-dir", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{minimal.name}/glossary.yaml:3:" in result.stderr
    assert (site / "index.html").read_text() == "previous"


@pytest.mark.parametrize("where", ["start", "value"])
def test_byte_order_mark_and_tabs_in_values_are_harmless(minimal, where):
    path = minimal / "countries/npl.yaml"
    data = path.read_bytes()
    if where == "start":
        data = "\ufeff".encode() + data
    data = data.replace(b"summary: A test profile.", 'summary: "A\ttabbed \ufeff profile."'.encode())
    path.write_bytes(data)
    result = run_cli("--root", str(minimal), "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    dataset, problems = validate(minimal)
    assert not problems and dataset.countries["npl"].summary == "A\ttabbed \ufeff profile."


def test_the_minimal_fixture_is_what_the_cli_tests_start_from():
    assert (
        (FIXTURES / "minimal" / GLOSSARY)
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=./schemas/glossary.schema.json\nid: glossary\n")
    )


@pytest.mark.parametrize("separator", ["(a+)+$", "[z-a]+", "["])
def test_a_hostile_search_separator_is_a_clean_positioned_error(minimal, separator):
    """The Urdu search separator runs as a regular expression in every reader's browser and in the build:
    only a valid character class is accepted, never a pattern that can backtrack for ever."""
    source = DEFAULT_ROOT / "i18n"
    if not (source / "ur.yaml").exists():
        pytest.skip("no Urdu interface strings")
    shutil.rmtree(minimal / "i18n", ignore_errors=True)
    shutil.copytree(source, minimal / "i18n")
    path = minimal / "i18n/ur.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("search_separator:"))
    lines[number - 1] = f"search_separator: {json.dumps(separator)}\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = run_cli("--root", str(minimal), "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    where = rf"^{minimal.name}/i18n/ur.yaml:{number}:\d+: search_separator: "
    assert re.search(where, result.stdout, re.M), result.stdout


@pytest.mark.browser
def test_hostile_pages_run_nothing_in_a_browser(hostile_site, canary):
    """The hostile site in Chromium: no alert, no console error, no request to the canary server, and search
    (which shows the index's titles and text as HTML) shows the hostile text without running it."""
    from playwright.sync_api import sync_playwright

    from .hardening_helpers import launch_chromium
    from .site_fixtures import serve

    paths = ["countries/npl/", "victim-protection/", "glossary/", "countries/"]
    paths += ["ur/", "ur/countries/pak/"] if (hostile_site / "ur/index.html").exists() else []
    with sync_playwright() as playwright, serve(hostile_site) as url:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.add_init_script(
                "window.__ran = []; for (const name of ['alert', 'confirm', 'prompt']) "
                "window[name] = (...args) => window.__ran.push(name + ' ' + args.join(' '))"
            )
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("dialog", lambda dialog: (errors.append("dialog " + dialog.message), dialog.dismiss()))
            for path in paths:
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
                assert page.evaluate("window.__ran") == [], path
            page.goto(url)
            page.locator("input[data-md-component=search-query]").click()
            page.keyboard.type("HX-SUMMARY", delay=20)
            page.wait_for_selector(".md-search-result__item", timeout=30_000)
            page.wait_for_timeout(500)
            assert page.evaluate("window.__ran") == []
            assert "{{ config }}" in page.inner_text(".md-search-result")
            assert errors == [] and canary.hits == []
        finally:
            browser.close()


# ---------------------------------------------------------------- the working files


def test_hostile_text_is_only_text_in_the_word_and_spreadsheet_files(hostile_dataset, hostile_site):
    """The hostile provision is one of NPL's gaps, so its title, text and commentary are in NPL's bill; the
    hostile country name is in the bill's title and the matrix. Each file opens, holds the payloads as text, and
    points at nothing outside itself."""
    import docx
    import openpyxl

    drafts = hostile_site / "drafts"
    bill = docx.Document(drafts / "npl-amendment-bill-en.docx")
    text = "\n".join(p.text for p in bill.paragraphs) + "\n".join(c.text for c in bill.comments)
    for marker in ("HX-NAME", "HX-PTITLE", "HX-PTEXT", "HX-PCOMMENT"):
        assert marker in text, marker
    assert "<script>alert('HX')</script>" in text and "{{ config }}" in text
    matrix = openpyxl.load_workbook(drafts / "npl-action-plan-en.xlsx")
    assert any("HX-NAME" in str(cell.value) for row in matrix["Overview"].iter_rows() for cell in row)
    assert not [
        cell
        for sheet in matrix
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" and "HX" in str(cell.value)
    ]
    for path in drafts.glob("*.*x"):
        with zipfile.ZipFile(path) as package:
            relationships = "".join(
                package.read(name).decode() for name in package.namelist() if name.endswith(".rels")
            )
        assert 'TargetMode="External"' not in relationships, path.name


def test_characters_xml_cannot_hold_are_dropped_not_fatal(hostile_dataset):
    import dataclasses

    import docx
    import openpyxl

    from tiptoolkit.office.bill import bill_docx
    from tiptoolkit.office.matrix import matrix_xlsx
    from tiptoolkit.views.drafts import bill_view, plan_matrix

    view = bill_view(hostile_dataset, "npl")
    bell = dataclasses.replace(view, title="Bell\x07 and null\x00 " + "long " * 80)
    document = docx.Document(io.BytesIO(bill_docx(bell)))
    assert document.paragraphs[0].text.startswith("Bell and null long")
    assert len(document.core_properties.title) <= 255
    matrix = plan_matrix(hostile_dataset, "npl")
    workbook = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(dataclasses.replace(matrix, title="Bell\x07"))))
    assert workbook["Overview"]["A1"].value == "Bell"
