"""The stand-alone accession kit: `<iso3>-accession-<instrument>-<lang>.pdf`, A4, laid out with the toolkit's
stylesheet from its view (views/kits.py)."""

from __future__ import annotations

from ..dataset import Dataset
from ..i18n import ENGLISH
from ..views.kits import accession_view
from .jinja import environment, template_functions
from .layout import html_to_pdf


def accession_html(ds: Dataset, iso3: str, instrument_id: str, lang: str = ENGLISH) -> str:
    view = accession_view(ds, iso3, instrument_id, lang)
    return environment().get_template("accession_kit.html.j2").render(**view, **template_functions(ds, lang))


def render_accession(ds: Dataset, iso3: str, instrument_id: str, lang: str = ENGLISH) -> bytes:
    return html_to_pdf(accession_html(ds, iso3, instrument_id, lang), "a4")
