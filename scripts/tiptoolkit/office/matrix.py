"""The action plan matrix as a spreadsheet a planning office keeps: an overview, then one sheet per pillar.

Each pillar's sheet has one row per activity; lead and status are drop-down lists (typed values are allowed for
the lead); the header row is frozen and filtered; pages print landscape, fitted to the width, the header row
repeated. The overview counts each pillar's activities by status with formulas, so it follows the plan as it is
filled in. Cell values are written as values: a text that starts with `=` stays text.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..analysis import format_date
from ..views.common import AUTHOR
from ..views.drafts import MatrixRow, MatrixSheet, PlanMatrix
from .package import property_text, reproducible, xml_text

COLUMNS = (  # heading, width in characters, what a row shows
    ("Objective", 20, lambda row: row.objective),
    ("Activity", 28, lambda row: row.activity),
    ("Indicators", 34, lambda row: "\n".join(f"• {item}" for item in row.indicators)),
    ("Means of verification", 26, lambda row: "\n".join(f"• {item}" for item in row.verification)),
    ("Lead agency", 20, lambda row: row.lead),
    ("Partners", 24, lambda row: row.partners),
    ("Timeline", 11, lambda row: row.timeline),
    ("Budget line covers", 24, lambda row: row.budget),
    ("Budget amount and source", 14, lambda row: ""),
    ("Status", 12, lambda row: ""),
    ("Priority", 22, lambda row: row.priority),
    ("Treaty articles and standards served", 22, lambda row: "; ".join(row.serves)),
)
LEAD, STATUS = (1 + [heading for heading, _w, _v in COLUMNS].index(name) for name in ("Lead agency", "Status"))
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
PRIORITY_FILL = PatternFill("solid", fgColor="FFF0C2")
WRAP = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 15  # points, for the default 11-point font
LISTS = "Lists"  # the hidden sheet that holds the drop-down lists


def matrix_xlsx(view: PlanMatrix) -> bytes:
    workbook = Workbook()
    overview = workbook.active
    overview.title = "Overview"
    _lists(workbook, view)
    for sheet in view.sheets:
        _pillar_sheet(workbook.create_sheet(sheet_name(sheet.title)), sheet)
    _overview(overview, view)
    properties = workbook.properties
    properties.title, properties.creator, properties.lastModifiedBy = property_text(view.title), AUTHOR, AUTHOR
    properties.subject = "National action plan against trafficking in persons and the smuggling of migrants"
    properties.language = "en"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue(), view.edition)


def _lists(workbook: Workbook, view: PlanMatrix) -> None:
    """The lists the drop-downs offer, on a hidden sheet, as the workbook's names `Leads` and `Statuses`."""
    sheet = workbook.create_sheet(LISTS)
    sheet.sheet_state = "hidden"
    for column, (name, values) in enumerate((("Leads", view.leads), ("Statuses", view.statuses)), start=1):
        sheet.cell(1, column, name)
        for row, value in enumerate(values, start=2):
            _text(sheet.cell(row, column), value)
        letter = get_column_letter(column)
        reference = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"
        workbook.defined_names[name] = DefinedName(name, attr_text=reference)


def _pillar_sheet(sheet: Worksheet, pillar: MatrixSheet) -> None:
    for column, (heading, width, _value) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, column, heading)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = LINE_HEIGHT * max(wrapped_lines(h, w) for h, w, _v in COLUMNS)
    for number, row in enumerate(pillar.rows, start=2):
        _activity_row(sheet, number, row)
    last = len(pillar.rows) + 1
    sheet.freeze_panes = "C2"  # the header row, and the objective and activity beside every column
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    _drop_down(sheet, "Leads", LEAD, last, strict=False)
    _drop_down(sheet, "Statuses", STATUS, last, strict=True)
    _print_setup(sheet)


def _activity_row(sheet: Worksheet, number: int, row: MatrixRow) -> None:
    lines = 1
    for column, (_heading, width, value) in enumerate(COLUMNS, start=1):
        text = value(row)
        cell = _text(sheet.cell(number, column), text)
        cell.alignment = WRAP
        if row.priority and column == len(COLUMNS) - 1:
            cell.fill = PRIORITY_FILL
        lines = max(lines, wrapped_lines(text, width))
    # Spreadsheets do not grow a row to its wrapped text when the file is opened: its height is written here.
    sheet.row_dimensions[number].height = LINE_HEIGHT * lines


def wrapped_lines(text: str, width: int) -> int:
    """About how many lines `text` takes in a column `width` characters wide (words are not split)."""
    count = 0
    for paragraph in text.split("\n"):
        line, count = 0, count + 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > width - 1:
                line, count = 0, count + 1
            line += len(word) + (1 if line else 0)
    return count


def _drop_down(sheet: Worksheet, source: str, column: int, last: int, strict: bool) -> None:
    letter = get_column_letter(column)
    validation = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False)
    validation.showErrorMessage = strict  # a lead not in the list can be typed; a status must be one of the list
    validation.error = "Choose a status from the list."
    validation.promptTitle = sheet.cell(1, column).value
    validation.prompt = "Choose from the list." if strict else "Choose from the list, or type the agency."
    validation.showInputMessage = True
    validation.add(f"{letter}2:{letter}{max(last, 2) + 200}")  # room for the rows a plan adds
    sheet.add_data_validation(validation)


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = "&A · page &P of &N"


def _overview(sheet: Worksheet, view: PlanMatrix) -> None:
    _text(sheet["A1"], view.title)
    sheet["A1"].font = Font(bold=True, size=14)
    edition = format_date(view.edition) if view.edition else "undated"
    _text(sheet["A2"], f"Prepared by the {AUTHOR}. Edition of {edition}.")
    _text(sheet["A3"], view.instructions)
    sheet["A3"].alignment = WRAP
    sheet.merge_cells("A3:H3")
    sheet.row_dimensions[3].height = LINE_HEIGHT * wrapped_lines(view.instructions, 36 + 7 * 15)
    row = 5
    for what, value in view.facts:
        _text(sheet.cell(row, 1), what).font = Font(bold=True)
        _text(sheet.cell(row, 2), value)
        row += 1
    _status_table(sheet, view, row + 1)
    sheet.column_dimensions["A"].width = 36
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 15
    _print_setup(sheet)


def _status_table(sheet: Worksheet, view: PlanMatrix, top: int) -> None:
    """Activities per pillar, priorities, and how many have each status: formulas over the pillar sheets."""
    headings = ("Pillar", "Activities", "Priorities", *view.statuses)
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(top, column, heading)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, horizontal="left" if column == 1 else "right")
    status = get_column_letter(STATUS)
    priority = get_column_letter(len(COLUMNS) - 1)
    for offset, pillar in enumerate(view.sheets, start=1):
        name = quote_sheetname(sheet_name(pillar.title))
        row = top + offset
        _text(sheet.cell(row, 1), pillar.title)
        sheet.cell(row, 2, f"=COUNTA({name}!B2:B1000)")
        sheet.cell(row, 3, f'=COUNTIF({name}!{priority}2:{priority}1000,"Priority*")')
        for column, value in enumerate(view.statuses, start=4):
            sheet.cell(row, column, f'=COUNTIF({name}!{status}2:{status}1000,"{value}")')


def sheet_name(title: str) -> str:
    """A pillar's title as a sheet name: without the characters a sheet name cannot hold, at most 31 long."""
    return re.sub(r"[\[\]:*?/\\']", " ", xml_text(title)).strip()[:31].strip() or "Pillar"


def _text(cell: Cell, value: str) -> Cell:
    """Write `value` as text whatever it looks like: content never becomes a formula."""
    cell.value = xml_text(value)
    if value.startswith("="):
        cell.data_type = "s"
    return cell
