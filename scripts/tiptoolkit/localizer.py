"""Text in an edition's language, for the site's and the PDFs' templates.

`t(key, **params)` writes an interface string, `tr(item, field, how)` a content field, `ts` and `trs` the same as
plain text. English stands in where a translation is missing: marked `lang="en"` (left to right, isolated, in a
right-to-left edition) and, for content, followed by a small "(English)" note.

Every text is written inert: HTML-escaped, with entities for the characters that Markdown, templates and attribute
lists read as syntax, because the site's generated pages are Markdown that MkDocs renders again. Entities read the
same in any HTML, so the PDFs' templates write text the same way.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from markupsafe import Markup, escape

from .i18n import ENGLISH, PLACEHOLDER, Localized, Translator
from .text import inline, markdown_to_html, plain

# Characters written as entities in plain text: braces (templates, attr_list), brackets (links, images), the rest of
# Markdown's inline syntax, and line breaks, so that the text shows exactly as typed.
INERT_IN_TEXT = str.maketrans(
    {
        "{": "&#123;",
        "}": "&#125;",
        "[": "&#91;",
        "]": "&#93;",
        "*": "&#42;",
        "_": "&#95;",
        "`": "&#96;",
        "\\": "&#92;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def any_of(table: dict[int, str]) -> re.Pattern[str]:
    """A search for the characters `table` rewrites: most values hold none, and searching is faster."""
    return re.compile("[" + re.escape("".join(map(chr, table))) + "]")


_TEXT_SYNTAX = any_of(INERT_IN_TEXT)


def inert(value: Any) -> Markup:
    """A value written exactly as it is."""
    html = escape(value)
    return Markup(str.translate(html, INERT_IN_TEXT)) if _TEXT_SYNTAX.search(html) else html


def literal(text: str) -> Markup:
    """Interface text, written as a template's own text is: `<`, `>` and `&` escaped, quotes left as they are."""
    return Markup(html_lib.escape(text, quote=False).translate(INERT_IN_TEXT))


class Localizer:
    """`t`, `ts`, `tr` and `trs` of one edition (a Translator's language).

    With `plain_fields`, content fields written as text lose their Markdown (`plain`): the PDFs' titles and labels.
    The site writes them as typed."""

    def __init__(self, translator: Translator, plain_fields: bool = False):
        self.translator = translator
        self.lang = translator.lang
        self.plain_fields = plain_fields
        self._constants: dict[str, Markup] = {}

    def _mark(self, localized: Localized, html: Markup, block: bool, note: bool) -> Markup:
        if not localized.fallback:
            return html
        marker = Markup("")
        if note:
            title = self.translator.string("fallback.title").text
            text = self.translator.string("fallback.marker").text
            marker = Markup(' <small class="tk-fallback" title="{}">{}</small>').format(title, text)
        direction = Markup(' dir="ltr"') if self.translator.direction == "rtl" else Markup("")
        if block:
            return Markup('<div lang="en"{} class="tk-en">{}</div>{}').format(direction, html, marker)
        return Markup('<span lang="en"{} class="tk-en">{}</span>{}').format(direction, html, marker)

    def t(self, key: str, **params: Any) -> Markup:
        """An interface string, its `{placeholders}` filled with inert values (or Markup as it is)."""
        if params:
            return self._fill(key, **params)
        if key not in self._constants:  # labels and headings, written again on every page
            self._constants[key] = self._fill(key)
        return self._constants[key]

    def _fill(self, key: str, **params: Any) -> Markup:
        localized = self.translator.string(key)
        html, position = [], 0
        for match in PLACEHOLDER.finditer(localized.text):
            value = params[match.group(1)]
            if isinstance(value, Markup) and localized.fallback:
                # A string in the edition's language inside an English one ("22 میں سے 45" in an untranslated
                # sentence) keeps its own language and direction: unmarked, the English run reorders its words.
                value = Markup('<span lang="{}" dir="{}">{}</span>').format(self.lang, self.translator.direction, value)
            html += [
                literal(localized.text[position : match.start()]),
                value if isinstance(value, Markup) else inert(value),
            ]
            position = match.end()
        html.append(literal(localized.text[position:]))
        return self._mark(localized, Markup("".join(html)), block=False, note=False)

    def ts(self, key: str, **params: Any) -> str:
        return self.translator.text(key, **params)

    def tr(self, item: Any, name: str, how: str = "text", note: bool = True) -> Markup:
        """A content field: `how` is `text` (see `plain_fields`), `inline`, `md` or `plain`."""
        localized = self.translator.field(item, name)
        if how == "md":
            return self._mark(localized, markdown_to_html(localized.text), block=True, note=note)
        if how == "inline":
            html = inline(localized.text)
        elif how == "plain" or self.plain_fields:
            html = inert(plain(localized.text))
        else:
            html = inert(localized.text)
        return self._mark(localized, html, block=False, note=note)

    def trs(self, item: Any, name: str) -> str:
        """A content field as text for titles and descriptions (see `plain_fields`), English when not translated."""
        text = self.translator.field(item, name).text
        return plain(text) if self.plain_fields else text

    def context(self) -> dict[str, Any]:
        """Everything a template needs to write in the edition's language."""
        months = None if self.lang == ENGLISH else self.translator.string("date.months").text.split()
        # attributes for an element holding English data in a translated edition (names, indicators...)
        en_attr = Markup("") if self.lang == ENGLISH else Markup(' lang="en"')
        if self.translator.direction == "rtl":
            en_attr += Markup(' dir="ltr"')
        return {
            "t": self.t,
            "ts": self.ts,
            "tr": self.tr,
            "trs": self.trs,
            "has": self.translator.has,
            "lang": self.lang,
            "months": months,
            "english": self.lang == ENGLISH,
            "en_attr": en_attr,
        }
