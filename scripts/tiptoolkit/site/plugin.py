"""The MkDocs plugin: loads and validates the data once per build, generates the pages in memory,
serves the data to mkdocs-macros for hand-written pages, and writes the open data files."""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from ..dataset import DEFAULT_ROOT, Dataset
from ..problems import format_problems
from . import fastpage, opendata
from .abbreviations import expand_abbreviations
from .content import (
    ALTERNATE_LINK,
    WORKER_SHIM,
    ContentClash,
    SiteContent,
    data_prefix,
    edition,
    listed_files,
    site_content,
)
from .pages import Page, PdfInfo, bytecode_cache, in_navigation
from .searchindex import add_joined_compounds

log = logging.getLogger("mkdocs.plugins.tiptoolkit")

PDF_MANIFEST_ENV = "TIPTOOLKIT_PDF_MANIFEST"
DRAFTS_MANIFEST_ENV = "TIPTOOLKIT_DRAFTS_MANIFEST"  # the working files (Word, spreadsheets), set by `tiptoolkit build`
DATA_DIR_ENV = "TIPTOOLKIT_DATA_DIR"  # set by `tiptoolkit build --root`
OFFLINE_ENV = "TIPTOOLKIT_OFFLINE"  # set by `tiptoolkit build` for the offline copy
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
        self.root: Path | None = None
        self.command = "build"
        self.dirty = False
        self.built: dict[str, str] = {}  # quick rebuilds: each generated page as last built, with the navigation
        self.building: dict[str, str] = {}
        self.lang = "en"
        self.content: SiteContent | None = None
        self.countries_section: Any = None
        self.offline = False

    @property
    def generated(self) -> dict[str, Page]:
        """The generated pages of this build, by source path (none before the configuration is read)."""
        return self.content.generated if self.content else {}

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
        self.data_prefix = data_prefix(self.root, config_dir)
        self.offline = os.environ.get(OFFLINE_ENV) == "true"
        if self.offline:
            # The bundled Web Worker shim, not a CDN's (see content.WORKER_SHIM).
            config.extra["polyfills"] = [*config.extra.get("polyfills", []), WORKER_SHIM]
        self.lang = os.environ.get(LANG_ENV) or "en"
        if self.lang != "en" and self.lang not in dataset.languages:
            raise PluginError(
                f"{LANG_ENV}={self.lang}: no such interface language; add {self.data_prefix}/i18n/{self.lang}.yaml"
            )
        self._configure_language(config, dataset)
        try:
            content = site_content(
                dataset,
                Path(config.docs_dir),
                lang=self.lang,
                directory_urls=config.use_directory_urls,
                pdfs=self._listed(config_dir, self.config.pdf_manifest or os.environ.get(PDF_MANIFEST_ENV)),
                drafts=self._listed(config_dir, os.environ.get(DRAFTS_MANIFEST_ENV)),
                data_prefix=self.data_prefix,
                stale_after_days=self.config.stale_after_days,
            )
        except ContentClash as clash:
            raise PluginError(str(clash)) from clash
        self.content = content
        if not config.nav:
            config.nav = content.nav
        macros = config.plugins.get("macros")
        if macros is not None:
            macros.register_variables({"toolkit": content.macros})
        config.watch.append(str(self.root))
        return config

    def _configure_language(self, config: Any, dataset: Dataset) -> None:
        """Theme language and direction, search settings and the language switcher of this edition.

        Material's search has no stemmer for Nepali, Bengali or Urdu: it indexes whole words, split on spaces and
        the language's punctuation (the danda, the Urdu full stop...), without the trimmer that would strip
        letters outside A-Z. Material prints the site name and the language names as HTML, unescaped."""
        settings = edition(dataset, self.lang)
        if settings.alternate:
            config.extra["alternate"] = [{**alt, "name": escape(alt["name"])} for alt in settings.alternate]
        if self.lang == "en":
            return
        config.theme["language"] = self.lang  # Nepali: overrides/partials/languages/ne.html
        config.theme["direction"] = settings.direction
        if settings.site_name:
            config.site_name = escape(settings.site_name)
        if config.site_url:
            config.site_url = config.site_url.rstrip("/") + f"/{self.lang}/"
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            search.config["lang"] = ["en"]
            search.config["pipeline"] = ["stopWordFilter"]
            if settings.search_separator:
                search.config["separator"] = settings.search_separator

    def _listed(self, config_dir: Path, manifest: str | None) -> dict[str, PdfInfo]:
        return listed_files(config_dir / manifest if manifest else None, self.lang)

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
        settings = self.content.page_settings(page.file.src_uri)
        if "description" in settings:  # Material prints it into an attribute without escaping it
            settings["description"] = str(escape(settings["description"]))
        page.meta.update(settings)
        if generated is not None:
            # Generated pages never go through mkdocs-macros, whatever the page holds.
            page.meta["render_macros"] = False
            page.render = functools.partial(_render_generated, page, page.render)  # see site/fastpage.py
        return markdown

    def on_page_content(self, html: str, page: MkPage, config: Any, files: Files) -> str:
        return expand_abbreviations(html, self.content.abbreviations)

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
