"""National-language editions of a country toolkit (`npl-ne`, `bgd-bn`, `pak-ur`...), laid out in the reader's
script: the Noto fonts of that script and, for Urdu, right to left with mirrored running heads, page numbers and
tables. Page numbers use the digits of the text (Western digits, as in its dates, counts and citations). What an edition holds is its view's (views/edition.py).
"""

from __future__ import annotations

from markupsafe import Markup

from .. import analysis
from ..dataset import Dataset
from ..model import Coverage
from ..views.common import UnsupportedLanguage
from ..views.edition import build_edition, editions, months
from .jinja import environment
from .layout import Paper, check_paper, css_fonts, css_string, inline_css


def edition_html(dataset: Dataset, iso3: str | None, lang: str, paper: Paper = "a4", standalone: bool = False) -> str:
    """A national-language edition: the translated parts of a country toolkit (see views/edition.py)."""
    check_paper(paper)
    if iso3 is None or (iso3.lower(), lang) not in editions(dataset):
        known = ", ".join(f"{c.upper()} --lang {code}" for c, code in editions(dataset))
        raise UnsupportedLanguage(f"no {lang!r} edition for {iso3 or 'the region'}: editions are {known}")
    ed, l10n = build_edition(dataset, iso3, lang)
    month_names = months(l10n.translator)

    def date(value: object) -> str:
        return analysis.format_date(value, month_names)

    def status(cell: analysis.RatificationCell) -> Markup:
        if not cell.record:
            return l10n.t("ratification.no_record")
        label = l10n.t("ratification." + cell.status.value.replace("-", "_"))
        details = [l10n.ts("action." + cell.record.action.value)] if cell.record.action else []
        if cell.date:
            details.append(date(cell.date))
        return Markup("{} ({})").format(label, ", ".join(details)) if details else label

    stylesheet = inline_css(paper) if standalone else None
    return (
        environment()
        .get_template("edition.html.j2")
        .render(
            ed=ed,
            t=l10n.t,
            ts=l10n.ts,
            tr=l10n.tr,
            d=date,
            status=status,
            Coverage=Coverage,
            stylesheet=stylesheet,
            css=css_string,
            fonts=css_fonts(lang),
        )
    )
