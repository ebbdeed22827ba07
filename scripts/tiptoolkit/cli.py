"""`tiptoolkit` command line: validate, schemas, build, pdf, and the editors' fmt, new-country, diff, serve."""

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
        summary = (
            f"{len(problems)} {what}{'s' if len(problems) != 1 else ''} in {files} files"
            if problems
            else f"{files} files: no {what}s"
        )
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

    return build(
        args.root, args.site_dir, jobs=args.jobs, pdfs=not args.no_pdf, cache_dir=args.cache_dir, engine=args.engine
    )


def _render_pdfs(args: argparse.Namespace) -> int:
    from .pdf.batch import DEFAULT_CACHE, main_shard
    from .validate import validate

    dataset, problems = validate(args.root)
    if problems:
        print(format_problems(problems, prefix=f"{args.root.name}/"), file=sys.stderr)
        return 1
    try:
        return main_shard(dataset, args.shard, args.jobs, args.cache_dir or DEFAULT_CACHE)
    except ValueError as error:  # a malformed --shard
        print(f"render-pdfs: {error}", file=sys.stderr)
        return 2


def _bench(args: argparse.Namespace) -> int:
    import runpy

    from .build import PROJECT

    benchmark = runpy.run_path(str(PROJECT / "scripts" / "benchmark.py"), run_name="tiptoolkit_benchmark")
    bench_args = args.bench_args[1:] if args.bench_args[:1] == ["--"] else args.bench_args
    return benchmark["main"](bench_args)


def _i18n(args: argparse.Namespace) -> int:
    import json

    from . import i18n
    from .validate import validate

    if args.i18n_command == "hash":
        print(i18n.fingerprint(*(args.text or [sys.stdin.read().removesuffix("\n")])))
        return 0
    dataset, problems = validate(args.root)
    rows = i18n.status(dataset)
    if args.format == "json":
        print(json.dumps(i18n.status_json(rows), ensure_ascii=False, indent=1))
    else:
        print(i18n.format_status(rows))
    if problems:
        print(f"{len(problems)} problem(s) in the content: run `tiptoolkit validate`", file=sys.stderr)
    return 1 if problems else 0


def _pdf(args: argparse.Namespace) -> int:
    from .pdf.cli import render_one, render_product

    if args.pocket or args.accession:
        kind = "pocket" if args.pocket else "accession"
        return render_product(args.root, args.country, kind, args.accession, args.output, args.lang)
    return render_one(args.root, args.country, args.lang, args.output, args.paper)


def _drafts(args: argparse.Namespace) -> int:
    from .office.batch import main_drafts

    return main_drafts(args.root, args.output)


def _fmt(args: argparse.Namespace) -> int:
    from .fmt import run

    return run(args.root, args.files, check=args.check)


def _new_country(args: argparse.Namespace) -> int:
    from .newcountry import run

    return run(args.root, args.iso3, region=args.region)


def _diff(args: argparse.Namespace) -> int:
    from .changes import run

    return run(args.root, args.base, output=args.output)


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.root, args.dev_addr, search=args.search)


def _linkcheck(args: argparse.Namespace) -> int:
    from .linkcheck import main as check

    return check(args.site_dir, args.report, mkdocs_yml=args.root.parent / "mkdocs.yml")


def _import_assessment(args: argparse.Namespace) -> int:
    from .selfassessment import run

    return run(args.root, args.pdf, args.country)


def _csp(args: argparse.Namespace) -> int:
    from .csp import main as csp

    return csp(args.site_dir)


def main(argv: list[str] | None = None) -> int:  # long: the command line, one argparse block per command
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
    build.add_argument("--cache-dir", type=Path, help="PDF cache folder (default: .cache/pdf)")
    build.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="the site generator: MkDocs with Material (default) or Zensical, its makers' successor (pre-1.0)",
    )
    build.set_defaults(run=_build)

    i18n = commands.add_parser("i18n", help="translations: completeness per language (status), fingerprints (hash)")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True)
    i18n_status = i18n_commands.add_parser(
        "status", help="translated, needing review and stale, per language and content kind"
    )
    i18n_status.add_argument("--format", choices=("text", "json"), default="text")
    i18n_hash = i18n_commands.add_parser("hash", help="the source_hash of English text (arguments, or standard input)")
    i18n_hash.add_argument("text", nargs="*", help="the English text; several for several fields, in the model's order")
    i18n.set_defaults(run=_i18n)

    pdf = commands.add_parser("pdf", help="render one country's or one region's toolkit")
    pdf.add_argument(
        "country",
        help="ISO3 code, e.g. NPL, or a region, e.g. south-asia (`toolkit`: the region published under that name)",
    )
    pdf.add_argument("--lang", default="en")
    pdf.add_argument("--paper", choices=("a4", "letter"), default="a4")
    pdf.add_argument("-o", "--output", type=Path)
    product = pdf.add_mutually_exclusive_group()
    product.add_argument("--pocket", action="store_true", help="the country's frontline pocket guide (A6) instead")
    product.add_argument(
        "--accession", metavar="INSTRUMENT", help="its accession kit for an instrument, e.g. som-protocol"
    )
    pdf.set_defaults(run=_pdf)

    drafts = commands.add_parser(
        "drafts", help="the working files: draft amendment bills, action plan matrices, the referral form"
    )
    drafts.add_argument("-o", "--output", type=Path, default=Path("site/drafts"), help="default: site/drafts")
    drafts.set_defaults(run=_drafts)

    render_pdfs = commands.add_parser(
        "render-pdfs", help="render a deterministic slice of the PDFs into the cache (CI)"
    )
    render_pdfs.add_argument("--shard", metavar="K/N", help="the K-th of N slices (default: every PDF)")
    render_pdfs.add_argument("--cache-dir", type=Path, help="PDF cache folder (default: .cache/pdf)")
    render_pdfs.add_argument("--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    render_pdfs.set_defaults(run=_render_pdfs)

    bench = commands.add_parser("bench", help="the build benchmark (scripts/benchmark.py); options as --help there")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER, metavar="...")
    bench.set_defaults(run=_bench)

    fmt = commands.add_parser("fmt", help="rewrite data files in the canonical YAML style (comments kept)")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not canonical")
    fmt.add_argument("files", nargs="*", type=Path, help="files to format (default: every data file)")
    fmt.set_defaults(run=_fmt)

    new_country = commands.add_parser("new-country", help="start a country file with every required key")
    new_country.add_argument("iso3", metavar="ISO3", help="ISO 3166-1 alpha-3 code, e.g. LAO")
    new_country.add_argument("--region", help="UN M49 sub-region id, when the code has none (see model.Region)")
    new_country.set_defaults(run=_new_country)

    diff = commands.add_parser("diff", help="describe the content changes since a git ref, as Markdown")
    diff.add_argument("base", metavar="BASE_REF", help="git ref to compare with, e.g. origin/main")
    diff.add_argument("-o", "--output", type=Path, help="write the Markdown to this file instead of printing it")
    diff.set_defaults(run=_diff)

    serve = commands.add_parser("serve", help="live preview: rebuild the site on every YAML save (no PDFs)")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")
    serve.add_argument("--search", action="store_true", help="build the search index too (slower rebuilds)")
    serve.set_defaults(run=_serve)

    linkcheck = commands.add_parser(
        "linkcheck",
        help="check a built site's internal links and anchors and its PDFs' "
        "links, offline; list the external ones (never fetched)",
    )
    linkcheck.add_argument("--site-dir", type=Path, default=Path("site"))
    linkcheck.add_argument("--report", type=Path, help="also write the whole report (external links included) as JSON")
    linkcheck.set_defaults(run=_linkcheck)

    import_assessment = commands.add_parser(
        "import-assessment",
        help="read a country toolkit's filled-in self-assessment back into its data file (confidence low)",
    )
    import_assessment.add_argument(
        "pdf", type=Path, metavar="FILLED.pdf", help="the toolkit PDF as saved after filling"
    )
    import_assessment.add_argument("--country", help="ISO3 code, when the PDF's title does not name the country")
    import_assessment.set_defaults(run=_import_assessment)

    csp = commands.add_parser("csp", help="print the Content-Security-Policy header the built site works under")
    csp.add_argument("--site-dir", type=Path, default=Path("site"))
    csp.set_defaults(run=_csp)

    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
