"""Translations: interface strings per language, translated content fields, English as the fallback.

Two kinds of translated text, both with a review status and a fingerprint of the English they translate:

- interface strings (headings, labels, sentences of the page layout) in `toolkit_data/i18n/<lang>.yaml`;
  `en.yaml` is the list of every string the pages use;
- content fields (a standard's title, a checklist question, a form field's label...) in a `translations`
  mapping beside the English text, e.g. `translations: {ne: {title: ..., status: needs-review, source_hash: ...}}`.

`source_hash` is the first 8 hex digits of the SHA-256 of the English text translated (for several fields,
their English texts joined by U+001F in the model's field order). When the English changes, the hash no longer
matches and the validator reports the translation as out of date. Pure data layer: no MkDocs, no WeasyPrint.
"""

from __future__ import annotations

import hashlib
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .dataset import Dataset, walk
from .model import (
    LanguageFile,
    Translation,
    TranslationStatus,
)

ENGLISH = "en"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

KIND_LABELS = {
    "StandardSet": "victim protection: introduction",
    "Standard": "victim protection standards",
    "ChecklistItem": "victim protection checklist items",
    "ActionPlanTemplate": "action plan: introduction",
    "PlanPillar": "action plan pillars",
    "Objective": "action plan objectives",
    "Activity": "action plan activities",
    "Cooperation": "cooperation procedure",
    "Principle": "cooperation principles",
    "SopStep": "cooperation steps",
    "ReferralForm": "referral form",
    "FormSection": "referral form sections",
    "FormField": "referral form fields",
    "Country": "countries",
    "Contact": "contact agencies",
    "Chapter": "model law chapters",
    "Term": "glossary terms",
    "FrontlineGuide": "frontline guide: introduction",
    "GuideSection": "frontline guide sections",
    "DifferenceTable": "frontline: trafficking or smuggling",
    "Difference": "frontline: differences",
    "GuideItem": "frontline guide items",
}
"""Content kinds that can be translated, in the order `i18n status` lists them."""


def fingerprint(*texts: str) -> str:
    """The `source_hash` of English text: 8 hex digits of SHA-256."""
    return hashlib.sha256("\x1f".join(texts).encode("utf-8")).hexdigest()[:8]


def translatable_fields(translation_class: type[Translation]) -> list[str]:
    return [name for name in translation_class.model_fields if name not in Translation.model_fields]


def translation_class(cls: type[BaseModel]) -> type[Translation]:
    """`Standard` -> `StandardTranslation`: the value type of its `translations` mapping."""
    return typing.get_args(cls.model_fields["translations"].annotation)[1]


def given_fields(translation: Translation) -> list[str]:
    """The text fields a translation actually gives."""
    return [name for name in translatable_fields(type(translation)) if getattr(translation, name) is not None]


def expected_hash(item: BaseModel, translation: Translation) -> str:
    return fingerprint(*(getattr(item, name) or "" for name in given_fields(translation)))


def translatable_items(ds: Dataset) -> Iterator[BaseModel]:
    """Every content item that can carry translations, in file order."""
    for document in ds.documents:
        for item in walk(document.model):
            if "translations" in type(item).model_fields:
                yield item


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fresh(item: BaseModel, translation: Translation) -> bool:
    return translation.source_hash == expected_hash(item, translation)


@dataclass(frozen=True)
class TranslatedText:
    """One translated text beside the English it translates."""

    owner: BaseModel  # what a problem points at: the interface string, or the content translation
    field: str
    at: str  # how an editor names it: the interface string key, or the item's id and the field
    english: str
    text: str


def translated_texts(ds: Dataset, lang: str) -> Iterator[TranslatedText]:
    """Every interface string and content field translated into `lang`, with its English."""
    english = ds.languages.get(ENGLISH)
    language = ds.languages.get(lang)
    if english and language:
        for key, entry in language.strings.items():
            if key in english.strings:
                yield TranslatedText(entry, "text", key, english.strings[key].text, entry.text)
    for item in translatable_items(ds):
        translation = item.translations.get(lang)
        for name in given_fields(translation) if translation else ():
            if getattr(item, name):
                at = f"{getattr(item, 'id', type(item).__name__)}.{name}"
                yield TranslatedText(translation, name, at, getattr(item, name), getattr(translation, name))


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Localized:
    """A piece of text in the language it could be found in."""

    text: str
    lang: str
    fallback: bool  # True when English stands in for a missing translation
    status: TranslationStatus | None = None


class Translator:
    """Looks up interface strings and content fields in one language, falling back to English."""

    def __init__(self, ds: Dataset, lang: str = ENGLISH):
        self.lang = lang
        self.english = ds.languages.get(ENGLISH)
        self.language: LanguageFile | None = ds.languages.get(lang)
        if lang != ENGLISH and self.language is None:
            raise ValueError(f"no interface language {lang!r}: add toolkit_data/i18n/{lang}.yaml")

    @property
    def direction(self) -> str:
        return self.language.direction if self.language else "ltr"

    def string(self, key: str) -> Localized:
        """An interface string. An unknown key is a programming error, not a fallback."""
        if self.english is None or key not in self.english.strings:
            raise KeyError(f"interface string {key!r} is not in toolkit_data/i18n/en.yaml: add it there")
        if self.lang != ENGLISH and self.language and key in self.language.strings:
            entry = self.language.strings[key]
            return Localized(entry.text, self.lang, False, entry.status)
        return Localized(self.english.strings[key].text, ENGLISH, self.lang != ENGLISH)

    def text(self, key: str, **params: object) -> str:
        """An interface string as plain text with its `{placeholders}` filled (for attributes and titles)."""
        text = self.string(key).text
        return text.format(**params) if params else text

    def field(self, item: BaseModel, name: str) -> Localized:
        """A content field of `item`: its translation when there is one, else the English text."""
        english = getattr(item, name)
        if self.lang == ENGLISH or english is None:
            return Localized(english or "", ENGLISH, False)
        translation = getattr(item, "translations", {}).get(self.lang)
        value = getattr(translation, name, None) if translation else None
        if value is not None and fresh(item, translation):
            return Localized(value, self.lang, False, translation.status)
        return Localized(english, ENGLISH, True)

    def has(self, item: BaseModel, name: str) -> bool:
        return not self.field(item, name).fallback


# ---------------------------------------------------------------- status


@dataclass
class StatusRow:
    lang: str
    kind: str
    total: int = 0  # English texts that could be translated
    translated: int = 0  # with a current translation
    needs_review: int = 0  # of those, not yet checked by a fluent reader
    stale: int = 0  # translated, but the English changed since

    @property
    def reviewed(self) -> int:
        """Translated and checked by a fluent reader."""
        return self.translated - self.needs_review

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 100


def status(ds: Dataset, only: str | None = None) -> list[StatusRow]:
    """Completeness per language (or only one) and content kind."""
    rows: list[StatusRow] = []
    english = ds.languages.get(ENGLISH)
    for lang in sorted(code for code in ds.languages if code != ENGLISH and only in (None, code)):
        language = ds.languages[lang]
        ui = StatusRow(lang, "interface strings", total=len(english.strings) if english else 0)
        for key, entry in language.strings.items():
            if english and key in english.strings:
                if entry.source_hash == fingerprint(english.strings[key].text):
                    ui.translated += 1
                    ui.needs_review += entry.status is TranslationStatus.NEEDS_REVIEW
                else:
                    ui.stale += 1
        rows.append(ui)
        terms = StatusRow(lang, "terminology", total=len(language.terminology), translated=len(language.terminology))
        terms.needs_review = sum(entry.status is TranslationStatus.NEEDS_REVIEW for entry in language.terminology)
        rows.append(terms)
        by_kind: dict[str, StatusRow] = {}
        for item in translatable_items(ds):
            kind = type(item).__name__
            row = by_kind.setdefault(kind, StatusRow(lang, KIND_LABELS.get(kind, kind)))
            translation = item.translations.get(lang)
            for name in translatable_fields(translation_class(type(item))):
                if not getattr(item, name):
                    continue
                row.total += 1
                if translation is None or getattr(translation, name) is None:
                    continue
                if fresh(item, translation):
                    row.translated += 1
                    row.needs_review += translation.status is TranslationStatus.NEEDS_REVIEW
                else:
                    row.stale += 1
        rows.extend(by_kind[kind] for kind in KIND_LABELS if kind in by_kind)
    return rows


def review_counts(ds: Dataset, lang: str) -> tuple[int, int]:
    """(checked by a fluent reader, translated): how far a language's translations have been reviewed."""
    rows = status(ds, only=lang)
    return sum(row.reviewed for row in rows), sum(row.translated for row in rows)


def format_status(rows: list[StatusRow]) -> str:
    lines = [f"{'lang':<5} {'content':<36} {'translated':>14} {'reviewed':>9} {'needs review':>13} {'stale':>6}"]
    for row in rows:
        done = f"{row.translated}/{row.total} {row.percent:>3}%"
        lines.append(f"{row.lang:<5} {row.kind:<36} {done:>14} {row.reviewed:>9} {row.needs_review:>13} {row.stale:>6}")
    return "\n".join(lines)


def status_json(rows: list[StatusRow]) -> list[dict[str, Any]]:
    return [
        {
            "lang": r.lang,
            "kind": r.kind,
            "total": r.total,
            "translated": r.translated,
            "reviewed": r.reviewed,
            "needs_review": r.needs_review,
            "stale": r.stale,
            "percent": r.percent,
        }
        for r in rows
    ]
