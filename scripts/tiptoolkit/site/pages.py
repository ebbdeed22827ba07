"""Generated pages: the Dataset and the shared views, rendered through Jinja templates into Markdown.

Pure Python, no MkDocs: a page is a path, a title and Markdown text. Templates
run in an autoescaping Jinja environment whose output escapes `{` and `}`, so no
content string can ever be read as a template, here or by mkdocs-macros.
"""

from __future__ import annotations

import contextlib
import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .. import analysis
from ..dataset import CACHE_ROOT, Dataset, today
from ..files import unwritable
from ..i18n import ENGLISH, Translator, review_counts
from ..localizer import Localizer, any_of, inert
from ..model import Coverage, Obligation, Pillar, TreatyStatus
from ..text import inline, markdown_to_html, plain, sentences
from . import charts

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class PdfInfo:
    """A file to download (a PDF, a Word or spreadsheet file) as the site shows it: where, how big, how many pages."""

    path: str  # relative to the site root, e.g. toolkits/npl-en.pdf
    bytes: int | None = None
    pages: int | None = None

    @property
    def format(self) -> str:
        """`pdf`, `docx` or `xlsx`: the interface string `file.<format>` names it."""
        return self.path.rsplit(".", 1)[-1].lower()

    @property
    def size(self) -> str:
        if self.bytes is None:
            return ""
        return (
            f"{self.bytes / 1_048_576:.1f} MB" if self.bytes >= 1_048_576 else f"{max(1, round(self.bytes / 1024))} KB"
        )


@dataclass
class Page:
    """One generated page."""

    path: str  # source path, e.g. countries/npl.md
    title: str
    markdown: str
    edit_path: str | None = None  # data file that holds the content, relative to the repository
    last_reviewed: date | None = None
    description: str = ""
    english_only: bool = False  # in a translated edition: a page not translated yet, shown in English


class Linker:
    """Relative URLs between generated pages, for directory URLs (the site) and file URLs (the offline copy).

    `from_source`: links written from the page's source file (`countries/npl.md` links from `countries/`), not
    from where it is published (`countries/npl/`). Zensical reads every relative link in a page, HTML included,
    that way, and rewrites it for the published place; MkDocs leaves the HTML of a page as it is."""

    def __init__(self, use_directory_urls: bool = True, from_source: bool = False):
        self.directory_urls = use_directory_urls
        self.from_source = from_source
        self.href = functools.lru_cache(maxsize=65536)(self.href)  # pages link to the same few pages again and again

    def dest(self, src: str) -> str:
        """`countries/npl.md` -> `countries/npl/index.html` (or `countries/npl.html`)."""
        stem = src.removesuffix(".md")
        if stem == "index" or stem.endswith("/index") or not self.directory_urls:
            return stem + ".html"
        return stem + "/index.html"

    def href(self, from_src: str, to: str, anchor: str | None = None) -> str:
        """Link from page `from_src` to a page (`x.md`) or a file (`toolkits/npl-en.pdf`)."""
        here = posixpath.dirname(from_src if self.from_source else self.dest(from_src))
        target = self.dest(to) if to.endswith(".md") else to
        if self.directory_urls and target.endswith("index.html"):
            target = target.removesuffix("index.html")
        relative = posixpath.relpath(target or ".", here or ".")
        if target.endswith("/") and not relative.endswith("/"):
            relative += "/"
        if relative == "./":
            relative = ""
        return f"{relative}#{anchor}" if anchor else (relative or "./")


# Characters written as entities in every value: braces (templates, attr_list) and brackets (links, images).
_INERT_IN_MARKUP = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"})
_MARKUP_SYNTAX = any_of(_INERT_IN_MARKUP)


def _escape_braces(value: Any) -> Any:
    """Jinja `finalize`: every value is written so that nothing downstream reads it as markup.

    The generated pages are Markdown that MkDocs renders again: a name like `[x](javascript:..)` or
    `![x](http://..)` printed into a heading would otherwise become a link or a remote image. HTML
    escaping stops tags; entities for braces stop templates and attribute lists; entities for
    brackets (and, in plain text, emphasis, code, backslashes and line breaks) stop Markdown.
    Entities read the same in HTML text and attributes, so the page shows exactly the text.
    """
    if value is None:
        return ""
    if isinstance(value, Markup):
        return Markup(str.translate(value, _INERT_IN_MARKUP)) if _MARKUP_SYNTAX.search(value) else value
    return inert(value)


@pass_context
def _date(context: Any, value: Any) -> str:
    """`analysis.format_date`, with the month names of the page's language."""
    return analysis.format_date(value, context.get("months") or analysis.MONTHS)


class _BytecodeCache(FileSystemBytecodeCache):
    """Compiled templates kept between runs. Jinja checks what it reads (a damaged entry is compiled again);
    a write that fails (a full disk) only loses the entry."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """Where compiled templates are kept between runs (ours, and the theme's: see plugin.on_env), or None."""
    folder = CACHE_ROOT / "jinja"
    return None if unwritable(folder) else _BytecodeCache(str(folder))


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    # Not sandboxed: the templates are the project's own code, and content is only ever passed to them as values,
    # never compiled as a template (the sandbox cost a fifth of the page generation time). Compiled templates are
    # kept in .cache/jinja (checked against each template's modification time): compiling costs 0.3 s a build.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=bytecode_cache(),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_escape_braces,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=markdown_to_html, inline=inline, plain=plain, date=_date, sentences=sentences)
    env.globals.update(
        Coverage=Coverage,
        Obligation=Obligation,
        Pillar=Pillar,
        TreatyStatus=TreatyStatus,
        article_label=analysis.article_label,
    )
    return env


class SiteBuilder:
    """Builds every generated page from one validated dataset."""

    def __init__(
        self,
        dataset: Dataset,
        linker: Linker,
        pdfs: dict[str, PdfInfo],
        data_prefix: str = "toolkit_data",
        drafts: dict[str, PdfInfo] | None = None,
        stale_after_days: int = analysis.STALE_AFTER_DAYS,
        now: date | None = None,
        lang: str = ENGLISH,
    ):
        self.ds = dataset
        self.lang = lang
        self.l10n = Localizer(Translator(dataset, lang))
        self.linker = linker
        self.pdfs = pdfs
        self.drafts = drafts or {}  # the working files by stem: npl-amendment-bill-en, action-plan-template-en...
        self.data_prefix = data_prefix
        self.stale_after_days = stale_after_days  # 0: no "not reviewed since" markers
        self.now = now or today()
        self.pages: list[Page] = []
        # Pure functions of the dataset (and the page linked from), called for the same ids on page after page.
        self.ref_url = functools.lru_cache(maxsize=65536)(self.ref_url)
        self.ref_label = functools.lru_cache(maxsize=None)(self.ref_label)

    # -------------------------------------------------------------- helpers

    def render_fragment(self, template: str, src: str, **context: Any) -> str:
        """A template's HTML for a hand-written page at `src` (the country list, the matrix of the home page)."""
        return self._render(template, src, **context)

    def _render(self, template: str, src: str, **context: Any) -> str:
        def link(to: str, anchor: str | None = None) -> str:
            return self.linker.href(src, to, anchor)

        def ref(full_id: str) -> str:
            """Link to any citable id: `tip-protocol/art-6`, `tip-model-law/art-8`, `vps/shelter`, `npl`."""
            return self.ref_url(src, full_id)

        return (
            environment()
            .get_template(template)
            .render(
                ds=self.ds,
                link=link,
                ref=ref,
                ref_label=self.ref_label,
                a=analysis,
                pdfs=self.pdfs,
                drafts=self.drafts,
                stale_since=self.stale,
                **self.l10n.context(),
                **context,
            )
        )

    def stale(self, item: Any) -> date | None:
        """When a fact-bearing item was last reviewed, if that is longer ago than the site's threshold."""
        if not self.stale_after_days or item is None:
            return None
        return analysis.stale_since(item, self.now, self.stale_after_days)

    def _edit(self, model: Any) -> str | None:
        where = model._where
        return f"{self.data_prefix}/{where[0]}" if where else None

    def add(
        self,
        src: str,
        title: str,
        template: str,
        *,
        edit: Any = None,
        reviewed: tuple = (),
        description: str = "",
        english_only: bool = False,
        **context: Any,
    ) -> Page:
        page = Page(
            path=src,
            title=title,
            markdown=self._render(template, src, title=title, **context),
            edit_path=self._edit(edit) if edit is not None else None,
            last_reviewed=analysis.last_reviewed(*reviewed) if reviewed else None,
            description=description,
            english_only=english_only and self.lang != ENGLISH,
        )
        self.pages.append(page)
        return page

    def ref_url(self, src: str, full_id: str) -> str:
        head, _, rest = full_id.partition("/")
        if head in self.ds.instruments:  # an article, or a paragraph of it (`art-6(2)`: the article's anchor)
            return self.linker.href(src, f"instruments/{head}.md", rest.partition("(")[0] or None)
        if head in self.ds.model_laws and rest:
            provision = self.ds.provisions.get(full_id)
            chapter = provision.chapter if provision else "index"
            return self.linker.href(src, f"model-law/{head}/{chapter}.md", rest)
        if head == "vps" and rest:
            return self.linker.href(src, f"victim-protection/{rest}.md")
        if head == "nap" and rest:
            pillar, _, anchor = rest.partition("/")
            return self.linker.href(src, f"action-plan/{pillar}.md", anchor.replace("/", "-") or None)
        if head in self.ds.countries:
            return self.linker.href(src, f"countries/{head}.md")
        return self.linker.href(src, "index.md")

    def ref_label(self, full_id: str) -> str:
        article = analysis.article_ref_label(self.ds, full_id)
        if article:
            return article
        if full_id in self.ds.provisions:
            law = self.ds.provision_law[full_id]
            provision = self.ds.provisions[full_id]
            return f"{law.short_title}, art. {provision.number} ({provision.title})"
        if full_id in self.ds.standards:
            return f"Standard: {self.ds.standards[full_id].title}"
        if full_id in self.ds.objectives:
            return f"Action plan: {self.ds.objectives[full_id].title}"
        if full_id in self.ds.activities:
            return f"Action plan: {self.ds.activities[full_id].title}"
        if full_id in self.ds.countries:
            return self.ds.countries[full_id].name
        if full_id in self.ds.instruments:
            return self.ds.instruments[full_id].short_title
        return full_id

    # -------------------------------------------------------------- pages

    def editions(self, stem: Callable[[str], str]) -> list[tuple[str, str, PdfInfo]]:
        """A PDF's editions in other languages than English, `stem(code)` naming each: (code, language name, PDF)."""
        return [
            (code, language.name, self.pdfs[stem(code)])
            for code, language in sorted(self.ds.languages.items())
            if code != ENGLISH and stem(code) in self.pdfs
        ]

    def build(self) -> list[Page]:  # long: every page of the site, one declaration each, in navigation order
        ds = self.ds
        countries = analysis.countries_in_order(ds)
        instruments = analysis.instruments_in_order(ds)
        regions = analysis.regions(ds)
        ts, trs = self.l10n.ts, self.l10n.trs
        untranslated = self.lang != ENGLISH  # pages whose template has no interface strings yet

        if self.lang != ENGLISH:
            self.add(
                "index.md",
                ts("home.title"),
                "home.md.j2",
                reviewed=tuple(d.model for d in ds.documents),
                review=review_counts(ds, self.lang),
            )
        self.add(
            "countries/index.md",
            ts("countries.title"),
            "countries_index.md.j2",
            countries=countries,
            pockets=[
                (
                    country,
                    self.pdfs.get(analysis.pocket_stem(country)),
                    self.editions(functools.partial(analysis.pocket_stem, country)),
                )
                for country in countries
            ],
            regions=regions,
            reviewed=tuple(countries),
        )
        for country in countries:
            pdf = self.pdfs.get(f"{country.id}-en")
            pocket_lang = self.pdfs.get(analysis.pocket_stem(country, self.lang)) if self.lang != ENGLISH else None
            self.add(
                f"countries/{country.id}.md",
                trs(country, "name"),
                "country.md.j2",
                edit=country,
                reviewed=(country,),
                description=plain(trs(country, "summary")),
                country=country,
                pdf=pdf,
                pdf_lang=self.pdfs.get(f"{country.id}-{self.lang}") if self.lang != ENGLISH else None,
                editions=self.editions(lambda code, c=country: f"{c.id}-{code}"),
                cells=[analysis.ratification(country, i) for i in analysis.instruments_open_to(ds, country)],
                timeline_svg=charts.timeline(ds, country),
                coverage=analysis.coverage(ds, country),
                assessed=analysis.assessed(ds, country),
                coverage_table=analysis.coverage_table(ds, country),
                gaps=analysis.gaps(ds, country),
                to_assess=analysis.to_assess(ds, country),
                by_pillar=analysis.gaps_by_pillar(ds, country),
                checklist=analysis.answered_checklist(ds, country),
                plan=analysis.current_plan(country),
                agreements=analysis.agreements(ds, country),
                neighbours=analysis.neighbour_contacts(ds, country),
                kits=analysis.accession_kits(ds, country),
                pocket_pdf=pocket_lang or self.pdfs.get(analysis.pocket_stem(country)),
                pocket_lang=pocket_lang is not None,
                pocket_editions=self.editions(functools.partial(analysis.pocket_stem, country)),
                bill=self.drafts.get(f"{country.id}-amendment-bill-en"),
                matrix_file=self.drafts.get(f"{country.id}-action-plan-en"),
                sources=analysis.sources(country),
                sources_unindexed=True,  # see _provenance.j2
            )

        for region in regions:
            self.add(
                f"regions/{region.id}.md",
                region.name,
                "region.md.j2",
                edit=region.profile,
                reviewed=(*((region.profile,) if region.profile else ()), *region.countries),
                description=plain(region.profile.introduction) if region.profile else "",
                region=region,
                pdf=self.pdfs.get(f"{analysis.region_stem(region.id)}-en"),
                english_only=untranslated,
                sources=analysis.sources(*((region.profile,) if region.profile else ())),
            )

        self.add(
            "instruments/index.md",
            "Instruments",
            "instruments_index.md.j2",
            instruments=instruments,
            reviewed=tuple(instruments),
            english_only=untranslated,
        )
        for instrument in instruments:
            self.add(
                f"instruments/{instrument.id}.md",
                instrument.short_title,
                "instrument.md.j2",
                edit=instrument,
                reviewed=(instrument,),
                description=plain(instrument.title),
                instrument=instrument,
                english_only=untranslated,
                implementing={a.id: analysis.implementing(ds, f"{instrument.id}/{a.id}") for a in instrument.articles},
                sources=analysis.sources(instrument),
            )

        laws = sorted(ds.model_laws.values(), key=lambda law: law.id, reverse=True)
        self.add(
            "model-law/index.md",
            "Model law",
            "model_law_index.md.j2",
            laws=laws,
            reviewed=tuple(laws),
            english_only=untranslated,
        )
        for law in laws:
            self.add(
                f"model-law/{law.id}/index.md",
                law.short_title,
                "model_law.md.j2",
                edit=law,
                reviewed=(law,),
                law=law,
                sources=analysis.sources(law),
                english_only=untranslated,
            )
            for chapter in law.chapters:
                provisions = [p for p in sorted(law.provisions, key=lambda p: p.number) if p.chapter == chapter.id]
                self.add(
                    f"model-law/{law.id}/{chapter.id}.md",
                    f"{chapter.number}. {chapter.title}",
                    "model_law_chapter.md.j2",
                    edit=law,
                    reviewed=tuple(provisions) or (law,),
                    law=law,
                    chapter=chapter,
                    provisions=provisions,
                    sources=analysis.sources(*provisions),
                    english_only=untranslated,
                )

        vps = ds.victim_protection
        self.add(
            "victim-protection/index.md", trs(vps, "title"), "standards_index.md.j2", edit=vps, reviewed=(vps,), vps=vps
        )
        for standard in vps.standards:
            self.add(
                f"victim-protection/{standard.id}.md",
                trs(standard, "title"),
                "standard.md.j2",
                edit=vps,
                reviewed=(standard,),
                description=plain(trs(standard, "entitlement")),
                standard=standard,
                sources=analysis.sources(standard),
            )

        plan = ds.action_plan
        self.add(
            "action-plan/index.md",
            trs(plan, "title"),
            "action_plan_index.md.j2",
            edit=plan,
            reviewed=(plan,),
            plan=plan,
            blank_matrix=self.drafts.get("action-plan-template-en"),
            country_matrices=[
                (country, self.drafts[f"{country.id}-action-plan-en"])
                for country in countries
                if f"{country.id}-action-plan-en" in self.drafts
            ],
            sources=analysis.sources(plan),
        )
        for pillar in plan.pillars:
            self.add(
                f"action-plan/{pillar.id.value}.md",
                trs(pillar, "title"),
                "action_plan_pillar.md.j2",
                edit=plan,
                reviewed=(plan,),
                plan=plan,
                pillar=pillar,
                sources=analysis.sources(plan),
            )

        coop = ds.cooperation
        self.add(
            "cooperation/index.md",
            trs(coop, "title"),
            "cooperation.md.j2",
            edit=coop,
            reviewed=(coop,),
            coop=coop,
            sources=analysis.sources(coop),
        )
        self.add(
            "cooperation/referral-form.md",
            trs(coop.referral_form, "title"),
            "referral_form.md.j2",
            edit=coop,
            reviewed=(coop,),
            coop=coop,
            form_file=self.drafts.get(f"referral-form-{self.lang}") or self.drafts.get("referral-form-en"),
            sources=analysis.sources(coop),
        )
        guide = ds.frontline
        if guide is not None:
            self.add(
                "cooperation/frontline.md",
                trs(guide, "title"),
                "frontline.md.j2",
                edit=guide,
                reviewed=(guide,),
                description=plain(trs(guide, "introduction")),
                guide=guide,
                sections=analysis.frontline_sections(guide),
                steps=analysis.frontline_steps(ds),
                fields=analysis.essential_fields(ds),
                sources=analysis.sources(guide),
            )

        self.add(
            "compare/index.md",
            "Compare countries",
            "compare_index.md.j2",
            reviewed=tuple(countries),
            english_only=untranslated,
        )
        self.add(
            "compare/ratifications.md",
            "Ratification matrix",
            "compare_ratifications.md.j2",
            reviewed=tuple(countries),
            regions=regions,
            english_only=untranslated,
            countries=countries,
            sources=analysis.sources(*(r for c in countries for r in c.ratifications)),
            sources_unindexed=True,  # each country page lists them too
        )
        self.add(
            "compare/coverage.md",
            "Coverage heat map",
            "compare_coverage.md.j2",
            reviewed=tuple(countries),
            heats=[
                (region, analysis.heatmap(region.dataset), charts.heatmap(region.dataset, f"coverage-{region.id}"))
                for region in regions
            ],
            english_only=untranslated,
            sources=analysis.sources(*(a for c in countries for a in c.coverage)),
            sources_unindexed=True,  # each country page lists them too
        )

        glossary = ds.glossary
        self.add(
            "glossary.md",
            "Glossary",
            "glossary.md.j2",
            edit=glossary,
            reviewed=(glossary,),
            glossary=glossary,
            terms=sorted(glossary.terms, key=lambda t: t.term.lower()),
            sources=analysis.sources(glossary),
            english_only=untranslated,
        )
        self.add(
            "open-data.md",
            "Open data",
            "data.md.j2",
            countries=countries,
            english_only=untranslated,
            reviewed=tuple(document.model for document in ds.documents),
        )
        return self.pages


def _nav_title(title: str) -> Markup:
    """A title for MkDocs' navigation: Material prints nav titles as HTML, unescaped, so they go in escaped
    (as Markup, so that its templates' own `| e` does not escape them twice)."""
    return escape(title)


def in_navigation(path: str) -> bool:
    """Whether a generated page is listed in the navigation. Country pages are not: the navigation is drawn
    into every page, and a Countries section listing them all would make each country page (and the
    build, quadratically) grow with the number of countries. They are reached from the countries index,
    the home page, the compare pages and each other (neighbours)."""
    return not (path.startswith("countries/") and path != "countries/index.md")


def plain_navigation(value: Any) -> Any:
    """A navigation as plain YAML for a configuration file: its escaped titles (`Markup`) as the strings they are."""
    if isinstance(value, dict):
        return {str(key): plain_navigation(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_navigation(item) for item in value]
    return str(value)


def navigation(pages: list[Page], handwritten: list[str], t: Any = None) -> list[Any]:
    """The site's navigation, in reading order, for MkDocs' `nav` setting (titles escaped: see `_nav_title`)."""
    by_path = {page.path: page for page in pages}

    def section(title: str, prefix: str, index: str) -> dict[str, list[Any]]:
        children = [index] + [
            {_nav_title(by_path[p].title): p}
            for p in by_path
            if p.startswith(prefix) and p != index and p.count("/") == prefix.count("/")
        ]
        return {title: children}

    def law_sections() -> list[Any]:
        items: list[Any] = ["model-law/index.md"]
        for page in pages:
            if (
                page.path.startswith("model-law/")
                and page.path.endswith("/index.md")
                and page.path != "model-law/index.md"
            ):
                folder = page.path.removesuffix("index.md")
                items.append(section(_nav_title(page.title), folder, page.path))
        return items

    english = {
        "nav.home": "Home",
        "nav.countries": "Countries",
        "nav.instruments": "Instruments",
        "nav.model_law": "Model law",
        "nav.victim_protection": "Victim protection",
        "nav.action_plan": "Action plan",
        "nav.cooperation": "Cooperation",
        "nav.compare": "Compare",
        "nav.glossary": "Glossary",
        "nav.about": "About",
    }
    translate = t or english.__getitem__  # section titles in the edition's language (`Localizer.ts`)

    def t(key: str) -> Markup:  # interface strings come from pull requests too: escaped like every title
        return _nav_title(translate(key))

    about = [p for p in ("about.md", "methodology.md", "open-data.md") if p in handwritten or p in by_path]
    regions = [{_nav_title(page.title): path} for path, page in by_path.items() if path.startswith("regions/")]
    nav: list[Any] = [
        {t("nav.home"): "index.md"},
        {t("nav.countries"): ["countries/index.md", *regions]},  # the country pages: see `in_navigation`
        section(t("nav.instruments"), "instruments/", "instruments/index.md"),
        {t("nav.model_law"): law_sections()},
        section(t("nav.victim_protection"), "victim-protection/", "victim-protection/index.md"),
        section(t("nav.action_plan"), "action-plan/", "action-plan/index.md"),
        section(t("nav.cooperation"), "cooperation/", "cooperation/index.md"),
        section(t("nav.compare"), "compare/", "compare/index.md"),
        {t("nav.glossary"): "glossary.md"},
        {t("nav.about"): about},
    ]
    return nav
