"""The MkDocs plugin: loads and validates the data once per build, generates the pages in memory,
serves the data to mkdocs-macros for hand-written pages, and writes the open data files."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from .. import analysis
from ..dataset import DEFAULT_ROOT, Dataset
from ..problems import format_problems
from . import fastpage, opendata
from .abbreviations import expand_abbreviations
from .pages import Linker, Page, PdfInfo, SiteBuilder, bytecode_cache, in_navigation, navigation
from .searchindex import add_joined_compounds

log = logging.getLogger("mkdocs.plugins.tiptoolkit")

PDF_MANIFEST_ENV = "TIPTOOLKIT_PDF_MANIFEST"
DRAFTS_MANIFEST_ENV = "TIPTOOLKIT_DRAFTS_MANIFEST"  # the working files (Word, spreadsheets), set by `tiptoolkit build`
DATA_DIR_ENV = "TIPTOOLKIT_DATA_DIR"  # set by `tiptoolkit build --root`
OFFLINE_ENV = "TIPTOOLKIT_OFFLINE"  # set by `tiptoolkit build` for the offline copy
ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')  # Material's base.html
WORKER_SHIM = "assets/javascripts/iframe-worker-shim.js"  # overrides/: iframe-worker, MIT, from npm
LANG_ENV = "TIPTOOLKIT_LANG"  # the edition to build: `en` (default, the site root) or a code in toolkit_data/i18n


class ToolkitConfig(Config):
    data_dir = c.Type(str, default=str(DEFAULT_ROOT))
    """Folder holding the YAML content, relative to mkdocs.yml."""
    pdf_manifest = c.Optional(c.Type(str))
    """JSON file describing the rendered PDFs (path, bytes, pages); set by `tiptoolkit build`."""
    stale_after_days = c.Type(int, default=365)
    """Mark a country's facts "not reviewed since <date>" when their `last_reviewed` is older; 0 turns it off."""


def not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation and links stale (and strict mode stops on it): ours
    builds every page again when the navigation changes (`ToolkitPlugin._mark_unchanged`)."""
    return "'dirty' build" not in record.getMessage()


class PreviewFile(File):
    """A generated page in the live preview's quick rebuilds (`mkdocs serve --dirty`): rebuilt only when it
    changed, where MkDocs would rebuild every generated page."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


class ToolkitPlugin(BasePlugin[ToolkitConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.dataset: Dataset | None = None
        self.generated: dict[str, Page] = {}
        self.root: Path | None = None
        self.command = "build"
        self.dirty = False
        self.built: dict[str, str] = {}  # quick rebuilds: each generated page as last built, with the navigation
        self.building: dict[str, str] = {}
        self.lang = "en"
        self.fallback_note = ""
        self.countries_section: Any = None
        self.offline = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook keeps one plugin instance across the live preview's rebuilds.
        self.command = command  # `serve`: content problems end the rebuild with a message, not a traceback
        self.dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(not_the_dirty_build_warning)

    # ------------------------------------------------------------ configuration

    def on_config(self, config: Any) -> Any:
        config_dir = Path(config.config_file_path).parent
        self.root = (config_dir / os.environ.get(DATA_DIR_ENV, self.config.data_dir)).resolve()
        from ..build import validated  # validated once per build, not once per MkDocs run

        dataset, problems = validated(self.root)
        if problems:
            prefix = f"{os.path.relpath(self.root, config_dir)}/"
            error = Abort if self.command == "serve" else PluginError
            raise error(
                f"the content has {len(problems)} problem(s):\n"
                + format_problems(problems, prefix=prefix)
                + (
                    "\nFix them and save: the preview keeps the last valid version until then."
                    if error is Abort
                    else ""
                )
            )
        self.dataset = dataset
        relative = os.path.relpath(self.root, config_dir)
        # "Edit this page" links name the data file's place in the repository. A content folder outside the
        # project (a copy being tried out) is taken to stand for the repository's folder of the same name.
        self.data_prefix = (self.root.name if relative.startswith("..") else relative).replace(os.sep, "/")
        self.offline = os.environ.get(OFFLINE_ENV) == "true"
        if self.offline:
            # Material's offline plugin loads its Web Worker shim (for search from file://) from a CDN unless one
            # is listed already: the copy bundled in overrides/, so that the offline copy asks nothing of the network.
            config.extra["polyfills"] = [*config.extra.get("polyfills", []), WORKER_SHIM]
        self.lang = os.environ.get(LANG_ENV) or "en"
        if self.lang != "en" and self.lang not in dataset.languages:
            raise PluginError(
                f"{LANG_ENV}={self.lang}: no such interface language; add {self.data_prefix}/i18n/{self.lang}.yaml"
            )
        self._configure_language(config, dataset)
        linker = Linker(config.use_directory_urls)
        pdfs = self._listed(config_dir, self.config.pdf_manifest or os.environ.get(PDF_MANIFEST_ENV))
        drafts = self._listed(config_dir, os.environ.get(DRAFTS_MANIFEST_ENV))
        builder = SiteBuilder(
            dataset,
            linker,
            pdfs,
            drafts=drafts,
            data_prefix=self.data_prefix,
            stale_after_days=self.config.stale_after_days,
            lang=self.lang,
        )
        self.generated = {page.path: page for page in builder.build()}
        self.fallback_note = builder.l10n.ts("fallback.page") if self.lang != "en" else ""
        self.reviewed_label = builder.l10n.ts("page.last_reviewed")  # overrides/partials/source-file.html
        docs = Path(config.docs_dir)
        handwritten = sorted(str(p.relative_to(docs)).replace(os.sep, "/") for p in docs.rglob("*.md"))
        if self.lang != "en":
            handwritten.remove("index.md")  # a translated edition has a generated home page
        clash = sorted(set(handwritten) & set(self.generated))
        if clash:
            raise PluginError(
                f"these docs/ pages are generated from the data and must not exist by hand: {', '.join(clash)}"
            )
        if not config.nav:
            config.nav = navigation(list(self.generated.values()), handwritten, t=builder.l10n.ts)
        macros = config.plugins.get("macros")
        if macros is not None:
            macros.register_variables({"toolkit": MacroData(dataset, builder)})
        config.watch.append(str(self.root))
        return config

    def _configure_language(self, config: Any, dataset: Dataset) -> None:
        """Theme language and direction, search settings and the language switcher of this edition.

        Each language is a separate MkDocs build of the same mkdocs.yml: English at the site root, the others
        in `<site>/<lang>/`. Material's search has no stemmer for Nepali, Bengali or Urdu: it indexes whole words,
        split on spaces and the language's punctuation (the danda, the Urdu full stop...), without the trimmer
        that would strip letters outside A-Z."""
        languages = dataset.languages
        if self.lang != "en":
            language = languages[self.lang]
            config.theme["language"] = self.lang  # Nepali: overrides/partials/languages/ne.html
            config.theme["direction"] = language.direction
            site_name = language.strings.get("home.title")
            if site_name:
                # Material prints the site name (and the language names below) as HTML, unescaped.
                config.site_name = escape(site_name.text)
            if config.site_url:
                config.site_url = config.site_url.rstrip("/") + f"/{self.lang}/"
            search = config.plugins.get("material/search") or config.plugins.get("search")
            if search is not None:
                search.config["lang"] = ["en"]
                search.config["pipeline"] = ["stopWordFilter"]
                if language.search_separator:
                    search.config["separator"] = language.search_separator
        if len(languages) > 1:
            home = "" if self.lang == "en" else "../"
            config.extra["alternate"] = [
                {
                    "name": escape(language.name),
                    "lang": code,
                    "link": "./" if code == self.lang else (home if code == "en" else f"{home}{code}/"),
                }
                for code, language in sorted(languages.items(), key=lambda item: (item[0] != "en", item[0]))
            ]

    def _listed(self, config_dir: Path, manifest: str | None) -> dict[str, PdfInfo]:
        """Files to link: those listed in a manifest the full build writes (PDFs, working files), else none.

        A translated edition lives in <site>/<lang>/; the files stay at the site root."""
        if not manifest or not (config_dir / manifest).exists():
            return {}
        entries = json.loads((config_dir / manifest).read_text(encoding="utf-8"))
        up = "../" if self.lang != "en" else ""
        return {key: PdfInfo(**{**value, "path": up + value["path"]}) for key, value in entries.items()}

    # ------------------------------------------------------------ pages

    def on_files(self, files: Files, config: Any) -> Files:
        if self.lang != "en" and (home := files.get_file_from_path("index.md")) is not None:
            files.remove(home)
        for page in self.generated.values():
            listed = InclusionLevel.INCLUDED if in_navigation(page.path) else InclusionLevel.NOT_IN_NAV
            file = (PreviewFile if self.dirty else File).generated(
                config, page.path, content=page.markdown, inclusion=listed
            )
            if page.edit_path:
                file.edit_uri = f"../{page.edit_path}" if config.edit_uri else None
            else:
                file.edit_uri = None
            files.append(file)
        if self.dirty:
            self._mark_unchanged(files, config)
        return files

    def _mark_unchanged(self, files: Files, config: Any) -> None:
        """In a quick rebuild, a generated page keeps its last output when it, and the navigation every page
        shows, are as they were then; hand-written pages are built again (their macros show the data)."""
        nav = repr(config.nav)
        self.building = {path: f"{nav}\n{page!r}" for path, page in self.generated.items()}
        for file in files.documentation_pages():
            if isinstance(file, PreviewFile):
                file.modified = self.built.get(file.src_uri) != self.building[file.src_uri]
            else:
                Path(file.abs_dest_path).unlink(missing_ok=True)  # MkDocs rebuilds a page whose output is gone

    def on_post_page(self, output: str, page: MkPage, config: Any) -> str:
        """The offline copy's pages without the head's links to the other editions: Material fetches each one's
        sitemap.xml for them, which a browser refuses from file:// (an error in the console on every page). Its
        language selector links each page to the same page in the other editions (partials/alternate.html)."""
        return ALTERNATE_LINK.sub("", output) if self.offline else output

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """The theme's templates compiled once and kept, as ours are: MkDocs makes a new Jinja environment for
        each build, and compiling Material's templates again cost a third of a second on every save in the
        live preview."""
        env.bytecode_cache = bytecode_cache()
        return env

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        """Country pages are not listed in the navigation (see `pages.in_navigation`) but belong to the Countries
        section: the section of the countries index, which each country page takes as its parent."""
        index = files.get_file_from_path("countries/index.md")
        self.countries_section = index.page.parent if index is not None and index.page is not None else None
        return nav

    def on_page_markdown(self, markdown: str, page: MkPage, config: Any, files: Files) -> str:
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and not in_navigation(generated.path) and page.parent is None:
            # Its tab is shown active, its path (Countries) above the title, and the section's index beside it.
            page.parent = self.countries_section
        page.meta["last_reviewed_label"] = self.reviewed_label
        if self.lang != "en" and (generated is None or generated.english_only):
            page.meta["tk_fallback"] = self.fallback_note  # overrides/main.html: a note, and the content as lang="en"
        if generated is not None:
            # Generated pages never go through mkdocs-macros, whatever the page holds.
            page.meta["render_macros"] = False
            page.render = functools.partial(_render_generated, page, page.render)  # see site/fastpage.py
            if generated.last_reviewed:
                page.meta["last_reviewed"] = analysis.format_date(generated.last_reviewed)
                page.meta["last_reviewed_iso"] = generated.last_reviewed.isoformat()  # the <time> element's datetime
            if generated.description:
                # Material prints `page.meta.description` into an attribute without escaping it.
                page.meta["description"] = str(escape(generated.description[:300]))
        return markdown

    def on_page_content(self, html: str, page: MkPage, config: Any, files: Files) -> str:
        return expand_abbreviations(html, self._abbreviations())

    def _abbreviations(self) -> dict[str, str]:
        glossary = self.dataset.glossary if self.dataset else None
        return {t.abbreviation: t.term for t in glossary.terms if t.abbreviation} if glossary else {}

    # ------------------------------------------------------------ open data

    @event_priority(-50)  # after the search plugin writes its index, before the offline plugin copies it
    def on_post_build(self, config: Any) -> None:
        add_joined_compounds(Path(config.site_dir) / "search" / "search_index.json")
        opendata.write(self.dataset, Path(config.site_dir))
        self.built = self.building  # only a build that finished counts as built


def _render_generated(page: MkPage, markdown_render: Any, config: Any, files: Files) -> None:
    """`Page.render` for a generated page: its headings through Markdown, its HTML blocks as they are."""
    from mkdocs.structure.pages import _ExtractTitleTreeprocessor
    from mkdocs.structure.toc import get_toc

    title = _ExtractTitleTreeprocessor()
    rendered = fastpage.render(
        page.markdown, config["markdown_extensions"], config["mdx_configs"] or {}, prepare=title._register
    )
    if rendered is None:  # not a generated page's shape (headings and HTML blocks): Markdown renders it
        return markdown_render(config, files)
    page.content = rendered.html
    page.toc = get_toc(rendered.toc_tokens)
    page._title_from_render = title.title if rendered.starts_with_h1 else None
    page.present_anchor_ids = rendered.anchor_ids
    page.links_to_anchors = {}  # links in raw HTML are not MkDocs' to check: `tiptoolkit linkcheck` checks them
    return None


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
            "instruments": len(ds.instruments),
            "articles": len(ds.articles),
            "provisions": len(ds.provisions),
            "standards": len(ds.standards),
            "activities": len(ds.activities),
        }

    def country_list(self, page_src: str = "index.md") -> str:
        """Every country, by name, linked from `page_src`: for the top of the home page."""
        return self._builder._render("_country_list.j2", page_src)

    def ratification_matrix(self, page_src: str = "index.md") -> str:
        """The regional ratification matrix as HTML, links relative to `page_src`."""
        ds = self._dataset
        return self._builder._render(
            "_matrix.j2",
            page_src,
            matrix=analysis.ratification_matrix(ds),
            instruments=analysis.instruments_in_order(ds),
        )
