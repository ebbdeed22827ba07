"""The whole content as one typed object, with indices for references."""

from __future__ import annotations

import functools
import os
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .load import Document, DocumentCache, Positions, data_files, format_loc, load_document
from .model import (
    ActionPlanTemplate,
    Activity,
    Article,
    Cooperation,
    Country,
    FrontlineGuide,
    Glossary,
    Instrument,
    LanguageFile,
    Model,
    ModelLaw,
    Objective,
    Obligation,
    Paragraph,
    Provision,
    RegionProfile,
    Standard,
    StandardSet,
)
from .problems import Problem

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "toolkit_data"
PROJECT = DEFAULT_ROOT.parent


def today() -> date:
    """Today, or the day in TIPTOOLKIT_TODAY (YYYY-MM-DD) so date rules are deterministic."""
    override = os.environ.get("TIPTOOLKIT_TODAY")
    return date.fromisoformat(override) if override else date.today()


@dataclass
class Dataset:
    root: Path
    documents: list[Document] = field(default_factory=list)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    model_laws: dict[str, ModelLaw] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    action_plan: ActionPlanTemplate | None = None
    victim_protection: StandardSet | None = None
    cooperation: Cooperation | None = None
    frontline: FrontlineGuide | None = None  # the shared text of the pocket guides (optional)
    glossary: Glossary | None = None
    languages: dict[str, LanguageFile] = field(default_factory=dict)  # interface languages by code
    regions: dict[str, RegionProfile] = field(default_factory=dict)  # by M49 id; a region may have none

    # indices by full id, filled by `index()`
    articles: dict[str, Article] = field(default_factory=dict)
    paragraphs: dict[str, Paragraph] = field(default_factory=dict)  # `tip-protocol/art-6(2)`, `untoc/art-6(1)(a)`
    article_instrument: dict[str, Instrument] = field(default_factory=dict)
    provisions: dict[str, Provision] = field(default_factory=dict)
    provision_law: dict[str, ModelLaw] = field(default_factory=dict)
    standards: dict[str, Standard] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # stems of files that did not load
    _positions: dict[str, Positions] = field(default_factory=dict)

    def add(self, document: Document) -> None:
        self.documents.append(document)
        self._positions[str(document.path)] = document.positions
        model = document.model
        match model:
            case Instrument():
                self.instruments[model.id] = model
            case ModelLaw():
                self.model_laws[model.id] = model
            case Country():
                self.countries[model.id] = model
            case ActionPlanTemplate():
                self.action_plan = model
            case StandardSet():
                self.victim_protection = model
            case Cooperation():
                self.cooperation = model
            case FrontlineGuide():
                self.frontline = model
            case Glossary():
                self.glossary = model
            case LanguageFile():
                self.languages[model.id] = model
            case RegionProfile():
                self.regions[model.id] = model

    def index(self) -> None:
        """Build the full-id indices (first occurrence wins; duplicates are a validation problem)."""
        for instrument in self.instruments.values():
            for article in instrument.articles:
                key = f"{instrument.id}/{article.id}"
                self.articles.setdefault(key, article)
                self.article_instrument.setdefault(key, instrument)
                for paragraph in article.paragraphs:
                    self.paragraphs.setdefault(f"{key}({paragraph.number.replace('(', ')(')})", paragraph)
        for law in self.model_laws.values():
            for provision in law.provisions:
                key = f"{law.id}/{provision.id}"
                self.provisions.setdefault(key, provision)
                self.provision_law.setdefault(key, law)
        if self.victim_protection:
            for standard in self.victim_protection.standards:
                self.standards.setdefault(f"vps/{standard.id}", standard)
        if self.action_plan:
            for pillar in self.action_plan.pillars:
                for objective in pillar.objectives:
                    key = f"nap/{pillar.id}/{objective.id}"
                    self.objectives.setdefault(key, objective)
                    for activity in objective.activities:
                        self.activities.setdefault(f"{key}/{activity.id}", activity)

    def binds(self, ref: str) -> bool:
        """Whether an article or paragraph reference carries a mandatory obligation ("shall").

        A paragraph binds when its level is mandatory; an article as a whole only when it is mandatory and none of
        its paragraphs is qualified or optional (TIP art. 6 mixes levels, so only `tip-protocol/art-6(2)` binds).
        Only instruments open to every State count: a regional convention binds its own parties, and the model
        provisions are written for any State.
        """
        instrument = self.article_instrument.get(article_key(ref))
        if instrument is None or instrument.kind == "regional-convention":
            return False
        if ref in self.paragraphs:
            return self.paragraphs[ref].obligation is Obligation.MANDATORY
        article = self.articles.get(ref)
        return (
            article is not None
            and article.obligation is Obligation.MANDATORY
            and all(p.obligation in (Obligation.MANDATORY, Obligation.GENERAL) for p in article.paragraphs)
        )

    def requires(self, provision: Provision) -> bool:
        """Whether a model provision is mandatory by the UN instruments: it implements a binding article or paragraph."""
        return any(self.binds(ref) for ref in provision.implements)

    def exists(self, ref: str) -> bool:
        """Whether a full id names something in the content (or may, when its file failed to load)."""
        if ref.partition("/")[0] in self.failed:
            return True
        return (
            any(
                ref in index
                for index in (
                    self.articles,
                    self.paragraphs,
                    self.provisions,
                    self.standards,
                    self.objectives,
                    self.activities,
                )
            )
            or ref in self.instruments
            or ref in self.model_laws
            or ref in self.countries
        )

    def problem(self, item: Model, field_name: str | None, message: str, index: int | None = None) -> Problem:
        """A problem pointing at `item.field_name[index]` in the file `item` came from."""
        file, loc = item._where or ("?", ())
        if field_name:
            loc = (*loc, field_name)
        if index is not None:
            loc = (*loc, index)
        line, column = self._positions[file].find(loc) if file in self._positions else (1, 1)
        return Problem(file, line, column, format_loc(loc), message)

    def problem_at_file(self, file: str, message: str) -> Problem:
        return Problem(file, 1, 1, "", message)


# Parsed content, compiled templates and PDFs, all named by what they hold; never committed. TIPTOOLKIT_CACHE_DIR
# moves it (the benchmark times cold builds with an empty one).
CACHE_ROOT = Path(os.environ.get("TIPTOOLKIT_CACHE_DIR") or DEFAULT_ROOT.parent / ".cache")
CACHE = CACHE_ROOT / "content"  # see load.DocumentCache


def load_dataset(root: Path = DEFAULT_ROOT) -> tuple[Dataset, list[Problem]]:
    """Load every file under `root`; problems from all files are collected, none raised."""
    dataset = Dataset(root=root)
    problems: list[Problem] = []
    for relative in data_files(root):
        document, found = load_document(root, relative, CACHE)
        problems.extend(found)
        if found:
            dataset.failed.add(relative.stem)
        if document:
            dataset.add(document)
    dataset.index()
    DocumentCache.prune(CACHE)
    return dataset, problems


def article_key(ref: str) -> str:
    """The article an article or paragraph reference names: `tip-protocol/art-6(2)` -> `tip-protocol/art-6`."""
    return ref.partition("(")[0]


def walk(item: BaseModel) -> Iterator[BaseModel]:
    """`item` and every model nested in it (fields and lists of them; not dicts), depth first."""
    yield item
    for name in _nesting_fields(type(item)):
        value: Any = getattr(item, name)
        for child in value if isinstance(value, list) else (value,):
            if isinstance(child, BaseModel):
                yield from walk(child)


@functools.cache
def _nesting_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `cls` whose type can hold a model or a list of models: the only ones `walk` must read."""

    def holds_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        if typing.get_origin(annotation) is dict:
            return False
        return any(holds_model(arg) for arg in typing.get_args(annotation))

    return tuple(name for name, info in cls.model_fields.items() if holds_model(info.annotation))


@functools.lru_cache(maxsize=8)  # asked for each provision link of every document
def site_url(project: Path = PROJECT) -> str:
    """The site's address from mkdocs.yml, ending in `/` (`/` when none is set); read as text, as the file holds
    MkDocs-only YAML tags. Read once per process."""
    config = project / "mkdocs.yml"
    match = re.search(r"^site_url:\s*(\S+)", config.read_text(encoding="utf-8"), re.M) if config.exists() else None
    return (match.group(1) if match else "/").rstrip("/") + "/"
