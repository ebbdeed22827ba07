"""The typed content model: the one definition of what `toolkit_data/` may hold.

Every YAML file is validated into one of the document classes at the bottom
(`Instrument`, `ModelLaw`, `ActionPlanTemplate`, `StandardSet`, `Country`,
`Cooperation`, `FrontlineGuide`, `Glossary`). JSON Schemas for editors are generated from them.

Conventions:
- Text fields hold plain text or light Markdown (emphasis, lists, links); they
  are rendered and sanitised, never run as templates.
- Every fact-bearing item carries `sources`, `last_reviewed` and `confidence`.
- Ids are lowercase slugs; references between files use full ids such as
  `tip-protocol/art-6`, `tip-model-law/art-10`, `vps/non-punishment`, `npl`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

Slug = Annotated[str, Field(pattern=SLUG, description="Lowercase words joined by hyphens, e.g. `non-punishment`.")]
Ref = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9-]+(/[a-z0-9-]+)*$",
        description="Full id of another item, e.g. `tip-protocol/art-6` or `vps/shelter`.",
    ),
]
ArticleRef = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9-]+/art-\d+(\(\d+\)(\([a-z]+\))?)?$",
        description="An article, `tip-protocol/art-6`, or one paragraph of it, `tip-protocol/art-6(2)`, `untoc/art-6(1)(a)`.",
    ),
]
Text = Annotated[str, Field(min_length=1, description="Plain text or light Markdown. Never a template.")]
Url = Annotated[
    str,
    Field(
        pattern=r"^https?://[^\s<>\"']+$", description="A public http(s) address; https:// wherever the site serves it."
    ),
]
Iso3 = Annotated[
    str, Field(pattern=r"^[A-Z]{3}$", description="Three capital letters, an ISO 3166-1 alpha-3 code, e.g. `LAO`.")
]


def _check_partial_date(value: str) -> str:
    match = PARTIAL_DATE.match(value)
    if not match:
        raise ValueError("use an ISO date: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as error:
        raise ValueError(f"not a real date: {error}") from None
    return value


PARTIAL_DATE_DESCRIPTION = "ISO date `YYYY-MM-DD`; `YYYY-MM` or `YYYY` when only that is known. Never guess a day."
PartialDate = Annotated[
    str,
    Field(description=PARTIAL_DATE_DESCRIPTION),
    BeforeValidator(lambda value: str(value) if isinstance(value, int) and not isinstance(value, bool) else value),
    AfterValidator(_check_partial_date),
    # An editor's YAML 1.2 tooling reads `deposited: 2011` as a number and `2020-06-16` as text: both are allowed,
    # and the text must have the date's form (`17/10/2013` is underlined in the editor, not only by the validator).
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": PARTIAL_DATE.pattern},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": PARTIAL_DATE_DESCRIPTION,
        }
    ),
]


def date_range(value: str) -> tuple[dt.date, dt.date]:
    """Earliest and latest day a partial date can stand for."""
    year, month, day = (int(part) if part else None for part in PARTIAL_DATE.match(value).groups())
    if day:
        exact = dt.date(year, month, day)
        return exact, exact
    if month:
        first = dt.date(year, month, 1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return first, last
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# ---------------------------------------------------------------- vocabularies


Region = Literal[
    # UN M49 geographic sub-regions (intermediate regions for Africa and the Americas);
    # `south-asia` is M49's "Southern Asia", the id the first countries were published under.
    "northern-africa", "eastern-africa", "middle-africa", "southern-africa", "western-africa",
    "caribbean", "central-america", "south-america", "northern-america",
    "central-asia", "eastern-asia", "south-eastern-asia", "south-asia", "western-asia",
    "eastern-europe", "northern-europe", "southern-europe", "western-europe",
    "australia-and-new-zealand", "melanesia", "micronesia", "polynesia",
]  # fmt: skip
"""Where a country is, by UN M49 sub-region; its reader-facing names are in `regions.REGION_NAMES`."""


class Obligation(StrEnum):
    """How firmly an article binds a State, read from the treaty's verbs."""

    MANDATORY = "mandatory"  # "shall"
    QUALIFIED = "qualified"  # "shall endeavour", "to the extent possible", "within available means"
    OPTIONAL = "optional"  # "shall consider", "may"
    GENERAL = "general"  # purpose, scope, definitions, final clauses


class Confidence(StrEnum):
    HIGH = "high"  # checked against a primary source (for a law: its official text, in the language of the law)
    MEDIUM = "medium"  # for a law: read in an official or unofficial English translation of the statute
    LOW = "low"  # from a secondary source, or not re-checked


class SourceKind(StrEnum):
    STATUTE = "statute"  # the text of a law itself, in its language or in translation
    SECONDARY = "secondary"  # a report, study, review or news article about the law
    SELF_ASSESSMENT = "self-assessment"  # a government's own reading of its law, returned through its toolkit


class Pillar(StrEnum):
    PREVENTION = "prevention"
    PROTECTION = "protection"
    PROSECUTION = "prosecution"
    PARTNERSHIP = "partnership"
    COORDINATION = "coordination"
    MONITORING = "monitoring"


class Coverage(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"
    NOT_APPLICABLE = "not-applicable"  # e.g. measures at sea, for a landlocked State
    UNKNOWN = "unknown"


class TreatyStatus(StrEnum):
    PARTY = "party"
    SIGNATORY = "signatory"  # signed, not (yet) ratified
    NOT_PARTY = "not-party"
    UNKNOWN = "unknown"


class TreatyAction(StrEnum):
    RATIFICATION = "ratification"
    ACCESSION = "accession"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    SUCCESSION = "succession"


# ---------------------------------------------------------------- base classes


class Model(BaseModel):
    """Base of every content class: unknown keys are errors; positions are remembered."""

    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False, validate_default=True)

    # (file, path inside the file) of this item, set by the loader.
    _where: tuple[str, tuple[Any, ...]] | None = PrivateAttr(default=None)


class Source(Model):
    """Where a fact comes from."""

    title: Text
    issuer: str | None = Field(default=None, description="Organisation that published it, e.g. `UNODC`.")
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: Url | None = None
    locator: str | None = Field(default=None, description="Pinpoint inside the source: `art. 6`, `s.154`, `p. 12`.")
    kind: SourceKind | None = Field(
        default=None,
        description="`statute` for the text of a law (official publication, translation or legal information "
        "institute copy); `secondary` for reports, studies and news about it; `self-assessment` for a government's "
        "own reading of its law, returned through its toolkit (`tiptoolkit import-assessment`).",
    )


class Sourced(Model):
    """A fact-bearing item: where it comes from, when it was last checked, how sure we are."""

    sources: list[Source] = Field(min_length=1, description="At least one source for the facts in this item.")
    last_reviewed: dt.date = Field(description="Day the item was last checked against its sources (YYYY-MM-DD).")
    confidence: Confidence = Field(
        default=Confidence.HIGH,
        description="`low` for anything not checked against a primary source.",
    )


# ---------------------------------------------------------------- translations


class TranslationStatus(StrEnum):
    REVIEWED = "reviewed"  # checked against the English by a fluent reader
    NEEDS_REVIEW = "needs-review"  # not yet checked: machine-assisted or by a non-native writer


Lang = Annotated[
    str,
    Field(pattern=r"^[a-z]{2,3}$", description="Language code (ISO 639-1, or 639-3 when there is none), e.g. `ne`."),
]
SourceHash = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-f]{8}$",
        description="Fingerprint of the English text this translates (`tiptoolkit i18n hash` prints it); "
        "when the English changes, the validator reports the translation as out of date.",
    ),
]


class Translation(Model):
    """One language's version of some of an item's text fields; English is used for the fields not given."""

    status: TranslationStatus = Field(
        description="`needs-review` until a fluent reader has checked it against the English."
    )
    source_hash: SourceHash


def translation_model(name: str, *fields: str) -> type[Translation]:
    """A `Translation` subclass whose optional text fields are `fields` of the translated class."""
    from pydantic import create_model

    return create_model(name, __base__=Translation, **{field: (Text | None, None) for field in fields})


def translations(name: str) -> Any:
    return Field(
        default_factory=dict,
        description=f"Translations by language code, e.g. `ne:` then the translated {name}, `status` and `source_hash`. "
        "English is shown wherever a field is not translated.",
    )


StandardSetTranslation = translation_model("StandardSetTranslation", "title", "introduction")
StandardTranslation = translation_model("StandardTranslation", "title", "entitlement", "state_duties")
ChecklistItemTranslation = translation_model("ChecklistItemTranslation", "text")
ActionPlanTemplateTranslation = translation_model("ActionPlanTemplateTranslation", "title", "introduction")
PlanPillarTranslation = translation_model("PlanPillarTranslation", "title", "summary")
ObjectiveTranslation = translation_model("ObjectiveTranslation", "title", "description")
ActivityTranslation = translation_model("ActivityTranslation", "title", "description")
CooperationTranslation = translation_model("CooperationTranslation", "title", "purpose", "scope")
PrincipleTranslation = translation_model("PrincipleTranslation", "title", "text")
SopStepTranslation = translation_model("SopStepTranslation", "title", "action", "time_limit")
ReferralFormTranslation = translation_model("ReferralFormTranslation", "title", "instructions")
FormSectionTranslation = translation_model("FormSectionTranslation", "title")
FormFieldTranslation = translation_model("FormFieldTranslation", "label", "help")
CountryTranslation = translation_model("CountryTranslation", "name", "summary")
ChapterTranslation = translation_model("ChapterTranslation", "title")
TermTranslation = translation_model("TermTranslation", "term", "definition")


# ---------------------------------------------------------------- instruments


class Paragraph(Model):
    """One paragraph of an article whose paragraphs bind with different force."""

    number: Annotated[str, Field(pattern=r"^\d+(\([a-z]+\))?$", description="`1`, `2` or `2(a)`.")]
    obligation: Obligation
    summary: Text


class Article(Model):
    number: int = Field(ge=1)
    title: Text
    summary: Text = Field(description="Two to five sentences in our own words: what it requires, of whom, how firmly.")
    obligation: Obligation = Field(description="Overall level; give `paragraphs` where they differ.")
    paragraphs: list[Paragraph] = Field(default_factory=list)
    related: list[Ref] = Field(default_factory=list, description="Ids of related articles in any instrument.")
    url: Url | None = Field(default=None, description="Official text of this article, if it has its own address.")

    @property
    def id(self) -> str:
        return f"art-{self.number}"


class Reservation(Model):
    """A reservation or declaration the instrument allows a State to make."""

    article: Ref | None = Field(default=None, description="Article that allows it, e.g. `tip-protocol/art-15`.")
    summary: Text


class JoiningStep(Sourced):
    """One step a State takes to join an instrument: a line of the accession kit's checklist."""

    id: Slug
    title: Text = Field(description="Short imperative title, e.g. `Deposit the instrument`.")
    text: Text = Field(description="What the step involves, in our own words, citing the articles it rests on.")
    route: Literal["any", "ratification", "accession"] = Field(
        default="any",
        description="`ratification` for a State that signed, `accession` for one that did not, `any` for both.",
    )


class Instrument(Sourced):
    """A treaty: UNTOC, one of its Protocols, or a regional convention."""

    schema_name: ClassVar[str] = "instrument"

    id: Slug
    title: Text
    short_title: Text
    abbreviation: Text
    kind: Literal["convention", "protocol", "regional-convention"]
    parent: Slug | None = Field(default=None, description="Convention a Protocol supplements.")
    adopted: PartialDate
    adopted_note: str | None = None
    entry_into_force: PartialDate
    entry_into_force_note: str | None = Field(default=None, description="Conflicting dates in sources, etc.")
    depositary: Text
    official_url: Url
    status_url: Url | None = Field(default=None, description="Page listing the parties.")
    treaty_collection_id: str | None = None
    open_to: list[Iso3] | None = Field(
        default=None,
        description="The States that may join it, as ISO 3166-1 alpha-3 codes, when not every State may (a regional "
        "convention open to the members of the organisation that made it). Left out: open to all States. A country "
        "outside the list is not assessed, counted or offered an accession kit for it.",
    )
    joining: Text = Field(description="How a State joins: signature and ratification, or accession.")
    entry_into_force_rule: Text = Field(description="When it enters into force for a State that joins.")
    reservations_allowed: list[Reservation] = Field(default_factory=list)
    reservations_note: Text | None = Field(
        default=None, description="What is known about reservations when the instrument has no clause on them."
    )
    joining_steps: list[JoiningStep] = Field(
        default_factory=list, description="The steps of joining, in order: the checklist of the accession kit."
    )
    numerals: Literal["arabic", "roman"] = Field(
        default="arabic", description="How the treaty numbers its articles: `roman` shows article 9 as `Article IX`."
    )
    complete: bool = Field(description="True when every article of the instrument is in `articles`.")
    articles: list[Article] = Field(min_length=1)


# ---------------------------------------------------------------- model law


class Option(Model):
    id: Slug = Field(description="`a`, `b`, `c` ...")
    label: Text = Field(description="`Option A: separate offences`.")
    text: Text = Field(description="Complete alternative model text.")
    note: str | None = None


class OptionGroup(Model):
    """Alternatives a country chooses between ("choose one of A/B/C")."""

    id: Slug
    title: Text
    choose: Literal["one", "any"] = "one"
    options: list[Option] = Field(min_length=2)


class Chapter(Model):
    id: Slug
    number: Annotated[str, Field(pattern=r"^[IVXL]+$", description="A roman numeral in capitals, e.g. `IV`.")]
    title: Text
    summary: str | None = None
    translations: dict[Lang, ChapterTranslation] = translations("title")


class Provision(Sourced):
    """A model law provision a drafter can lift into a bill."""

    id: Annotated[str, Field(pattern=r"^art-\d+$", description="`art-8`; its full id is `<model law>/art-8`.")]
    number: int = Field(ge=1)
    chapter: Slug
    title: Text
    text: Text = Field(description="Model text: numbered subsections, [placeholders] in square brackets.")
    option_groups: list[OptionGroup] = Field(default_factory=list)
    commentary: Text
    implements: list[ArticleRef] = Field(
        default_factory=list,
        description="Articles this provision implements; name the paragraph where the article mixes levels.",
    )
    mandatory: bool = Field(
        description="True exactly when it implements a mandatory article or paragraph (the validator checks it); "
        "a provision that goes beyond the treaties is recommended, `false`."
    )
    pillar: Pillar


class ModelLaw(Sourced):
    schema_name: ClassVar[str] = "model-law"

    id: Slug
    title: Text
    short_title: Text
    summary: Text
    chapters: list[Chapter] = Field(min_length=1)
    provisions: list[Provision] = Field(min_length=1)


# ---------------------------------------------------------------- action plan


class Activity(Model):
    id: Annotated[str, Field(pattern=r"^act-\d+$", description="`act-` and a number, e.g. `act-2`.")]
    title: Text
    description: str | None = None
    indicators: list[Text] = Field(min_length=1, description="Measurable: a number, a share, a date, a document.")
    means_of_verification: list[Text] = Field(min_length=1)
    lead: Text = Field(description="Suggested lead role (a kind of agency, not a person).")
    partners: list[Text] = Field(default_factory=list)
    timeline: Text = Field(description="Suggested timing, e.g. `Year 1, Q2`.")
    budget: Text = Field(description="What the budget line covers; the amount is filled in by the country.")
    serves: list[Ref] = Field(default_factory=list, description="Articles, provisions and standards it serves.")
    translations: dict[Lang, ActivityTranslation] = translations("title and description")


class Objective(Model):
    id: Annotated[str, Field(pattern=r"^obj-\d+$", description="`obj-` and a number, e.g. `obj-1`.")]
    title: Text
    description: str | None = None
    activities: list[Activity] = Field(min_length=1)
    translations: dict[Lang, ObjectiveTranslation] = translations("title and description")


class PlanPillar(Model):
    id: Pillar
    title: Text
    summary: Text
    objectives: list[Objective] = Field(min_length=1)
    translations: dict[Lang, PlanPillarTranslation] = translations("title and summary")


class ActionPlanTemplate(Sourced):
    schema_name: ClassVar[str] = "action-plan"

    id: Literal["nap"]
    title: Text
    introduction: Text
    pillars: list[PlanPillar] = Field(min_length=1)
    translations: dict[Lang, ActionPlanTemplateTranslation] = translations("title and introduction")


# ---------------------------------------------------------------- victim protection


class ChecklistItem(Model):
    id: Slug
    text: Text = Field(description="A question answerable yes / no / partly.")
    translations: dict[Lang, ChecklistItemTranslation] = translations("text")


class Standard(Sourced):
    id: Slug
    title: Text
    category: Literal["identification", "protection", "assistance", "children", "justice", "return", "cooperation"]
    entitlement: Text = Field(description="What the person is entitled to, from the victim's side.")
    state_duties: Text = Field(description="What the State does to deliver it.")
    checklist: list[ChecklistItem] = Field(min_length=2)
    indicators: list[Text] = Field(min_length=1)
    related: list[Ref] = Field(default_factory=list)
    translations: dict[Lang, StandardTranslation] = translations("title, entitlement and state_duties")


class StandardSet(Model):
    schema_name: ClassVar[str] = "victim-protection"

    id: Literal["vps"]
    title: Text
    introduction: Text
    standards: list[Standard] = Field(min_length=1)
    translations: dict[Lang, StandardSetTranslation] = translations("title and introduction")


# ---------------------------------------------------------------- countries


class CountryReservation(Model):
    article: Ref | None = None
    summary: Text


class Ratification(Sourced):
    instrument: Slug
    status: TreatyStatus
    signed: PartialDate | None = None
    action: TreatyAction | None = Field(default=None, description="How the State became a party.")
    deposited: PartialDate | None = Field(
        default=None, description="Date the instrument of ratification or accession was deposited."
    )
    in_force: PartialDate | None = Field(default=None, description="Date it entered into force for the State.")
    reservations: list[CountryReservation] = Field(default_factory=list)
    note: str | None = None


class Law(Sourced):
    id: Slug
    title: Text
    year: int = Field(ge=1800, le=2100)
    kind: Literal["act", "code", "ordinance", "regulation", "rules", "bill", "constitution", "other"]
    status: Literal["in-force", "amended", "repealed", "not-enacted", "unknown"]
    url: Url | None = None
    summary: str | None = None


class Assessment(Model):
    """How far national law covers one model provision."""

    provision: Ref = Field(description="Full provision id, e.g. `tip-model-law/art-8`.")
    coverage: Coverage
    citation: str | None = Field(default=None, description="National provision, e.g. `Act 2007, s.3`.")
    note: str | None = Field(default=None, description="Why partial or none; what is missing.")
    sources: list[Source] = Field(default_factory=list)
    last_reviewed: dt.date
    confidence: Confidence = Confidence.HIGH


CHECKLIST_ANSWERS = ("yes", "partly", "no")  # how a victim protection checklist item is answered
ChecklistAnswer = Annotated[
    Literal["yes", "partly", "no"],
    # YAML 1.1 (PyYAML) reads a bare `yes` or `no` as a boolean; an editor means the answer.
    BeforeValidator(lambda value: ("yes" if value else "no") if isinstance(value, bool) else value),
]


class ChecklistAnswers(Sourced):
    """A government's own answers to one victim protection standard's checklist, returned in its toolkit."""

    standard: Ref = Field(description="The standard answered, e.g. `vps/identification`.")
    answers: dict[Slug, ChecklistAnswer] = Field(
        default_factory=dict, description="Checklist item id -> `yes`, `partly` or `no`."
    )
    note: str | None = Field(default=None, description="What is missing and who acts next, as written.")


class ActionPlan(Sourced):
    title: Text
    start: int | None = Field(default=None, ge=1990, le=2100)
    end: int | None = Field(default=None, ge=1990, le=2100)
    status: Literal["in-force", "expired", "draft", "unknown"]
    url: Url | None = None
    note: str | None = None


class CoordinationBody(Sourced):
    name: Text
    lead_agency: str | None = None
    established: PartialDate | None = None
    url: Url | None = None
    note: str | None = None


class Agreement(Sourced):
    id: Slug
    title: Text
    kind: Literal["mou", "agreement", "sop", "regional", "other"]
    parties: list[Iso3] = Field(min_length=2)
    signed: PartialDate | None = None
    status: Literal["in-force", "signed", "proposed", "unknown"]
    summary: Text
    url: Url | None = None


ContactTranslation = translation_model("ContactTranslation", "agency", "role")


class Contact(Sourced):
    """An agency-level contact point for cross-border information sharing. Never a person."""

    id: Slug
    agency: Text
    role: Text = Field(description="What the agency does in a cross-border case.")
    kind: Literal[
        "focal-point", "police", "immigration", "prosecution", "social-services", "helpline", "coordination", "other"
    ]
    website: Url | None = None
    note: str | None = None
    translations: dict[Lang, ContactTranslation] = translations("agency name and role")


class Country(Sourced):
    schema_name: ClassVar[str] = "country"

    id: Annotated[
        str,
        Field(
            pattern=r"^[a-z]{3}$",
            description="Three lower-case letters, the ISO 3166-1 alpha-3 code and file name, e.g. `npl`.",
        ),
    ]
    name: Text
    official_name: Text
    region: Region = Field(description="UN M49 sub-region, e.g. `south-asia`, `south-eastern-asia`.")
    neighbours: list[Iso3] = Field(default_factory=list)
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$", description="A language code, e.g. `ne`.")]] = Field(
        default_factory=list
    )
    summary: Text
    ratifications: list[Ratification] = Field(min_length=1)
    laws: list[Law] = Field(default_factory=list)
    coverage: list[Assessment] = Field(default_factory=list)
    protection_checklist: list[ChecklistAnswers] = Field(
        default_factory=list, description="The country's answers to the victim protection checklist, one per standard."
    )
    action_plans: list[ActionPlan] = Field(default_factory=list)
    coordination_body: CoordinationBody | None = None
    agreements: list[Agreement] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    translations: dict[Lang, CountryTranslation] = translations("name and summary")


# ---------------------------------------------------------------- regions


class Organisation(Model):
    """A regional organisation whose members cooperate against trafficking (its treaty is an instrument file)."""

    id: Slug
    name: Text
    abbreviation: Text | None = None
    role: Text = Field(description="What it does against trafficking and smuggling, in a sentence or two.")
    website: Url | None = None


class RegionProfile(Sourced):
    """What the toolkit says of a region as a whole. Its countries are the country files whose `region` is this
    file's id; its regional instruments are those open to them (`open_to`). A region without a file is still
    built, under its UN M49 name."""

    schema_name: ClassVar[str] = "region"

    id: Region = Field(description="The UN M49 sub-region id, also the file name: `south-asia.yaml`.")
    name: Text = Field(description="The region's name for readers, e.g. `South Asia`.")
    introduction: Text = Field(description="What the region's page and regional toolkit open with.")
    organisations: list[Organisation] = Field(default_factory=list)
    pdf_alias: Slug | None = Field(
        default=None,
        description="An older name of the regional toolkit kept for links made before regions: with `toolkit`, the "
        "region's `region-<id>-en.pdf` is also published as `toolkit-en.pdf`. At most one region has it.",
    )


# ---------------------------------------------------------------- cooperation


class Principle(Model):
    id: Slug
    title: Text
    text: Text
    translations: dict[Lang, PrincipleTranslation] = translations("title and text")


class SopStep(Model):
    id: Slug
    title: Text
    actor: Text = Field(description="Who acts: a role, e.g. `focal point of the detecting country`.")
    action: Text
    time_limit: str | None = Field(default=None, description="e.g. `within 24 hours of identification`.")
    legal_basis: list[Ref] = Field(default_factory=list, description="Articles that allow or require the step.")
    standards: list[Ref] = Field(default_factory=list, description="Victim protection standards the step applies.")
    translations: dict[Lang, SopStepTranslation] = translations("title and action")


class FormField(Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", description="Form field name, snake_case.")]
    label: Text
    type: Literal["text", "multiline", "date", "choice", "checkbox"]
    choices: list[Text] = Field(default_factory=list)
    required: bool = False
    essential: bool = Field(default=False, description="Shown in the frontline pocket guide.")
    sensitive: bool = Field(default=False, description="Personal data: share only with consent or legal basis.")
    help: str | None = None
    translations: dict[Lang, FormFieldTranslation] = translations("label and help")


class FormSection(Model):
    id: Slug
    title: Text
    fields: list[FormField] = Field(min_length=1)
    translations: dict[Lang, FormSectionTranslation] = translations("title")


class ReferralForm(Model):
    title: Text
    instructions: Text
    sections: list[FormSection] = Field(min_length=1)
    translations: dict[Lang, ReferralFormTranslation] = translations("title and instructions")


class Cooperation(Sourced):
    schema_name: ClassVar[str] = "cooperation"

    id: Literal["cooperation"]
    title: Text
    purpose: Text
    scope: Text
    legal_basis: list[Ref] = Field(min_length=1)
    principles: list[Principle] = Field(min_length=1)
    steps: list[SopStep] = Field(min_length=1)
    referral_form: ReferralForm
    translations: dict[Lang, CooperationTranslation] = translations("title, purpose and scope")


# ---------------------------------------------------------------- frontline guide


GuideItemTranslation = translation_model("GuideItemTranslation", "title", "text")
GuideSectionTranslation = translation_model("GuideSectionTranslation", "title", "introduction")
DifferenceTranslation = translation_model("DifferenceTranslation", "aspect", "trafficking", "smuggling")
FrontlineGuideTranslation = translation_model("FrontlineGuideTranslation", "title", "introduction")


class GuideItem(Model):
    """One line of the pocket guide: a short title and one or two short sentences."""

    id: Slug
    title: Text = Field(description="A few words, read at a glance.")
    text: Text = Field(description="One or two short sentences, survivor-centred, in plain words.")
    translations: dict[Lang, GuideItemTranslation] = translations("title and text")


class GuideSection(Sourced):
    """A list of guide items: indicators, first steps, what never to do, child safeguards."""

    title: Text
    introduction: str | None = None
    items: list[GuideItem] = Field(min_length=1)
    related: list[Ref] = Field(default_factory=list, description="Articles and standards the section rests on.")
    translations: dict[Lang, GuideSectionTranslation] = translations("title and introduction")


class Difference(Model):
    """One row of the table setting trafficking and smuggling side by side."""

    id: Slug
    aspect: Text
    trafficking: Text
    smuggling: Text
    translations: dict[Lang, DifferenceTranslation] = translations("aspect, trafficking and smuggling")


class DifferenceTable(Sourced):
    title: Text
    introduction: str | None = None
    rows: list[Difference] = Field(min_length=1)
    related: list[Ref] = Field(default_factory=list)
    translations: dict[Lang, GuideSectionTranslation] = translations("title and introduction")


class FrontlineGuide(Sourced):
    """What a border, immigration or police officer needs first: the shared text of every pocket guide.

    Each country's pocket guide adds its own contact agencies, its neighbours', the referral form's
    essential fields and the cooperation procedure's first steps (listed in `sop_steps`).
    """

    schema_name: ClassVar[str] = "frontline"

    id: Literal["frontline"]
    title: Text
    introduction: Text
    trafficking_indicators: GuideSection
    smuggling_indicators: GuideSection
    differences: DifferenceTable
    first_steps: GuideSection
    never: GuideSection = Field(description="What an officer must never do.")
    child_safeguards: GuideSection
    sop_steps: list[Slug] = Field(
        min_length=1, description="Ids of the cooperation procedure's steps that the frontline officer takes."
    )
    translations: dict[Lang, FrontlineGuideTranslation] = translations("title and introduction")


# ---------------------------------------------------------------- glossary


class Term(Model):
    id: Slug
    term: Text
    abbreviation: str | None = Field(default=None, description="Expanded on hover wherever it appears.")
    definition: Text
    see_also: list[Slug] = Field(default_factory=list)
    source: Source | None = None
    translations: dict[Lang, TermTranslation] = translations("term and definition")


class Glossary(Sourced):
    schema_name: ClassVar[str] = "glossary"

    id: Literal["glossary"]
    terms: list[Term] = Field(min_length=1)


# ---------------------------------------------------------------- interface languages


class UiString(Model):
    """One interface string: a heading, a label, a sentence of the page layout."""

    text: Text = Field(
        description="`{name}` placeholders are filled in by the page; keep the same ones as the English."
    )
    status: TranslationStatus
    source_hash: SourceHash | None = Field(
        default=None, description="In a translation: fingerprint of the English string."
    )


class TermException(Model):
    """A translated text allowed not to use a term, and why (the English word in another sense, a quotation...)."""

    at: Text = Field(
        description="The text excused: an interface string key (`country.cases_shared`) or a content item's id "
        "followed by its field (`std-shelter.title`)."
    )
    reason: Text


class TermRendering(Model):
    """How this language renders one legal term, and where that rendering comes from; used the same way everywhere."""

    en: Text = Field(description="The English term, as the toolkit uses it (its plural is matched too).")
    term: Text = Field(description="The term in this language; endings that attach to it (case, number) are accepted.")
    forms: list[Text] = Field(
        default_factory=list,
        description="Other accepted forms that do not begin with `term` (an oblique plural, a verb form).",
    )
    avoid: list[Text] = Field(
        default_factory=list,
        description="Renderings found wrong or competing for this term: not to be used where the English says it.",
    )
    source: Source | None = Field(
        default=None,
        description="The national text the term is taken from: a statute, the constitution's treaty article, an "
        "official agency name. Omit only when none was found, and say in `note` what was searched.",
    )
    note: str | None = Field(default=None, description="Why this rendering; where national usage varies.")
    exceptions: list[TermException] = Field(default_factory=list)
    status: TranslationStatus


def _check_separator(value: str) -> str:
    """A search separator must compile (Python and the browser both use it)."""
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a valid character class: {error}") from None
    return value


class LanguageFile(Model):
    """One interface language: `toolkit_data/i18n/<code>.yaml`. `en.yaml` lists every string the pages use."""

    schema_name: ClassVar[str] = "i18n"

    id: Lang
    name: Text = Field(description="The language's name in itself, e.g. `नेपाली`; shown in the language switcher.")
    english_name: Text
    script: Annotated[
        str, Field(pattern=r"^[A-Z][a-z]{3}$", description="ISO 15924 script code, e.g. `Deva`, `Beng`, `Arab`.")
    ]
    direction: Literal["ltr", "rtl"] = "ltr"
    search_separator: Annotated[str, AfterValidator(_check_separator)] | None = Field(
        default=None,
        pattern=r"^\[(?:[^\]\\]|\\.)+\]\+$",
        description="The characters that separate words for search, as one character class: `[...]+`, e.g. "
        "spaces and the danda. (It runs in every reader's browser: nothing more complex than a class is allowed.)",
    )
    terminology: list[TermRendering] = Field(
        default_factory=list,
        description="The legal terms of this language, each from a national source; every translated text whose "
        "English uses a term must use its rendering (`tiptoolkit validate` checks).",
    )
    strings: dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")], UiString] = Field(
        default_factory=dict, description="Interface strings by key, e.g. `country.ratifications`."
    )


DOCUMENT_KINDS: dict[str, type[Model]] = {
    "instruments": Instrument,
    "model_law": ModelLaw,
    "action_plan": ActionPlanTemplate,
    "victim_protection": StandardSet,
    "countries": Country,
    "cooperation": Cooperation,
    "glossary": Glossary,
    "frontline": FrontlineGuide,
    "i18n": LanguageFile,
    "regions": RegionProfile,
}
"""Folder (or top-level file stem) in toolkit_data -> document class."""
