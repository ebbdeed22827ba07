"""Render a country toolkit (or the regional edition, or a national-language edition) to PDF bytes.

    render_country(dataset, "NPL") -> bytes          # one country, A4, English
    render_country(dataset, "NPL", lang="ne")        # its Nepali edition
    render_country(dataset, None, paper="letter")    # the regional edition
    render_html(dataset, "NPL")                      # the HTML WeasyPrint lays out

Which document a language asks for is decided here: English is the toolkit (pdf/toolkit.py), another language a
national edition (pdf/edition.py). Cheap to call repeatedly in one process: the Jinja environment, the parsed
stylesheets and WeasyPrint's font configuration are built once per process and reused (pdf/jinja.py,
pdf/layout.py). The output is deterministic (dates come from the content, the PDF identifier from a hash of the
input), tagged (PDF/UA-1) and has fillable forms.
"""

from __future__ import annotations

from ..dataset import Dataset
from ..views.common import UnknownCountry, UnsupportedLanguage
from .edition import edition_html
from .layout import PAPERS, PDF_OPTIONS, Paper, html_to_pdf
from .toolkit import toolkit_html

LANGUAGES = ("en",)  # the languages of the full toolkit; the others are national editions

__all__ = [
    "LANGUAGES",
    "PAPERS",
    "PDF_OPTIONS",
    "UnknownCountry",
    "UnsupportedLanguage",
    "html_to_pdf",
    "render_country",
    "render_html",
]


def render_html(
    dataset: Dataset, iso3: str | None, lang: str = "en", paper: Paper = "a4", standalone: bool = False
) -> str:
    """The document's HTML: the toolkit in English, a national edition in another language. With `standalone`, the
    stylesheets are inlined in a <style> element, so bare `weasyprint.HTML(string=...)` lays out the same."""
    if lang in LANGUAGES:
        return toolkit_html(dataset, iso3, paper, standalone)
    return edition_html(dataset, iso3, lang, paper, standalone)


def render_country(dataset: Dataset, iso3: str | None, lang: str = "en", paper: Paper = "a4") -> bytes:
    """The toolkit PDF of one country (ISO3 code, any case), or of the region when `iso3` is None.

    Raises UnknownCountry, UnsupportedLanguage or ValueError (paper) before any layout work.
    """
    return html_to_pdf(render_html(dataset, iso3, lang, paper), paper)
