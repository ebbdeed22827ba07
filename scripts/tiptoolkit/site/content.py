"""The site as any engine needs it: the generated pages, the hand-written ones beside them, the navigation and
what hand-written pages may use (`toolkit.*`). No engine is imported here: the MkDocs plugin (site/plugin.py)
and the Zensical export (site/zensical.py) are adapters over it."""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import analysis
from ..dataset import Dataset
from ..i18n import ENGLISH
from .pages import Linker, Page, PdfInfo, SiteBuilder, navigation

# Material's and Zensical's offline plugins load a Web Worker shim (for search from file://) from a CDN unless one
# is listed already: the copy bundled in overrides/ (iframe-worker, MIT, from npm), so that the offline copy asks
# nothing of the network.
WORKER_SHIM = "assets/javascripts/iframe-worker-shim.js"
# The head's links to the other editions (Material's and Zensical's base.html): the theme fetches each one's
# sitemap.xml for them, which a browser refuses from file://, so the offline copy's pages go without.
ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')


class ContentClash(ValueError):
    """A hand-written page in docs/ has the path of a generated one."""


@dataclass
class SiteContent:
    builder: SiteBuilder
    generated: dict[str, Page]  # by source path, e.g. countries/npl.md
    handwritten: list[str]  # docs/ pages in this edition, e.g. about.md
    nav: list[Any]

    @functools.cached_property
    def abbreviations(self) -> dict[str, str]:
        """Each glossary abbreviation and what it stands for, expanded on hover (site/abbreviations.py)."""
        glossary = self.builder.ds.glossary
        return {t.abbreviation: t.term for t in glossary.terms if t.abbreviation} if glossary else {}

    def page_settings(self, path: str) -> dict[str, str]:
        """What the theme's templates read from the settings of the page at `path` (overrides/): the label of the
        review date and the date, the note on a translated edition's page shown in English (main.html), and a
        generated page's description, unescaped."""
        generated = self.generated.get(path)
        settings = {"last_reviewed_label": self.builder.l10n.ts("page.last_reviewed")}
        if self.builder.lang != ENGLISH and (generated is None or generated.english_only):
            settings["tk_fallback"] = self.builder.l10n.ts("fallback.page")
        if generated is not None and generated.last_reviewed:
            settings["last_reviewed"] = analysis.format_date(generated.last_reviewed)
            settings["last_reviewed_iso"] = generated.last_reviewed.isoformat()  # the <time> element's datetime
        if generated is not None and generated.description:
            settings["description"] = generated.description[:300]
        return settings

    @property
    def macros(self) -> MacroData:
        return MacroData(self.builder.ds, self.builder)


@dataclass
class Edition:
    """What one language edition changes in the engine's settings. Each language is a separate build of the same
    configuration: English at the site root, the others in `<site>/<lang>/`."""

    lang: str
    direction: str = "ltr"
    site_name: str | None = None  # the edition's title, unescaped; None keeps the configuration's
    search_separator: str | None = None
    alternate: list[dict[str, str]] | None = None  # the language selector: name, lang and the edition's root


def edition(dataset: Dataset, lang: str) -> Edition:
    """The settings of the `lang` edition. The other editions' roots are relative to this one's."""
    languages = dataset.languages
    alternate = None
    if len(languages) > 1:
        home = "" if lang == ENGLISH else "../"
        alternate = [
            {
                "name": language.name,
                "lang": code,
                "link": "./" if code == lang else (home if code == ENGLISH else f"{home}{code}/"),
            }
            for code, language in sorted(languages.items(), key=lambda item: (item[0] != ENGLISH, item[0]))
        ]
    if lang == ENGLISH:
        return Edition(lang, alternate=alternate)
    language = languages[lang]
    site_name = language.strings.get("home.title")
    return Edition(
        lang,
        direction=language.direction,
        site_name=site_name.text if site_name else None,
        search_separator=language.search_separator,
        alternate=alternate,
    )


def data_prefix(root: Path, config_dir: Path) -> str:
    """The content folder's place in the repository, for "edit this page" links to its files. A content folder
    outside the project (a copy being tried out) is taken to stand for the repository's folder of the same name."""
    relative = os.path.relpath(root, config_dir)
    return (root.name if relative.startswith("..") else relative).replace(os.sep, "/")


def handwritten_pages(docs: Path, lang: str) -> list[str]:
    """The Markdown pages of `docs`, as source paths; a translated edition has a generated home page instead."""
    pages = sorted(str(p.relative_to(docs)).replace(os.sep, "/") for p in docs.rglob("*.md"))
    return [page for page in pages if not (lang != ENGLISH and page == "index.md")]


def site_content(
    dataset: Dataset,
    docs: Path,
    *,
    lang: str = ENGLISH,
    directory_urls: bool = True,
    links_from_source: bool = False,
    pdfs: dict[str, PdfInfo] | None = None,
    drafts: dict[str, PdfInfo] | None = None,
    data_prefix: str = "toolkit_data",
    stale_after_days: int = analysis.STALE_AFTER_DAYS,
) -> SiteContent:
    """Every page of one edition of the site, and its navigation; `links_from_source` as in `Linker`. Raises
    ContentClash when a page in `docs` would hide a generated one."""
    builder = SiteBuilder(
        dataset,
        Linker(directory_urls, from_source=links_from_source),
        pdfs or {},
        drafts=drafts or {},
        data_prefix=data_prefix,
        stale_after_days=stale_after_days,
        lang=lang,
    )
    generated = {page.path: page for page in builder.build()}
    handwritten = handwritten_pages(docs, lang)
    clash = sorted(set(handwritten) & set(generated))
    if clash:
        raise ContentClash(
            f"these docs/ pages are generated from the data and must not exist by hand: {', '.join(clash)}"
        )
    nav = navigation(list(generated.values()), handwritten, t=builder.l10n.ts)
    return SiteContent(builder, generated, handwritten, nav)


def listed_files(manifest: Path | None, lang: str) -> dict[str, PdfInfo]:
    """Files to link: those listed in a manifest the full build writes (PDFs, working files), else none.

    A translated edition lives in <site>/<lang>/; the files stay at the site root."""
    if manifest is None or not manifest.exists():
        return {}
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    up = "../" if lang != ENGLISH else ""
    return {key: PdfInfo(**{**value, "path": up + value["path"]}) for key, value in entries.items()}


class MacroData:
    """What hand-written pages may use through mkdocs-macros: `{{ toolkit.ratification_matrix() }}` and counts."""

    def __init__(self, dataset: Dataset, builder: SiteBuilder):
        self._dataset = dataset
        self._builder = builder

    @property
    def countries(self) -> list[dict[str, str]]:
        return [{"id": c.id, "name": c.name} for c in analysis.countries_in_order(self._dataset)]

    @property
    def counts(self) -> dict[str, int]:
        ds = self._dataset
        return {
            "countries": len(ds.countries),
            "regions": len(analysis.regions(ds)),
            "instruments": len(ds.instruments),
            "articles": len(ds.articles),
            "provisions": len(ds.provisions),
            "standards": len(ds.standards),
            "activities": len(ds.activities),
        }

    def country_list(self, page_src: str = "index.md") -> str:
        """Every country, by name, linked from `page_src`: for the top of the home page."""
        return self._builder.render_fragment("_country_list.j2", page_src)

    def region_list(self, page_src: str = "index.md") -> str:
        """Every region, by name, linked from `page_src`, with its number of countries and its own treaties."""
        return self._builder.render_fragment("_region_list.j2", page_src, regions=analysis.regions(self._dataset))

    def ratification_matrix(self, page_src: str = "index.md") -> str:
        """Each region's ratification matrix as HTML, under the region's name, links relative to `page_src`."""
        regions = analysis.regions(self._dataset)
        return self._builder.render_fragment("_region_matrices.j2", page_src, regions=regions, level=3)
