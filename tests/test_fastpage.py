"""Generated pages skip Markdown's block parser (site/fastpage.py): they must come out exactly as Markdown renders
them, in every language, or be left to Markdown."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from tiptoolkit.dataset import Dataset
from tiptoolkit.site import fastpage
from tiptoolkit.site.pages import Linker, SiteBuilder

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def markdown_config() -> tuple[list, dict]:
    from mkdocs.config import load_config

    config = load_config(str(PROJECT / "mkdocs.yml"))
    return config["markdown_extensions"], config["mdx_configs"] or {}


def reference(text: str, extensions: list, configs: dict) -> markdown.Markdown:
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    md.html = md.convert(text)
    return md


@pytest.mark.parametrize("lang", ["en", "ne", "bn", "ur"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_generated_page_renders_as_markdown_would(
    dataset: Dataset, markdown_config, lang: str, directory_urls: bool
) -> None:
    extensions, configs = markdown_config
    pages = SiteBuilder(dataset, Linker(directory_urls), {}, lang=lang).build()
    assert len(pages) > 60
    for page in pages:
        assert "&amp;#10;" not in page.markdown, page.path  # content's line breaks are entities, escaped once
        fast = fastpage.render(page.markdown, extensions, configs)
        assert fast is not None, f"{page.path} is not headings and HTML blocks: the fast path does not apply"
        md = reference(page.markdown, extensions, configs)
        assert fast.html == md.html, page.path
        assert fast.toc_tokens == md.toc_tokens, page.path
        assert fast.starts_with_h1 and page.markdown.startswith("# ")
        assert {f"{a}" for a in fast.anchor_ids} >= {t["id"] for t in md.toc_tokens}, page.path


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n\nA paragraph in Markdown.\n",
        "# Title\n\n- a list\n- in Markdown\n",
        "# Title\n\n<a href='x'>an inline tag starts this block</a>\n",
        "# Title\n\n    indented code\n",
    ],
)
def test_anything_else_is_left_to_markdown(markdown_config, text: str) -> None:
    assert fastpage.render(text, *markdown_config) is None


def test_headings_and_blocks_join_as_markdown_joins_them(markdown_config) -> None:
    text = (
        '# Nepal &amp; <span lang="en">x</span>\n\n<div class="a">\n<p>one</p>\n</div>\n'
        "## Second {: #second }\n<ul><li>two</li></ul>\n\n<div>three</div>\n### Third\n"
    )
    fast = fastpage.render(text, *markdown_config)
    md = reference(text, *markdown_config)
    assert fast is not None and fast.html == md.html and fast.toc_tokens == md.toc_tokens
    assert {"second", "third"} <= fast.anchor_ids


def test_the_built_site_uses_it(site: Path) -> None:
    """Titles, permalinks and the table of contents of a generated page in the real build."""
    html = (site / "countries" / "npl" / "index.html").read_text(encoding="utf-8")
    assert "<title>Nepal - " in html
    assert '<h2 id="position">' in html and 'class="headerlink" href="#position"' in html
    assert 'href="#position" class="md-nav__link"' in html  # the page's table of contents


def test_content_cannot_start_a_line_of_the_page(dataset: Dataset, markdown_config) -> None:
    """A summary whose second line looks like a heading stays inside its paragraph, as Markdown keeps it."""
    country = dataset.countries["npl"].model_copy(update={"summary": "First line\n\\# Injected heading {: #x }"})
    changed = dataset.countries | {"npl": country}
    original = dataset.countries
    try:
        dataset.countries = changed
        page = next(p for p in SiteBuilder(dataset, Linker(), {}).build() if p.path == "countries/npl.md")
    finally:
        dataset.countries = original
    assert "Injected heading" in page.markdown
    assert not any(line.startswith("# Injected") for line in page.markdown.split("\n"))
    fast = fastpage.render(page.markdown, *markdown_config)
    md = reference(page.markdown, *markdown_config)
    assert fast is not None and fast.html == md.html and fast.toc_tokens == md.toc_tokens
    assert "x" not in fast.anchor_ids
