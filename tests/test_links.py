"""Links of the built site, checked offline by `tiptoolkit.linkcheck`: every internal href/src and #anchor resolves,
every PDF's internal links and outline entries reach a destination; external links are listed, never fetched."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tiptoolkit.dataset import DEFAULT_ROOT
from tiptoolkit.linkcheck import check_site, site_base_path

pytestmark = pytest.mark.slow
MKDOCS_YML = DEFAULT_ROOT.parent / "mkdocs.yml"


def test_every_internal_link_and_anchor_of_the_site_resolves(site, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the link checker tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    report = check_site(site, site_base_path(MKDOCS_YML))
    assert report.broken == [], "\n".join(map(str, report.broken[:50]))
    assert report.pages > 50 and report.links > 1000
    assert any(url.startswith("https://treaties.un.org/") for url in report.external)
    if (site / "toolkits").exists():
        assert report.pdfs >= 1 and report.pdf_links > 0


def test_cli_writes_the_report(site, tmp_path):
    target = tmp_path / "external-links.json"
    result = subprocess.run(
        [sys.executable, "-m", "tiptoolkit.cli", "linkcheck", "--site-dir", str(site), "--report", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stderr and "external addresses (not fetched)" in result.stderr
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["broken"] == [] and report["external"]
    assert all(pages for pages in report["external"].values())


def _pdf(path: Path, dests: dict[str, int], links: list[object]) -> None:
    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page()
    names = pikepdf.NameTree.new(pdf)
    for name, page in dests.items():
        names[name] = pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, 0, 0, 0])
    pdf.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    annotations = []
    for link in links:
        annotation = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10])
        if isinstance(link, str) and link.startswith("#"):
            annotation.Dest = pikepdf.String(link[1:])
        elif isinstance(link, str):
            annotation.A = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(link))
        else:
            annotation.A = link
        annotations.append(pdf.make_indirect(annotation))
    pdf.pages[0].obj.Annots = pikepdf.Array(annotations)
    pdf.save(path)


def test_the_checker_finds_what_is_broken(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="#top" id="top">ok</a><img src="missing.png">'
        '<a href="a/#nowhere">x</a><a href="../outside.html">x</a><a href="javascript:alert(1)">x</a>'
        '<a href="https://example.org/x">ext</a><a href="/toolkit/a/">root</a><a href="/elsewhere/">x</a>',
        encoding="utf-8",
    )
    (site / "a" / "index.html").write_text('<h2 id="here">h</h2><a href="../index.html#top">up</a>', encoding="utf-8")
    (site / "toolkits").mkdir()
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/etc/passwd"))
    _pdf(
        site / "toolkits" / "t.pdf",
        {"ok": 1},
        ["#ok", "#gone", "https://example.org/pdf", "file:///etc/passwd", launch],
    )
    report = check_site(site, "/toolkit/")
    broken = {(item.page, item.link) for item in report.broken}
    assert broken == {
        ("index.html", "missing.png"),
        ("index.html", "a/#nowhere"),
        ("index.html", "../outside.html"),
        ("index.html", "javascript:alert(1)"),
        ("index.html", "/elsewhere/"),
        ("toolkits/t.pdf", "#gone"),
        ("toolkits/t.pdf", "file:///etc/passwd"),
        ("toolkits/t.pdf", "/Launch"),
    }, report.broken
    assert set(report.external) == {"https://example.org/x", "https://example.org/pdf"}
