"""Language of the parts of a PDF in another language than the document's: each structure element made for an
HTML element with a `lang` attribute carries it as /Lang (ISO 32000-1, 14.9.2), so that a screen reader reading
a Nepali edition speaks its English passages (a treaty's title, a law's name) as English.

WeasyPrint writes the document's language in the catalogue only. Installed once per process by `install()`,
which wraps WeasyPrint's building of the structure tree; an element without a `lang` is built as before.
"""

from __future__ import annotations

import functools


def install() -> None:
    """Wrap WeasyPrint's structure tree building (idempotent; nothing is done if WeasyPrint's changes)."""
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "languages", False):
        return

    @functools.wraps(original)
    def build_box_tree(box, *args, **kwargs):
        lang = None if box.element is None or box.element_tag in ("html", "body") else box.element.get("lang")
        for element in original(box, *args, **kwargs):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    build_box_tree.languages = True
    tags._build_box_tree = build_box_tree
