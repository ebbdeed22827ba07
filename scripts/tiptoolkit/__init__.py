"""Counter-trafficking toolkit: typed content, validation, a MkDocs site and per-country PDFs."""

__version__ = "0.1.0"
