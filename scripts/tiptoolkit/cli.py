"""`tiptoolkit` command line: validate, schemas, build, pdf."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .dataset import DEFAULT_ROOT
from .problems import format_problems


def _validate(args: argparse.Namespace) -> int:
    from .validate import stale, validate

    dataset, problems = validate(args.root)
    if args.stale is not None and not problems:
        problems = stale(dataset, args.stale)
    prefix = f"{args.root.name}/" if args.format != "json" else ""
    if problems or args.format == "json":
        print(format_problems(problems, args.format, prefix=prefix))
    if args.format == "text":
        what = "stale item" if args.stale is not None else "problem"
        files = len(dataset.documents) + len({p.file for p in problems} - {str(d.path) for d in dataset.documents})
        summary = f"{len(problems)} {what}{'s' if len(problems) != 1 else ''} in {files} files" if problems else f"{files} files: no {what}s"
        print(summary, file=sys.stderr)
    return 1 if problems else 0


def _schemas(args: argparse.Namespace) -> int:
    from .schemas import stale_schemas, write_schemas

    if args.check:
        stale_files = stale_schemas(args.root / "schemas")
        for name in stale_files:
            print(f"{args.root.name}/schemas/{name}: out of date: run `tiptoolkit schemas`", file=sys.stderr)
        return 1 if stale_files else 0
    for path in write_schemas(args.root / "schemas"):
        print(path)
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build

    return build(args.root, args.site_dir, jobs=args.jobs, pdfs=not args.no_pdf)


def _pdf(args: argparse.Namespace) -> int:
    from .pdf.cli import render_one

    return render_one(args.root, args.country, args.lang, args.output, args.paper)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tiptoolkit", description=__doc__)
    parser.add_argument("--version", action="version", version=f"tiptoolkit {__version__}")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="content folder (default: toolkit_data)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every data file; exit 1 if anything is wrong")
    validate.add_argument("--format", choices=("text", "github", "json"), default="text")
    validate.add_argument("--stale", type=int, metavar="DAYS", help="list items not reviewed within DAYS days")
    validate.set_defaults(run=_validate)

    schemas = commands.add_parser("schemas", help="write the JSON Schemas for editors into toolkit_data/schemas")
    schemas.add_argument("--check", action="store_true", help="exit 1 if the committed schemas are stale")
    schemas.set_defaults(run=_schemas)

    build = commands.add_parser("build", help="validate, then build the site and every PDF into site/")
    build.add_argument("--site-dir", type=Path, default=Path("site"))
    build.add_argument("--jobs", type=int, default=None, help="PDF worker processes (default: number of cores)")
    build.add_argument("--no-pdf", action="store_true", help="build the site only")
    build.set_defaults(run=_build)

    pdf = commands.add_parser("pdf", help="render one country's toolkit")
    pdf.add_argument("country", help="ISO3 code, e.g. NPL, or `toolkit` for the regional edition")
    pdf.add_argument("--lang", default="en")
    pdf.add_argument("--paper", choices=("a4", "letter"), default="a4")
    pdf.add_argument("-o", "--output", type=Path)
    pdf.set_defaults(run=_pdf)

    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
