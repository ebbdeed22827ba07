"""Legal terms held to one rendering per language, from the terminology base in `toolkit_data/i18n/<lang>.yaml`.

Each entry of a language's `terminology` gives an English term, its rendering taken from a national source, other
accepted forms, and renderings found wrong (`avoid`). Two rules follow:

- a translated text whose English uses the term (or its plural) uses the rendering or one of its forms;
- where the English uses the term, no rendering on its `avoid` list appears as a word of its own, unless that word
  is the rendering of another term the same English uses ("ratification or approval").

An entry's `exceptions` excuse named texts, with the reason. Pure data layer: no MkDocs, no WeasyPrint.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from .dataset import Dataset
from .i18n import ENGLISH, TranslatedText, translated_texts
from .model import TermRendering


@dataclass(frozen=True)
class Misuse:
    """A translated text that departs from the terminology base."""

    text: TranslatedText
    entry: TermRendering
    found: str | None = None  # the avoided rendering it uses; None when the rendering is missing

    def message(self, lang: str) -> str:
        where = f"the {lang!r} terminology in i18n/{lang}.yaml"
        if self.found is not None:
            return (
                f"{self.found!r} is not how {self.entry.en!r} is rendered: write {self.entry.term!r} ({where}), "
                f"or add an exception there at {self.text.at!r} with the reason"
            )
        return (
            f"the English says {self.entry.en!r}: use {self.entry.term!r} ({where}), "
            f"or add an exception there at {self.text.at!r} with the reason"
        )


@cache
def english_term(en: str) -> re.Pattern[str]:
    """The English term as a whole word or phrase, singular or plural, in any case."""
    words = r"[\s\-]+".join(re.escape(word) for word in en.split())
    return re.compile(rf"(?<!\w){words}(?:e?s)?(?!\w)", re.IGNORECASE)


def says(english: str, entry: TermRendering) -> bool:
    return english_term(entry.en).search(english) is not None


def renderings(entry: TermRendering) -> list[str]:
    return [entry.term, *entry.forms]


def uses(text: str, entry: TermRendering) -> bool:
    """The rendering or one of its forms appears, endings attached or not."""
    folded = text.casefold()
    return any(form.casefold() in folded for form in renderings(entry))


def word_starts(text: str, word: str) -> Iterator[int]:
    """Where `word` begins a word of `text` (not inside another word; endings may follow)."""
    start = text.find(word)
    while start >= 0:
        if start == 0 or unicodedata.category(text[start - 1])[0] not in "LM":
            yield start
        start = text.find(word, start + 1)


def avoided(text: TranslatedText, entry: TermRendering, said: list[TermRendering]) -> str | None:
    """The first avoided rendering the text uses that no term of the same English accounts for."""
    accounted = [form for other in said for form in renderings(other)]
    for word in entry.avoid:
        if any(word in form for form in accounted):
            continue
        if next(word_starts(text.text, word), None) is not None:
            return word
    return None


def misuses(ds: Dataset, lang: str) -> Iterator[Misuse]:
    """Every translated text into `lang` that departs from its terminology base."""
    language = ds.languages.get(lang)
    if lang == ENGLISH or language is None or not language.terminology:
        return
    for text in translated_texts(ds, lang):
        said = [entry for entry in language.terminology if says(text.english, entry)]
        for entry in said:
            if any(exception.at == text.at for exception in entry.exceptions):
                continue
            found = avoided(text, entry, said)
            if found is not None or not uses(text.text, entry):
                yield Misuse(text, entry, found)


def unused_exceptions(ds: Dataset, lang: str) -> Iterator[tuple[TermRendering, int]]:
    """Exceptions that excuse nothing: no text by that name whose English uses the term."""
    language = ds.languages.get(lang)
    if language is None:
        return
    english_at = {text.at: text.english for text in translated_texts(ds, lang)}
    for entry in language.terminology:
        for index, exception in enumerate(entry.exceptions):
            english = english_at.get(exception.at)
            if english is None or not says(english, entry):
                yield entry, index
