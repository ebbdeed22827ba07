"""Search finds a compound with or without its hyphen: "nonpunishment" finds the pages that say "non-punishment".

Material's search splits words at hyphens, so a reader who types the compound as one word finds nothing. After the
search plugin has written `search/search_index.json`, each document gets, for its title and its text, a field of
the compounds it contains that readers also write closed up (those opening with a prefix such as non-, anti-,
cross-: "nonpunishment", "antitrafficking", "crossborder"), written as one word and indexed with the same weight as
the field they come from. The reader never sees these fields: results show the title and the text only. (Other
compounds, "child-sensitive" or "Secretary-General", are left out: nobody types them closed up, and the index is
what every reader downloads first.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

TAG = re.compile(r"<[^>]*>")
PREFIXES = (
    "non",
    "anti",
    "cross",
    "counter",
    "ill",
    "co",
    "re",
    "multi",
    "self",
    "inter",
    "trans",
    "sub",
    "pre",
    "post",
)
COMPOUND = re.compile(rf"(?<![\w-])(?:{'|'.join(PREFIXES)})(?:-[A-Za-z]+)+(?![\w-])", re.IGNORECASE)
JOINED = "_joined"  # suffix of the added fields' names: `title_joined`, `text_joined`


def joined_compounds(html: str) -> str:
    """The prefixed compounds of `html`'s text, each written as one word, lower case, in order of first use."""
    words = (match.replace("-", "").lower() for match in COMPOUND.findall(TAG.sub(" ", html)))
    return " ".join(dict.fromkeys(words))


def add_joined_compounds(index_file: Path) -> None:
    """Rewrite a search index in place with the joined compounds of each title and text.

    Material's index (`docs`) gets them as extra fields, which its search configuration lists; Zensical's
    (`items`) reads no extra field, so there they go at the end of each section's text."""
    if not index_file.is_file():
        return  # search is off (`tiptoolkit serve` without --search)
    index = json.loads(index_file.read_text(encoding="utf-8"))
    if "items" in index:
        for item in index["items"]:
            joined = joined_compounds(f"{item.get('title') or ''} {item.get('text') or ''}")
            if joined:
                item["text"] = f"{item.get('text') or ''} {joined}"
    else:
        fields = index["config"]["fields"]
        for name in ("title", "text"):
            if name not in fields:
                continue
            fields[name + JOINED] = dict(fields[name])
            for doc in index["docs"]:
                joined = joined_compounds(doc.get(name) or "")
                if joined:
                    doc[name + JOINED] = joined
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
