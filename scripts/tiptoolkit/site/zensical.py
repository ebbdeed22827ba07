"""The site built by Zensical: the same pages as the MkDocs plugin's (site/content.py), written to a folder
with the configuration Zensical reads, then built by it.

Zensical reads `mkdocs.yml` and reimplements Material's plugins, but runs no third-party MkDocs plugin: what
our plugin does inside MkDocs is done here before the build (pages, navigation, page settings, the home page's
macros) and after it (abbreviations, "edit this page" links to the data, the search index, the open data).
Nothing in this module imports an engine: Zensical runs as a command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

from ..dataset import Dataset
from ..i18n import ENGLISH
from . import opendata
from .abbreviations import expand_abbreviations
from .content import ALTERNATE_LINK, WORKER_SHIM, SiteContent, edition, listed_files, site_content
from .pages import in_navigation, plain_navigation
from .searchindex import add_joined_compounds

# Our overrides of Material's templates that Zensical's own templates make unneeded: its search dialog has an
# accessible name already, and its search box is a button (Material's form would break its header).
MATERIAL_ONLY = {"partials/search.html"}
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.DOTALL)


class ZensicalFailed(RuntimeError):
    """Zensical stopped or wrote no site, or could not be given its pages: the reason in words."""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as Zensical would read it here: `!ENV [NAME, default]` is its default (our builds set none)."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def build(
    dataset: Dataset,
    config_file: Path,
    site_dir: Path,
    *,
    data_prefix: str,
    lang: str = ENGLISH,
    offline: bool = False,
    pdf_manifest: Path | None = None,
    drafts_manifest: Path | None = None,
    epoch: str | None = None,
) -> None:
    """One edition of the site into `site_dir` (replaced), from the configuration in `config_file`."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    with tempfile.TemporaryDirectory(prefix=".zensical-", dir=site_dir.parent) as folder:
        project = Path(folder)
        content = site_content(
            dataset,
            config_file.parent / config.setdefault("docs_dir", "docs"),
            lang=lang,
            directory_urls=not offline,
            links_from_source=True,
            pdfs=listed_files(pdf_manifest, lang),
            drafts=listed_files(drafts_manifest, lang),
            data_prefix=data_prefix,
        )
        write_project(project, content, config, config_file.parent, lang=lang, offline=offline)
        run(project, epoch)
        finish(project / "site", content, config, offline=offline)
        opendata.write(dataset, project / "site")
        if site_dir.exists():
            shutil.rmtree(site_dir)
        os.rename(project / "site", site_dir)


def write_project(project: Path, content: SiteContent, config: dict, source: Path, *, lang: str, offline: bool) -> None:
    """The pages in `project/docs`, the theme overrides in `project/overrides`, and `project/mkdocs.yml`: from the
    project in `source` and its configuration `config`, which is completed for Zensical in place."""
    configure(config, content, lang=lang, offline=offline)
    docs = project / "docs"
    shutil.copytree(source / config["docs_dir"], docs, ignore=shutil.ignore_patterns("*.md"))
    for path in content.handwritten:
        write_page(docs / path, *handwritten_page(source / config["docs_dir"], path, content))
    for path, page in content.generated.items():
        write_page(docs / path, content.page_settings(path), page.markdown)  # Zensical escapes the description
    overrides = source / config["theme"]["custom_dir"]
    shutil.copytree(
        overrides, project / "overrides", ignore=lambda folder, names: _material_only(overrides, folder, names)
    )
    config.update(docs_dir="docs", site_dir="site")
    config["theme"]["custom_dir"] = "overrides"
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _material_only(overrides: Path, folder: str, names: list[str]) -> list[str]:
    return [name for name in names if (Path(folder) / name).relative_to(overrides).as_posix() in MATERIAL_ONLY]


def configure(config: dict, content: SiteContent, *, lang: str, offline: bool) -> None:
    """The project's mkdocs.yml (`config`, changed in place) with our plugin's part done: the navigation, the edition's language, the search
    and offline plugins only (the macros are rendered here, see `handwritten_page`)."""
    config["nav"] = plain_navigation(content.nav)  # titles stay escaped: Zensical prints them as HTML, as Material does
    # Country pages are reached from the countries index, not listed (see `pages.in_navigation`).
    config["not_in_nav"] = "\n".join(f"/{path}" for path in content.generated if not in_navigation(path))
    search: dict[str, Any] = {}
    config["plugins"] = [{"search": search}] + ([{"offline": {}}] if offline else [])
    config.pop("validation", None)  # MkDocs' link validation: `tiptoolkit linkcheck` checks every link instead
    config["use_directory_urls"] = not offline
    settings = edition(content.builder.ds, lang)
    extra = config.setdefault("extra", {})
    if settings.alternate:
        extra["alternate"] = settings.alternate
    if offline:
        extra["polyfills"] = [*extra.get("polyfills", []), WORKER_SHIM]
    if lang != ENGLISH:
        config["theme"].update(language=lang, direction=settings.direction)
        if settings.site_name:
            config["site_name"] = settings.site_name
        if config.get("site_url"):
            config["site_url"] = config["site_url"].rstrip("/") + f"/{lang}/"
        if settings.search_separator:
            search["separator"] = settings.search_separator


def handwritten_page(docs: Path, path: str, content: SiteContent) -> tuple[dict[str, Any], str]:
    """The page `path` of `docs` as the MkDocs build shows it: its settings with ours added, and its body with its
    macros rendered when it asks for them (`render_macros: true`, as mkdocs-macros is configured)."""
    text = (docs / path).read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    settings = (yaml.safe_load(match.group(1)) or {}) if match else {}
    body = text[match.end() :] if match else text
    if settings.pop("render_macros", False):
        environment = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
        body = environment.from_string(body).render(toolkit=content.macros)
    settings.update(content.page_settings(path))
    return settings, body


def write_page(path: Path, settings: dict[str, Any], markdown: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False) if settings else ""
    path.write_text(f"---\n{front}---\n\n{markdown}" if front else markdown, encoding="utf-8")


def run(project: Path, epoch: str | None) -> None:
    """Zensical on `project/mkdocs.yml`, strict: a warning stops the build."""
    env = dict(os.environ)
    if epoch is not None:
        env.setdefault("SOURCE_DATE_EPOCH", epoch)
    command = [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (project / "site" / "index.html").is_file():
        lines = (done.stderr or done.stdout).strip().splitlines()  # a traceback's last line holds the reason
        words = lines[-1].removeprefix("RuntimeError: ") if lines else f"exit code {done.returncode}"
        raise ZensicalFailed(f"Zensical could not build the site: {words}")


def finish(site: Path, content: SiteContent, config: dict, *, offline: bool) -> None:
    """What our MkDocs plugin does to each page as MkDocs renders it, on Zensical's output."""
    abbreviations = content.abbreviations
    edit_base = f"{config['repo_url'].rstrip('/')}/{config['edit_uri']}" if config.get("edit_uri") else None
    linker = content.builder.linker
    for path in [*content.generated, *content.handwritten]:
        page = site / linker.dest(path)
        html = page.read_text(encoding="utf-8")
        html = ARTICLE.sub(lambda m: m.group(1) + expand_abbreviations(m.group(2), abbreviations) + m.group(3), html)
        generated = content.generated.get(path)
        if edit_base and generated is not None:
            html = _edit_link(html, f"{edit_base}{path}", edit_base, generated.edit_path)
        if offline:
            html = ALTERNATE_LINK.sub("", html)
        page.write_text(html, encoding="utf-8")
    add_joined_compounds(site / "search.json")
    script = site / "search.js"  # the offline copy's index as a script (Zensical's offline plugin): the same again
    if script.is_file():
        script.write_text(f"var __index = {(site / 'search.json').read_text(encoding='utf-8')};", encoding="utf-8")


def _edit_link(html: str, shown: str, edit_base: str, edit_path: str | None) -> str:
    """A generated page's "edit this page" button: to the data file that holds its content, or none."""
    if edit_path is None:
        return re.sub(rf'<a href="{re.escape(shown)}"[^>]*rel="edit">.*?</a>', "", html, flags=re.DOTALL)
    target = edit_base.rstrip("/").rsplit("/", 1)[0] + "/" + edit_path  # `docs/` is the edit base's last part
    return html.replace(f'href="{shown}"', f'href="{target}"')
