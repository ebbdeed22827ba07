"""The referral form as a fillable Word form, for offices that exchange Word files rather than PDFs.

Each field is a content control (Word's form fields of today, which LibreOffice also fills in): plain text,
several lines, a date picker, a drop-down list of the form's choices, or a check box; its tag is the field's id,
as in the PDF form, so an office can read the answers back. Sections are Heading 2, fields a two-column table.
A national-language form is in the edition's language where the form is translated, English elsewhere, and says
on its first page that its translation has not been checked yet.
"""

from __future__ import annotations

from docx.shared import Cm

from ..views.drafts import ReferralField, ReferralView, Words
from .package import property_text, xml_text
from .word import NOTE_STYLE, add_paragraph, add_run, element, new_document, page_numbers, set_widths, to_bytes

PROMPT = {"date": "YYYY-MM-DD", "checkbox": ""}
EMPTY_PROMPT = "…"  # a control's empty look: no words, so it suits every language
CHECK_BOX = ("2610", "2612")  # ☐ and ☒, as Word's check box content control shows them


def referral_docx(view: ReferralView) -> bytes:
    rtl = view.direction == "rtl"
    document = new_document(
        view.title.text,
        "Cross-border referral form for a presumed victim of trafficking or a smuggled migrant",
        "referral; trafficking in persons; smuggling of migrants; cross-border cooperation",
        lang=view.lang,
        script=view.script,
        rtl=rtl,
    )
    page_numbers(document, view.title.text, " · ", " / ")
    _words(document.add_heading(level=0), view.title, view)
    add_run(add_paragraph(document, "Subtitle"), view.subtitle, rtl=rtl)
    if view.review_note:
        add_run(add_paragraph(document, "Intense Quote"), view.review_note, rtl=rtl)
    _words(add_paragraph(document, "Body Text"), view.instructions, view)
    _words(add_paragraph(document, NOTE_STYLE), view.legend, view)
    for section in view.sections:
        _words(document.add_heading(level=2), section.title, view)
        table = document.add_table(rows=0, cols=2)
        table.style = document.styles["Table Grid"]
        if rtl:
            table._tbl.tblPr.append(element("w:bidiVisual"))  # the label column on the right
        for field in section.fields:
            label, answer = table.add_row().cells
            _label(label, field, view)
            _control(answer.paragraphs[0], field)
        set_widths(table, (Cm(6.5), Cm(9.5)))
    return to_bytes(document, view.edition)


def _words(paragraph, words: Words, view: ReferralView, bold: bool = False) -> None:
    """`words` into `paragraph`, right to left when they are in the form's right-to-left language."""
    add_run(paragraph, words.text, bold=bold, rtl=view.direction == "rtl" and words.lang == view.lang)


def _label(cell, field: ReferralField, view: ReferralView) -> None:
    paragraph = cell.paragraphs[0]
    _words(paragraph, field.label, view, bold=True)
    if field.required:
        add_run(paragraph, " *", bold=True)
    if field.sensitive:
        add_run(paragraph, " · ")
        _words(paragraph, view.sensitive, view)
    if field.help:
        _words(add_paragraph(cell, NOTE_STYLE), field.help, view)
    if field.choices:
        add_run(add_paragraph(cell, NOTE_STYLE), " / ".join(field.choices))


def _control(paragraph, field: ReferralField) -> None:
    """A content control for `field` at the end of `paragraph`; every value is set as an attribute or text."""
    checkbox = field.kind == "checkbox"
    properties = element(
        "w:sdtPr",
        {},
        element("w:alias", {"w:val": property_text(field.label.text)}),
        element("w:tag", {"w:val": field.id}),
        _kind(field),
        *([] if checkbox else [element("w:showingPlcHdr")]),
    )
    shown = element("w:t")
    shown.text = chr(int(CHECK_BOX[0], 16)) if checkbox else PROMPT.get(field.kind, EMPTY_PROMPT)
    paragraph._p.append(element("w:sdt", {}, properties, element("w:sdtContent", {}, element("w:r", {}, shown))))


def _kind(field: ReferralField):
    if field.kind == "date":
        formats = (("w:dateFormat", "yyyy-MM-dd"), ("w:lid", "en-GB"), ("w:calendar", "gregorian"))
        return element("w:date", {}, *(element(name, {"w:val": value}) for name, value in formats))
    if field.kind == "choice":
        items = (element("w:listItem", {"w:displayText": xml_text(c), "w:value": xml_text(c)}) for c in field.choices)
        return element("w:dropDownList", {}, *items)
    if field.kind == "checkbox":
        states = (
            element(name, {"w14:val": code, "w14:font": "MS Gothic"})
            for name, code in zip(("w14:uncheckedState", "w14:checkedState"), CHECK_BOX, strict=True)
        )
        return element("w14:checkbox", {}, element("w14:checked", {"w14:val": "0"}), *states)
    return element("w:text", {"w:multiLine": "1"} if field.kind == "multiline" else {})
