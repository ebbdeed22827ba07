"""Same input, same bytes: Office files are zip packages whose libraries stamp the clock into them.

python-docx and openpyxl write each zip entry with the current time, and openpyxl writes the moment of saving
as the document's `modified` date, python-docx the time of each comment. `reproducible` rewrites the package with fixed entry times and the document's
own date (its edition) for each of them, keeping the entries in their order.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
PROPERTY_LIMIT = 255  # characters in a document property (title, subject, keywords)
STAMPS = {  # entry -> where the library writes the clock
    "docProps/core.xml": re.compile(r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)"),
    "word/comments.xml": re.compile(r'(\sw:date=")[^"]*(")'),
}


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (control characters a YAML string may carry), which
    would stop the library writing the file."""
    return NOT_IN_XML.sub("", text)


def property_text(text: str) -> str:
    """A document property: XML text, cut to the length Office allows."""
    text = xml_text(text)
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1] + "…"


def reproducible(data: bytes, stamp: date | None) -> bytes:
    """The package `data` with fixed zip times and `stamp` (or 2000-01-01) as its created and modified dates."""
    when = (stamp or date(2000, 1, 1)).isoformat() + "T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename in STAMPS:
                text = STAMPS[entry.filename].sub(lambda m: f"{m.group(1)}{when}{m.group(2)}", content.decode("utf-8"))
                content = text.encode("utf-8")
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()
