"""PDF toolkits: Jinja templates + a print stylesheet, laid out by WeasyPrint.

Importing this package does not import WeasyPrint; `render_country` does, on first use.
"""

from .context import UnknownCountry
from .render import UnsupportedLanguage, render_country, render_html, toolkit_html, write_pdf_atomic

__all__ = ["UnknownCountry", "UnsupportedLanguage", "render_country", "render_html", "toolkit_html", "write_pdf_atomic"]
