"""The referral form as a fillable Word form, for offices that exchange Word files rather than PDFs.

Each field is a content control (Word's form fields of today, which LibreOffice also fills in): plain text,
several lines, a date picker, a drop-down list of the form's choices, or a check box; its tag is the field's id,
as in the PDF form, so an office can read the answers back. Sections are Heading 2, fields a two-column table.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from ..analysis import format_date
from ..views.common import AUTHOR
from ..views.drafts import ReferralField, ReferralView
from .word import NOTE_STYLE, add_paragraph, add_run, new_document, repeat_header_row, set_widths, to_bytes

PROMPT = {"date": "Choose a date", "choice": "Choose one", "checkbox": ""}
EMPTY_PROMPT = "Type here"
CHECK_BOX = ("2610", "2612")  # ☐ and ☒, as Word's check box content control shows them


def referral_docx(view: ReferralView) -> bytes:
    document = new_document(
        view.title,
        "Cross-border referral form for a presumed victim of trafficking or a smuggled migrant",
        "referral; trafficking in persons; smuggling of migrants; cross-border cooperation",
    )
    document.add_heading(view.title, level=0)
    edition = format_date(view.edition) if view.edition else "undated"
    add_paragraph(document, "Subtitle", f"Prepared by the {AUTHOR}. Edition of {edition}.")
    add_paragraph(document, "Body Text", view.instructions)
    add_paragraph(
        document,
        NOTE_STYLE,
        "Fields marked * are required. Fields marked as personal data are shared only with the person's informed "
        "consent or on a legal basis. On paper, write the answer in the box; the choices of a list are printed "
        "under the field.",
    )
    for section in view.sections:
        document.add_heading(section.title, level=2)
        table = document.add_table(rows=1, cols=2)
        table.style = document.styles["Table Grid"]
        for cell, heading in zip(table.rows[0].cells, ("Field", "Answer"), strict=True):
            add_run(cell.paragraphs[0], heading, bold=True)
        repeat_header_row(table)
        for field in section.fields:
            label, answer = table.add_row().cells
            _label(label, field)
            _control(answer.paragraphs[0], field)
        set_widths(table, (Cm(6.5), Cm(9.5)))
    return to_bytes(document, view.edition)


def _label(cell, field: ReferralField) -> None:
    paragraph = cell.paragraphs[0]
    add_run(paragraph, field.label + (" *" if field.required else ""), bold=True)
    if field.sensitive:
        add_run(paragraph, " (personal data)")
    if field.help:
        add_paragraph(cell, NOTE_STYLE, field.help)
    if field.choices:
        add_paragraph(cell, NOTE_STYLE, "Choices: " + "; ".join(field.choices) + ".")


def _control(paragraph, field: ReferralField) -> None:
    """A content control for `field` at the end of `paragraph`; every value is set as an attribute or text."""
    sdt, properties, content = OxmlElement("w:sdt"), OxmlElement("w:sdtPr"), OxmlElement("w:sdtContent")
    for name, value in (("w:alias", field.label[:255]), ("w:tag", field.id)):
        element = OxmlElement(name)
        element.set(qn("w:val"), value)
        properties.append(element)
    properties.append(_kind(field))
    shown = OxmlElement("w:r")
    text = OxmlElement("w:t")
    if field.kind == "checkbox":
        text.text = chr(int(CHECK_BOX[0], 16))
    else:
        properties.append(OxmlElement("w:showingPlcHdr"))
        text.text = PROMPT.get(field.kind, EMPTY_PROMPT)
    shown.append(text)
    content.append(shown)
    sdt.append(properties)
    sdt.append(content)
    paragraph._p.append(sdt)


def _kind(field: ReferralField):
    if field.kind == "date":
        element = OxmlElement("w:date")
        for name, value in (("w:dateFormat", "yyyy-MM-dd"), ("w:lid", "en-GB"), ("w:calendar", "gregorian")):
            child = OxmlElement(name)
            child.set(qn("w:val"), value)
            element.append(child)
        return element
    if field.kind == "choice":
        element = OxmlElement("w:dropDownList")
        for choice in field.choices:
            item = OxmlElement("w:listItem")
            item.set(qn("w:displayText"), choice)
            item.set(qn("w:value"), choice)
            element.append(item)
        return element
    if field.kind == "checkbox":
        element = OxmlElement("w14:checkbox")
        checked = OxmlElement("w14:checked")
        checked.set(qn("w14:val"), "0")
        element.append(checked)
        for name, code in zip(("w14:uncheckedState", "w14:checkedState"), CHECK_BOX, strict=True):
            state = OxmlElement(name)
            state.set(qn("w14:val"), code)
            state.set(qn("w14:font"), "MS Gothic")
            element.append(state)
        return element
    element = OxmlElement("w:text")
    if field.kind == "multiline":
        element.set(qn("w:multiLine"), "1")
    return element
