"""What every Word file of the toolkit shares: page, properties, the project's own styles, page numbers, saving.

Text goes in through python-docx runs only, never as XML: a YAML string cannot become markup here.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ..views.common import AUTHOR
from .package import property_text, reproducible, xml_text

PLACEHOLDER_STYLE = "Placeholder"  # character style of text in [square brackets], to fill in or choose
NOTE_STYLE = "Drafting Note"  # paragraph style of the notes that are not part of the text
LIST_INDENTS = {"List": 0.0, "List 2": 1.0, "List 3": 2.0}  # cm: subsections (1), paragraphs (a), (i)


# The face Word and LibreOffice use for each script (ISO 15924); where it is not installed, Word substitutes its own.
SCRIPT_FONTS = {"Deva": "Noto Sans Devanagari", "Beng": "Noto Sans Bengali", "Arab": "Noto Naskh Arabic"}
BIDI_FOLLOWERS = tuple(  # what comes after <w:bidi/> in a paragraph's properties, in the schema's order
    f"w:{name}"
    for name in [
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)
# The language tag Word expects for each interface language: a language and the country where it is written.
WORD_LANGUAGES = {"en": "en-GB", "ne": "ne-NP", "hi": "hi-IN", "bn": "bn-BD", "ur": "ur-PK"}


def new_document(
    title: str, subject: str, keywords: str, lang: str = "en", script: str = "Latn", rtl: bool = False
) -> DocumentObject:
    """An A4 document with its properties and the project's styles (which an office can restyle at once), in
    `lang`: text in its script is tagged with the language and set in the script's face; `rtl` paragraphs run
    right to left."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    properties = document.core_properties
    properties.title, properties.subject, properties.keywords = map(property_text, (title, subject, keywords))
    properties.author = properties.last_modified_by = AUTHOR
    properties.language, properties.revision = WORD_LANGUAGES.get(lang, lang), 1
    _styles(document)
    _language(document, lang, script, rtl)
    return document


def _language(document: DocumentObject, lang: str, script: str, rtl: bool) -> None:
    """English for Latin text; `lang` and its script's face for text in another script; right to left if `rtl`."""
    normal = document.styles["Normal"].element
    properties = normal.get_or_add_rPr()
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), WORD_LANGUAGES["en"])
    if lang != "en":
        tag.set(qn("w:bidi"), WORD_LANGUAGES.get(lang, lang))
    properties.append(tag)
    if script in SCRIPT_FONTS:
        properties.get_or_add_rFonts().set(qn("w:cs"), SCRIPT_FONTS[script])
    if rtl:
        normal.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *BIDI_FOLLOWERS)


def _styles(document: DocumentObject) -> None:
    styles = document.styles
    # The template's hundred table designs are never used; python-docx scans every style on each style it sets.
    for style in [style for style in styles if style.type == WD_STYLE_TYPE.TABLE]:
        if style.name not in ("Normal Table", "Table Grid"):
            style.delete()
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    for name, indent in LIST_INDENTS.items():
        form = styles[name].paragraph_format
        form.left_indent, form.first_line_indent = Cm(indent + 1.0), Cm(-1.0)
        form.space_after = Pt(4)
    placeholder = styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    placeholder.base_style = styles["Default Paragraph Font"]
    placeholder.font.color.rgb = RGBColor(0x7A, 0x3E, 0x00)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "FFF0C2")
    placeholder.element.get_or_add_rPr().append(shading)
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.italic = True
    note.font.size = Pt(9.5)
    note.font.color.rgb = RGBColor(0x4A, 0x4A, 0x4A)


def page_numbers(document: DocumentObject, title: str, page: str = " · page ", of: str = " of ") -> None:
    """The footer: the document's title, then `page N of M` (Word fields, updated by Word and LibreOffice)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.add_run(xml_text(f"{title}{page}"))
    _field(paragraph, "PAGE")
    paragraph.add_run(of)
    _field(paragraph, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def add_paragraph(container, style: str, text: str = "") -> Paragraph:
    """A paragraph of `style` at the end of `container` (document, cell or comment).

    The style is set by its id (its name without spaces, for every style used here): python-docx looks a style
    name up by scanning every style of the document, which made a bill take a second."""
    paragraph = container.add_paragraph()
    paragraph._p.get_or_add_pPr().style = style.replace(" ", "")
    if text:
        add_run(paragraph, text)
    return paragraph


def add_heading(document: DocumentObject, text: str, level: int) -> Paragraph:
    """A heading (0: the title) holding `text`."""
    paragraph = document.add_heading(level=level)
    add_run(paragraph, text)
    return paragraph


def add_run(paragraph: Paragraph, text: str, style: str | None = None, bold: bool = False, rtl: bool = False) -> None:
    """A run of `text`, in a character style (set by id, as above) or bold; `rtl` for right-to-left script."""
    run = paragraph.add_run(xml_text(text))
    if style:
        run._r.get_or_add_rPr().style = style.replace(" ", "")
    if bold:
        run.bold = True
        run._r.get_or_add_rPr().append(OxmlElement("w:bCs"))  # bold in the complex-script face too
    if rtl:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def element(tag: str, attributes: dict[str, str] | None = None, *children: object) -> object:
    """An XML element of the document (`w:sdt`...) with its attributes (`{"w:val": ...}`) and children."""
    made = OxmlElement(tag)
    for name, value in (attributes or {}).items():
        made.set(qn(name), value)
    made.extend(children)
    return made


def repeat_header_row(table) -> None:
    """The table's first row is repeated at the top of each page it runs onto."""
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def set_widths(table, widths: tuple) -> None:
    """Column widths, written both where Word reads them (each cell) and where LibreOffice does (the grid)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def to_bytes(document: DocumentObject, stamp: date | None) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible(buffer.getvalue(), stamp)
