"""The country toolkit and the regional edition, in English: the toolkit view laid out with its templates.

toolkit_html(dataset, "NPL")                    # the HTML WeasyPrint lays out
toolkit_html(dataset, None, paper="letter")     # the regional edition
"""

from __future__ import annotations

from ..dataset import Dataset
from ..views.common import provision_title
from ..views.toolkit import build_toolkit
from .jinja import environment, template_functions
from .layout import Paper, check_paper, inline_css


def toolkit_html(dataset: Dataset, iso3: str | None, paper: Paper = "a4", standalone: bool = False) -> str:
    """The toolkit as HTML. With `standalone`, the stylesheets are inlined in a <style> element, so bare
    `weasyprint.HTML(string=...)` lays out exactly the same document."""
    check_paper(paper)
    tk = build_toolkit(dataset, iso3, "en")
    chapters = {(law.id, ch.id): ch.number for law in dataset.model_laws.values() for ch in law.chapters}
    stylesheet = inline_css(paper) if standalone else None
    return (
        environment()
        .get_template("toolkit.html.j2")
        .render(
            tk=tk,
            stylesheet=stylesheet,
            **template_functions(dataset, "en"),
            short_provision_title=lambda row: provision_title(row.law, row.provision, several=False),
            provision_label=lambda row: provision_title(row.law, row.provision, several=True),
            chapter_number=lambda item: chapters.get((item.law.id, item.provision.chapter), ""),
        )
    )
