"""A country's draft amendment bill as a Word document a drafting office can work in at once.

Parts, chapters and sections are Heading 1, 2 and 3 (the navigation pane shows the bill's structure); subsections
(1), paragraphs (a) and sub-paragraphs (i) are the List, List 2 and List 3 styles; text in [square brackets] is the
Placeholder character style; each section's commentary and the national provision it amends are a Word comment
on its heading, not text of the bill.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.shared import Cm

from ..analysis import format_date
from ..views.common import AUTHOR
from ..views.drafts import BillSection, BillView, ChoiceView, Clause
from .package import xml_text
from .word import (
    LIST_INDENTS,
    NOTE_STYLE,
    PLACEHOLDER_STYLE,
    add_heading,
    add_paragraph,
    add_run,
    new_document,
    page_numbers,
    repeat_header_row,
    set_widths,
    to_bytes,
)

CLAUSE_STYLES = ("Body Text", *LIST_INDENTS)  # by clause level: body, (1), (a), (i)
INITIALS = "CTT"


def bill_docx(view: BillView) -> bytes:
    name = view.country
    document = new_document(
        view.title,
        f"Draft amendment bill for {name}, from the model provisions that close its recorded gaps",
        f"trafficking in persons; smuggling of migrants; draft bill; {name}",
    )
    page_numbers(document, view.title)
    _cover_note(document, view)
    for part in view.parts:
        add_heading(document, f"Part {part.number}. {part.title}", 1)
        for chapter in part.chapters:
            add_heading(document, f"Chapter {chapter.number}. {chapter.title}", 2)
            for section in chapter.sections:
                _section(document, section)
    _placeholders(document, view)
    return to_bytes(document, view.edition)


def _cover_note(document: DocumentObject, view: BillView) -> None:
    add_heading(document, view.title, 0)
    edition = format_date(view.edition) if view.edition else "undated"
    add_paragraph(document, "Subtitle", f"Draft prepared by the {AUTHOR}. Edition of {edition}.")
    add_heading(document, "Cover note", 1)
    add_paragraph(document, "Body Text", view.purpose)
    add_paragraph(document, "Intense Quote", view.disclaimer)
    add_paragraph(
        document,
        "Body Text",
        "Sections that the treaties require are marked as such under their heading; the others are recommended. "
        "Where the model law offers options, each option is printed with a box to mark the one chosen: keep it "
        "and delete the others. The comments in the margin are for the drafting office and are not part of the "
        "bill.",
    )


def _section(document: DocumentObject, section: BillSection) -> None:
    heading = add_heading(document, f"Section {section.number}. {section.title}", 3)
    required = "Required by the treaties" if section.mandatory else "Recommended"
    add_paragraph(
        document,
        NOTE_STYLE,
        f"{required}. {section.coverage} in the national law today. Model provision {section.key}.",
    )
    for clause in section.clauses:
        _clause(document, clause)
    for choice in section.choices:
        _choice(document, choice)
    comment = document.add_comment(heading.runs, text=xml_text(f"Commentary. {section.commentary}"), author=AUTHOR)
    comment.initials = INITIALS
    add_run(comment.add_paragraph(), f"National law today. {section.national}")
    add_run(comment.add_paragraph(), f"Full model text with its links: {section.url}")


def _clause(document: DocumentObject, clause: Clause) -> None:
    paragraph = add_paragraph(document, CLAUSE_STYLES[clause.level])
    if clause.label:
        add_run(paragraph, f"{clause.label}\t")  # the hanging indent is the list style's: the text lines up after it
    for span in clause.spans:
        add_run(paragraph, span.text, PLACEHOLDER_STYLE if span.kind == "placeholder" else None, span.kind == "bold")


def _choice(document: DocumentObject, choice: ChoiceView) -> None:
    how = "Choose one option" if choice.choose == "one" else "Choose one or more options"
    add_heading(document, f"{how}: {choice.title}", 4)
    for option in choice.options:
        add_run(add_paragraph(document, "Body Text"), f"☐ {option.label}", bold=True)
        for clause in option.clauses:
            _clause(document, clause)
        if option.note:
            add_paragraph(document, NOTE_STYLE, option.note)


def _placeholders(document: DocumentObject, view: BillView) -> None:
    add_heading(document, "Placeholders to fill in", 1)
    add_paragraph(
        document,
        "Body Text",
        f"Every text in square brackets in this draft, once, with the sections it appears in "
        f"({len(view.placeholders)} in all). Some are names to fill in (a ministry, an authority), some amounts "
        "or periods, some words to keep or delete.",
    )
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    for cell, heading in zip(table.rows[0].cells, ("Placeholder", "Sections"), strict=True):
        add_run(cell.paragraphs[0], heading, bold=True)
    repeat_header_row(table)
    for placeholder in view.placeholders:
        cells = table.add_row().cells
        add_run(cells[0].paragraphs[0], placeholder.text, PLACEHOLDER_STYLE)
        add_run(cells[1].paragraphs[0], ", ".join(str(number) for number in placeholder.sections))
    set_widths(table, (Cm(11), Cm(5)))
