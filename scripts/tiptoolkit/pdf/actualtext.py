"""Extractable text for complex scripts: each line of text outside the Latin ranges is wrapped in a marked-content
span whose /ActualText is the line's Unicode text, in logical order.

WeasyPrint maps each glyph to Unicode once per font (ToUnicode). That is exact for Latin text, but not for shaped
scripts: a Devanagari conjunct, a pre-base vowel sign or an Urdu contextual form is a glyph whose text depends on
its cluster, and glyphs come in visual order. PDF readers, screen readers and `pdftotext` honour /ActualText
(ISO 32000-1, 14.9.4), so copy, search and accessibility get the text as written. Installed once per process by
`install()`; Latin-only lines are drawn exactly as before.
"""

from __future__ import annotations

import functools
import re

# Scripts whose glyphs do not map one to one to characters: Indic scripts, Sinhala, Thaana, Tibetan. Arabic script
# is left to the ToUnicode map: set in Naskh its glyphs map one to one, and readers reorder right-to-left text
# themselves (poppler reverses an /ActualText it is given in logical order).
_COMPLEX = re.compile(r"[\u0900-\u0dff\u0780-\u07bf\u0f00-\u0fff\u1000-\u109f]")


def install() -> None:
    """Wrap WeasyPrint's line drawing (idempotent)."""
    import pydyf
    from weasyprint.draw import text

    original = text.draw_first_line
    if getattr(original, "actual_text", False):
        return

    @functools.wraps(original)
    def draw_first_line(stream, textbox, *args, **kwargs):
        line = textbox.pango_layout.text
        if not _COMPLEX.search(line):
            return original(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(line)}))
        try:
            return original(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_first_line.actual_text = True
    text.draw_first_line = draw_first_line
