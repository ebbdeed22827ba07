"""A country's frontline pocket guide: `<iso3>-pocket-<lang>.pdf`, A6, laid out with pocket.css in the script's
fonts from its view (views/kits.py)."""

from __future__ import annotations

from ..dataset import Dataset
from ..i18n import ENGLISH
from ..views.kits import pocket_view
from .jinja import environment, template_functions
from .layout import css_fonts, pocket_to_pdf


def pocket_html(ds: Dataset, iso3: str, lang: str = ENGLISH) -> str:
    view = pocket_view(ds, iso3, lang)
    return (
        environment()
        .get_template("pocket.html.j2")
        .render(**view, fonts=css_fonts(lang), **template_functions(ds, lang))
    )


def render_pocket(ds: Dataset, iso3: str, lang: str = ENGLISH) -> bytes:
    return pocket_to_pdf(pocket_html(ds, iso3, lang))
