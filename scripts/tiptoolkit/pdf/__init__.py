"""PDF documents: views (`tiptoolkit.views`) laid out with Jinja templates and a print stylesheet by WeasyPrint.

    jinja     the templates' environment, filters and text functions
    layout    the one call into WeasyPrint: fetcher, fonts, stylesheets, PDF options, finisher
    toolkit, edition, accession, pocket    the documents, each a view + templates + layout; none imports another
    render    which document a language asks for; batch: every PDF of a build, cached, in parallel

Fonts and stylesheets are loaded on the first render and reused by every later render in the process.
"""

from .render import UnknownCountry, UnsupportedLanguage, html_to_pdf, render_country, render_html

__all__ = [
    "UnknownCountry",
    "UnsupportedLanguage",
    "html_to_pdf",
    "render_country",
    "render_html",
]
