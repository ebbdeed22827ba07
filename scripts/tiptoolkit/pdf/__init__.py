"""PDF toolkits: Jinja templates + a print stylesheet, laid out by WeasyPrint.

Importing this package imports WeasyPrint (the fetcher subclasses its URLFetcher); fonts and
stylesheets are loaded on the first render and reused by every later render in the process.
"""

from .context import UnknownCountry
from .render import UnsupportedLanguage, html_to_pdf, render_country, render_html, toolkit_html

__all__ = [
    "UnknownCountry",
    "UnsupportedLanguage",
    "html_to_pdf",
    "render_country",
    "render_html",
    "toolkit_html",
]
