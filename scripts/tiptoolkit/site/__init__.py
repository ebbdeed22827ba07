"""The MkDocs side: a plugin that turns the validated data into pages, charts and open data."""
