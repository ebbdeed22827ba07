"""Views: what a reader of any format needs about a country or the region, computed from `analysis`.

    common   headings and outline, form fields, cited sources, reference labels, the checklist's fields
    toolkit  the country toolkit and the regional edition
    kits     the accession kits and the frontline pocket guide
    edition  a national-language edition

Engine-free: nothing here imports Jinja, WeasyPrint, MkDocs or `pdf/` and `site/`; the PDF documents (and the
Word and spreadsheet files to come) lay these views out.
"""
