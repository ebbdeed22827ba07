"""`tiptoolkit serve`: the live preview for editors, `mkdocs serve` on the content folder.

The plugin adds the data folder to MkDocs' watch list, so saving a YAML file rebuilds
the site (validation included) and reloads the browser. PDFs are not rendered on save:
`tiptoolkit pdf ISO3` renders one on request.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .build import interrupts_as_exceptions
from .dataset import DEFAULT_ROOT, site_url
from .problems import format_problems
from .validate import validate

PROJECT = DEFAULT_ROOT.parent


def preview_address(dev_addr: str) -> str:
    """The home page's address in the preview: MkDocs serves the site under the path of its `site_url`
    (`/toolkit/`), and the server's root only redirects there."""
    return f"http://{dev_addr}{urlsplit(site_url(PROJECT)).path}"


def serve(root: Path, dev_addr: str = "127.0.0.1:8000", *, search: bool = False) -> int:
    """Serve the site built from `root` until interrupted (without the search index unless `search`).

    Refuses to start while the content has problems; once started, a save with problems prints them and the
    preview keeps the last valid version.
    """
    _, problems = validate(root)
    if problems:
        print(format_problems(problems, prefix=f"{root.name}/"), file=sys.stderr)
        print(f"serve: fix these {len(problems)} problem(s) first (then saves are checked as you go)", file=sys.stderr)
        return 1
    os.environ["TIPTOOLKIT_DATA_DIR"] = str(root)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["TIPTOOLKIT_SEARCH"] = "true" if search else "false"  # the search index is a sixth of a rebuild
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    print(
        f"serving {preview_address(dev_addr)} ; rebuilt on every save in {root}; PDFs: `tiptoolkit pdf ISO3`",
        file=sys.stderr,
    )
    try:
        with interrupts_as_exceptions():  # SIGTERM stops it as Ctrl-C does, so MkDocs removes its temporary site
            mkdocs_serve(
                config_file=str(PROJECT / "mkdocs.yml"),
                livereload=True,
                dev_addr=dev_addr,
                # Quick rebuilds: only the pages a save changed are built again (see site/plugin.py, PreviewFile).
                # The search index holds the pages built, so a preview with search builds them all.
                build_type=None if search else "dirty",
            )
    except MkDocsException as error:
        print(f"serve: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"serve: cannot listen on {dev_addr} ({error.strerror}): choose another with --dev-addr", file=sys.stderr)
        return 1
    return 0
