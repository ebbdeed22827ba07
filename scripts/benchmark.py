"""The build benchmark: how the site and the PDFs cost as the number of countries grows.

    .venv/bin/python scripts/benchmark.py                    # 8, 50 and 195 countries (long: hours on 2 cores)
    .venv/bin/tiptoolkit bench --sizes 8,50 --out bench-results/b.json
    .venv/bin/tiptoolkit bench --quick                       # smallest size, one repeat: proves it works

For each size it writes a synthetic dataset into a temporary folder: the real countries,
then clones of them under other real ISO 3166 codes (pycountry; codes the real content
never mentions), renamed, with their neighbours mapped to clones of the same group so
neighbours stay within the set. Then, in this one run:

- cold full build (`tiptoolkit build`: validate, every PDF with an empty cache, site, offline copy, zip);
- no-change rebuild (must render 0 PDFs) against the site-only build (`tiptoolkit build --no-pdf`);
- rebuild after editing one country's summary (only that country's PDF shows it: 1 PDF), and after
  editing one of its contact agencies (its PDF, the PDFs of the countries that list it as a
  neighbour, and the regional edition, which lists every contact agency);
- an edit of a shared standard: the PDFs whose cache key changes (all of them), counted without rendering;
- the two site engines (`tiptoolkit build --engine mkdocs|zensical`): the English edition of the site,
  no PDFs, with empty caches (cold, as on a fresh clone) and with the caches of the runs before (warm);
  `--engines-only` runs this alone, at every size;
- one `mkdocs build` with the tiptoolkit plugin against a plain `mkdocs build` (Material, same theme,
  features, overrides, nav and extensions, no tiptoolkit or macros plugin) of the very same pages
  captured as static Markdown;
- our PDF pipeline (`render_html` + `html_to_pdf`) against bare WeasyPrint laying out the same document
  (`render_html(..., standalone=True)`, `weasyprint.HTML(string=...).write_pdf()`), and seconds per page
  against ../shared/bench/reference-toolkit.html laid out by bare WeasyPrint in the same process
  (skipped with a note when ../shared is absent);
- 1 worker against 2 workers on the same sample of PDFs;
- the live preview (`tiptoolkit serve`): seconds from saving one country file to the page served with the change;
- the HTML size of one country page (NPL) at every size, and the pages that grow with the countries;
- the peak memory (max RSS) of every process: each phase runs in its own process and reports
  RUSAGE_SELF and RUSAGE_CHILDREN; PDF workers report their own.

Every phase runs in a fresh interpreter so each pays its imports as a real command does. The short runs
(site builds, single PDFs) are the noisiest on a shared machine: they are repeated more (`--site-repeats`,
`--pdf-repeats`) and the best run of each kind is kept. The package is byte-compiled first, as installed. With
`--pdf-sample K`, sizes above `--full-pdfs-max` render only K country PDFs and the regional edition,
and the full build there is an extrapolation, labelled as such in the table and the JSON.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import io
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT / "scripts") not in sys.path:
    sys.path.insert(0, str(PROJECT / "scripts"))

SOURCE = PROJECT / "toolkit_data"
REFERENCE = PROJECT.parent / "shared" / "bench" / "reference-toolkit.html"
DEFAULT_OUT = PROJECT / "bench-results" / "benchmark.json"
WATCHED = "npl"  # the country page whose size is compared across sizes
TODAY = time.strftime("%Y-%m-%d")  # the content's review dates may be any day up to today
GiB = 1 << 30


# ================================================================= synthetic datasets


def _load_yaml(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump_yaml(data: Any, path: Path) -> None:
    import yaml

    header = "# yaml-language-server: $schema=../schemas/country.schema.json\n" if "ratifications" in data else ""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if "victim_protection" in path.parts or path.parent.name != "countries":
        first = path.read_text(encoding="utf-8").splitlines()[0]
        header = first + "\n" if first.startswith("# yaml-language-server") else ""
    path.write_text(header + text, encoding="utf-8")


def make_dataset(source: Path, size: int, dest: Path) -> list[str]:
    """Write a dataset of `size` countries into `dest` (real ones first, then clones); return their ids."""
    import pycountry

    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("countries"))
    (dest / "countries").mkdir()
    if not (dest / "i18n" / "en.yaml").exists() and (SOURCE / "i18n" / "en.yaml").exists():
        # a source without interface strings (the test fixture) borrows the English ones
        (dest / "i18n").mkdir(exist_ok=True)
        shutil.copyfile(SOURCE / "i18n" / "en.yaml", dest / "i18n" / "en.yaml")
    real = {path.stem: _load_yaml(path) for path in sorted((source / "countries").glob("*.yaml"))}
    order = sorted(real, key=lambda code: (code != WATCHED, code))  # the watched country is always in
    chosen = order[:size]
    for code in chosen:
        shutil.copyfile(source / "countries" / f"{code}.yaml", dest / "countries" / f"{code}.yaml")
    referenced = {code.upper() for code in real}
    for doc in real.values():
        referenced |= {n.upper() for n in doc.get("neighbours", [])}
        referenced |= {p.upper() for a in doc.get("agreements", []) for p in a.get("parties", [])}
    pool = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in referenced)
    clones = size - len(chosen)
    if clones > len(pool):
        raise SystemExit(f"at most {len(chosen) + len(pool)} countries: pycountry has no more unused codes")
    ids = list(chosen)
    clone_of: dict[str, str] = {}  # a clone's code: the real country's it copies
    for group in range(math.ceil(clones / len(order)) if clones > 0 else 0):
        members = order[: min(len(order), clones - group * len(order))]
        mapping = {code.upper(): pool[group * len(order) + i] for i, code in enumerate(members)}
        for code in members:
            new = mapping[code.upper()]
            doc = copy.deepcopy(real[code])
            entry = pycountry.countries.get(alpha_3=new)
            doc["id"] = new.lower()
            doc.pop("translations", None)  # they translate the real name, which the clone no longer has
            doc["name"] = entry.name
            doc["official_name"] = getattr(entry, "official_name", entry.name)
            doc["neighbours"] = [mapping[n.upper()] for n in doc.get("neighbours", []) if n.upper() in mapping]
            for agreement in doc.get("agreements", []):
                agreement["parties"] = [mapping.get(p.upper(), p.upper()) for p in agreement["parties"]]
            _dump_yaml(doc, dest / "countries" / f"{new.lower()}.yaml")
            ids.append(new.lower())
            clone_of[new] = code.upper()
    _open_to_clones(dest, clone_of)
    return ids


def _open_to_clones(dest: Path, clone_of: dict[str, str]) -> None:
    """An instrument open to some States only (`open_to`) is open to their clones too: a clone stands in for its
    original, records and kits included."""
    for path in sorted((dest / "instruments").glob("*.yaml")):
        doc = _load_yaml(path)
        if doc.get("open_to") and clone_of:
            doc["open_to"] = doc["open_to"] + [new for new, real in clone_of.items() if real in doc["open_to"]]
            _dump_yaml(doc, path)


def _regional_pdfs(root: Path, regions: set[str] | None = None) -> list[str]:
    """The regional toolkits of `regions` (default: every region with a country in `root`): `region-<id>-en`, and
    the older name a region file gives (`pdf_alias`). Regions are read off the files' `region:` lines: 195 YAML
    parses would cost seconds."""
    if regions is None:
        regions = set()
        for path in (root / "countries").glob("*.yaml"):
            line = next((ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("region:")), "")
            regions.add(line.partition(":")[2].split("#")[0].strip())
    names = []
    for region in sorted(regions):
        profile = root / "regions" / f"{region}.yaml"
        alias = _load_yaml(profile).get("pdf_alias") if profile.exists() else None
        names += [f"region-{region}-en", *([f"{alias}-en"] if alias else [])]
    return sorted(names)


def _edit_yaml(path: Path, change) -> None:
    doc = _load_yaml(path)
    change(doc)
    _dump_yaml(doc, path)


# ================================================================= phases (each in its own process)


def _rusage() -> dict[str, int]:
    return {
        "self_max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }


def phase_build(root: str, site: str, cache: str, jobs: int | None, pdfs: bool) -> dict[str, Any]:
    from tiptoolkit.build import build

    report: list = []
    started = time.perf_counter()
    rc = build(Path(root), Path(site), jobs=jobs, pdfs=pdfs, cache_dir=Path(cache), report=report)
    seconds = time.perf_counter() - started
    rendered = [r for r in report if r.rendered]
    return {
        "rc": rc,
        "inner_seconds": seconds,
        "pdfs": len(report),
        "pages": sum(r.pages for r in report),
        "rendered": sorted(r.job.name for r in rendered),
        "rendered_pages": sum(r.pages for r in rendered),
        "layout_seconds": {r.job.name: round(r.seconds, 3) for r in rendered},
        "pages_by_pdf": {r.job.name: r.pages for r in report},
        "worker_max_rss_kb": max((r.worker_max_rss_kb for r in rendered), default=0),
        **_rusage(),
    }


def phase_drafts(root: str, cache: str, out: str) -> dict[str, Any]:
    """Every working file (bills, matrices, referral forms) through the cache in `cache`."""
    from tiptoolkit.office.batch import render_drafts
    from tiptoolkit.validate import validate

    dataset, _ = validate(Path(root))
    started = time.perf_counter()
    _manifest, results = render_drafts(dataset, Path(out), Path(cache))
    return {
        "inner_seconds": time.perf_counter() - started,
        "files": len(results),
        "made": sum(result.made for result in results),
        "bytes": sum(result.bytes for result in results),
        **_rusage(),
    }


def phase_plan(root: str, cache: str) -> dict[str, Any]:
    """What a build would render: the PDFs whose cache key is not in the cache (HTML rendered, no layout)."""
    from tiptoolkit.pdf.batch import cache_key, job_html, jobs_for
    from tiptoolkit.validate import validate

    started = time.perf_counter()
    dataset, problems = validate(Path(root))
    assert not problems, problems
    validated = time.perf_counter()
    missing, html_seconds = [], {}
    for job in jobs_for(dataset):
        t = time.perf_counter()
        html = job_html(dataset, job)  # toolkits, editions, accession kits and pocket guides alike
        key = cache_key(html, job.paper)
        html_seconds[job.name] = time.perf_counter() - t
        if not (Path(cache) / f"{key}.pdf").exists():
            missing.append(job.name)
    return {
        "missing": sorted(missing),
        "total": len(html_seconds),
        "validate_seconds": validated - started,
        "html_seconds": sum(html_seconds.values()),
        "html_seconds_max": max(html_seconds.values()),
        **_rusage(),
    }


def phase_jobs(root: str, cache: str, jobs: int, names: list[str]) -> dict[str, Any]:
    """Lay out the PDFs `names` with `jobs` workers into an empty cache."""
    from tiptoolkit.pdf import batch
    from tiptoolkit.validate import validate

    dataset, _ = validate(Path(root))
    planned = {}
    for job in batch.jobs_for(dataset):
        if job.name in names:
            html = batch.job_html(dataset, job)
            key = batch.cache_key(html, job.paper)
            planned.setdefault(key, (job, html, key))  # a region's older name: the same PDF, laid out once
    planned = list(planned.values())
    Path(cache).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    timings = batch.render_missing(planned, batch.CachedPdfs(Path(cache)).store, jobs)
    seconds = time.perf_counter() - started
    by_name = {job.name: (timings[key][0], len(html)) for job, html, key in planned}
    return {
        "seconds": seconds,
        "pdfs": len(planned),
        "worker_max_rss_kb": max(rss for _, rss in timings.values()),
        "layout_seconds": {name: t for name, (t, _) in by_name.items()},
        "html_bytes": {name: n for name, (_, n) in by_name.items()},
        **_rusage(),
    }


def phase_pdf_ours(root: str, iso3: str, html_out: str) -> dict[str, Any]:
    """Our pipeline on one country (template, then layout with our options and patches), in a process that
    has warmed up as a worker does; also writes the same document as stand-alone HTML for `pdf_bare`."""
    from tiptoolkit.pdf.batch import count_pages
    from tiptoolkit.pdf.render import html_to_pdf, render_html
    from tiptoolkit.validate import validate

    dataset, _ = validate(Path(root))
    html_to_pdf("<p>warm</p>")  # font configuration, stylesheets: once per process, as in a worker
    Path(html_out).write_text(render_html(dataset, iso3, standalone=True), encoding="utf-8")
    t0, c0 = time.perf_counter(), time.process_time()
    html = render_html(dataset, iso3)
    t1 = time.perf_counter()
    data = html_to_pdf(html)
    t2, c2 = time.perf_counter(), time.process_time()
    return {
        "html_seconds": t1 - t0,
        "layout_seconds": t2 - t1,
        "seconds": t2 - t0,
        "cpu": c2 - c0,
        "pages": count_pages(data),
        **_rusage(),
    }


def phase_pdf_bare(html: str, reference: str | None, options: dict[str, Any]) -> dict[str, Any]:
    """Bare WeasyPrint with nothing of ours imported: the same document with default options and with our
    PDF options (`options`: tagged PDF/UA, form fields...), and the reference document with default options."""
    import weasyprint
    from pypdf import PdfReader

    weasyprint.HTML(string="<p>warm</p>").write_pdf()
    out: dict[str, Any] = {}
    runs = [("bare", html, {}), ("bare_our_options", html, options)]
    if reference:
        runs.append(("reference", reference, {}))
    for name, path, settings in runs:
        t0, c0 = time.perf_counter(), time.process_time()  # parsing included, as in ours
        data = weasyprint.HTML(filename=path).write_pdf(**settings)
        out[name] = {
            "seconds": time.perf_counter() - t0,
            "cpu": time.process_time() - c0,
            "pages": len(PdfReader(io.BytesIO(data)).pages),
        }
    return {**out, **_rusage()}


def phase_export(root: str, out: str) -> dict[str, Any]:
    """Capture every page's final Markdown (after all plugins) and write a plain Material project of them."""
    import yaml
    from mkdocs.commands.build import build as run_mkdocs
    from mkdocs.config import load_config

    from tiptoolkit.site.pages import plain_navigation

    os.environ["TIPTOOLKIT_DATA_DIR"] = root
    os.environ["TIPTOOLKIT_OFFLINE"] = "false"
    config = load_config(str(PROJECT / "mkdocs.yml"), site_dir=str(Path(out) / "scratch-site"))
    captured: dict[str, tuple[str, dict]] = {}

    def capture(markdown: str, page, config, files) -> str:
        captured[page.file.src_uri] = (markdown, dict(page.meta))
        return markdown

    config.plugins._register_event("page_markdown", capture)
    run_mkdocs(config)
    docs = Path(out) / "docs"
    source_docs = Path(config.docs_dir)
    for path in source_docs.rglob("*"):
        if path.is_file() and path.suffix != ".md":
            target = docs / path.relative_to(source_docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for src, (markdown, meta) in captured.items():
        meta = {k: v for k, v in meta.items() if k != "render_macros" and isinstance(v, (str, int, float))}
        front = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n" if meta else ""
        target = docs / src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front + markdown, encoding="utf-8")
    project = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    plain = {
        key: project[key]
        for key in (
            "site_name",
            "site_url",
            "repo_url",
            "repo_name",
            "edit_uri",
            "copyright",
            "strict",
            "validation",
            "theme",
            "extra_css",
            "markdown_extensions",
            "extra",
        )
        if key in project
    }
    plain["theme"] = dict(plain["theme"], custom_dir=str(PROJECT / "overrides"))
    plain["docs_dir"] = str(docs)
    plain["plugins"] = [{"search": {"lang": "en"}}]
    plain["nav"] = plain_navigation(config.nav)
    (Path(out) / "mkdocs.yml").write_text(yaml.safe_dump(plain, sort_keys=False, allow_unicode=True), encoding="utf-8")
    shutil.rmtree(Path(out) / "scratch-site", ignore_errors=True)
    return {"pages": len(captured), **_rusage()}


def phase_site(root: str, site: str, engine: str) -> dict[str, Any]:
    """One engine's build of the site's English edition: validation, pages, the engine, the open data."""
    from tiptoolkit.build import site_builder

    started = time.perf_counter()
    site_builder(engine)(Path(root), Path(site))
    return {"inner_seconds": time.perf_counter() - started, **_rusage()}


PHASES = {
    "build": phase_build,
    "drafts": phase_drafts,
    "plan": phase_plan,
    "jobs": phase_jobs,
    "pdf_ours": phase_pdf_ours,
    "pdf_bare": phase_pdf_bare,
    "export": phase_export,
    "site": phase_site,
}
SITE_ENGINES = ("mkdocs", "zensical")


def run_phase(name: str, **kwargs: Any) -> dict[str, Any]:
    """Run one phase in a fresh interpreter; its result plus the wall time seen from here."""
    env = dict(os.environ, TIPTOOLKIT_TODAY=os.environ.get("TIPTOOLKIT_TODAY", TODAY), NO_MKDOCS_2_WARNING="1")
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--phase", name, json.dumps(kwargs)],
            stdout=out,
            stderr=err,
            text=True,
            env=env,
            cwd=PROJECT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"phase {name} failed:\n{stdout[-2000:]}\n{stderr[-4000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # the phase and every worker it waited for
    result["load_average_before"] = load
    return result


def timed_mkdocs(config: Path, site: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """`mkdocs build` as a command, timed from here; peak memory read back with /usr/bin/time-free wait4."""
    full_env = dict(
        os.environ, NO_MKDOCS_2_WARNING="1", TIPTOOLKIT_TODAY=os.environ.get("TIPTOOLKIT_TODAY", TODAY), **(env or {})
    )
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
            env=full_env,
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        err.seek(0)
        stderr = err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{stderr[-4000:]}")
    return {
        "wall_seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,
        "load_average_before": load,
    }


# ================================================================= one size


def html_sizes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}


def index_page(path: str) -> bool:
    """Pages that list every country by design: the home page, the countries index, the compare pages, each
    region's page (its countries), the open data page and the site-wide 404 page."""
    listing = {"index.html", "countries/index.html", "open-data/index.html", "404.html"}
    return path in listing or path.startswith(("compare/", "regions/"))


def bench_engines(root: Path, work: Path, args: argparse.Namespace, log) -> dict[str, Any]:
    """Each engine's site build, cold (empty caches of parsed content and compiled templates) and warm (the
    caches of the run before), best of `--site-repeats`, the engines taking turns so that both see the same
    load on the machine."""
    runs: dict[str, dict[str, list]] = {engine: {"cold": [], "warm": []} for engine in SITE_ENGINES}
    saved = os.environ.get("TIPTOOLKIT_CACHE_DIR")
    for _ in range(args.site_repeats):
        for engine in SITE_ENGINES:
            site, caches = work / f"{engine}-site", work / f"{engine}-caches"
            shutil.rmtree(caches, ignore_errors=True)
            for kind in ("cold", "warm"):
                os.environ["TIPTOOLKIT_CACHE_DIR"] = str(caches)  # inherited by the phase's interpreter
                runs[engine][kind].append(run_phase("site", root=str(root), site=str(site), engine=engine))
    os.environ.pop("TIPTOOLKIT_CACHE_DIR", None)
    if saved is not None:
        os.environ["TIPTOOLKIT_CACHE_DIR"] = saved
    out: dict[str, Any] = {"pages": sum(1 for _ in (work / "mkdocs-site").rglob("*.html"))}
    for engine, kinds in runs.items():
        for kind, results in kinds.items():
            out[f"{engine}_{kind}_seconds"] = min(r["wall_seconds"] for r in results)
            out[f"{engine}_{kind}_cpu"] = min(r["cpu_seconds"] for r in results)
        out[f"{engine}_max_rss_kb"] = max(
            max(r["self_max_rss_kb"], r["children_max_rss_kb"]) for r in kinds["cold"] + kinds["warm"]
        )
    for kind in ("cold", "warm"):
        out[f"zensical_vs_mkdocs_{kind}"] = out[f"zensical_{kind}_cpu"] / out[f"mkdocs_{kind}_cpu"]
    log(
        f"  engines: MkDocs {out['mkdocs_cold_seconds']:.1f} s cold, {out['mkdocs_warm_seconds']:.1f} s warm; "
        f"Zensical {out['zensical_cold_seconds']:.1f} s cold, {out['zensical_warm_seconds']:.1f} s warm"
    )
    return out


def bench_size(size: int, work: Path, args: argparse.Namespace, log) -> dict[str, Any]:
    root = work / "toolkit_data"
    ids = make_dataset(args.source, size, root)
    cache, site = work / "cache", work / "site"
    jobs = args.jobs or os.cpu_count() or 1
    repeats = args.repeats
    out: dict[str, Any] = {"countries": size, "pdfs": size + 1, "jobs": jobs}
    full = args.full_pdfs_max is None or size <= args.full_pdfs_max
    out["pdfs_sampled"] = not full
    # Parsed content and compiled templates are cached under here, not in the project's .cache: every phase
    # below inherits it; the cold site builds use an empty one of their own.
    os.environ["TIPTOOLKIT_CACHE_DIR"] = str(work / "caches")

    # ---- site: plugin build against plain mkdocs of the same pages
    export = run_phase("export", root=str(root), out=str(work / "plain"))
    out["site_pages"] = export["pages"]
    ours, plain, cold = [], [], []
    env = {"TIPTOOLKIT_DATA_DIR": str(root), "TIPTOOLKIT_OFFLINE": "false"}
    for _ in range(args.site_repeats):  # each build replaces its site
        plain.append(timed_mkdocs(work / "plain" / "mkdocs.yml", work / "plain-site"))
        # cold: empty caches (parsed content, compiled templates), as on a fresh clone
        fresh = dict(env, TIPTOOLKIT_CACHE_DIR=str(work / "empty-cache"))
        cold.append(timed_mkdocs(PROJECT / "mkdocs.yml", work / "our-cold-site", fresh))
        shutil.rmtree(work / "empty-cache")
        # warm: the caches of the runs before (the content unchanged since), as on a rebuild
        ours.append(timed_mkdocs(PROJECT / "mkdocs.yml", work / "our-site", env))
    out["mkdocs_ours_seconds"] = min(r["wall_seconds"] for r in ours)
    out["mkdocs_plain_seconds"] = min(r["wall_seconds"] for r in plain)
    out["site_vs_plain_wall"] = out["mkdocs_ours_seconds"] / out["mkdocs_plain_seconds"]
    out["mkdocs_ours_cpu"] = min(r["cpu_seconds"] for r in ours)
    out["mkdocs_plain_cpu"] = min(r["cpu_seconds"] for r in plain)
    out["site_vs_plain"] = out["mkdocs_ours_cpu"] / out["mkdocs_plain_cpu"]
    out["mkdocs_cold_cpu"] = min(r["cpu_seconds"] for r in cold)
    out["mkdocs_cold_seconds"] = min(r["wall_seconds"] for r in cold)
    out["site_vs_plain_cold"] = out["mkdocs_cold_cpu"] / out["mkdocs_plain_cpu"]
    out["mkdocs_runs"] = {"ours": ours, "plain": plain, "cold": cold}
    out["mkdocs_max_rss_kb"] = max(r["max_rss_kb"] for r in ours + plain + cold)
    sizes = html_sizes(work / "our-site")
    out["html_sizes"] = sizes
    # A country page lists its neighbours' contacts: it grows when a neighbour joins the content, which is bounded
    # by its neighbours, not by the number of countries. The pages of countries with a neighbour still to join.
    real = {path.stem for path in (args.source / "countries").glob("*.yaml")}
    out["neighbours_to_join"] = sorted(
        f"countries/{code}/index.html"
        for code in ids
        if any(
            n.lower() in real and n.lower() not in ids
            for n in _load_yaml(root / "countries" / f"{code}.yaml").get("neighbours", [])
        )
    )
    out["country_page_bytes"] = sizes.get(f"countries/{WATCHED}/index.html")
    out["html_total_bytes"] = sum(sizes.values())
    log(f"  site: ours {out['mkdocs_ours_seconds']:.1f} s, plain {out['mkdocs_plain_seconds']:.1f} s")

    # ---- the working files: cold (an empty cache of their own) against warm (the same cache again)
    drafts_cache = work / "drafts-cache"
    shutil.rmtree(drafts_cache, ignore_errors=True)
    cold_drafts = run_phase("drafts", root=str(root), cache=str(drafts_cache), out=str(work / "drafts"))
    warm_drafts = [
        run_phase("drafts", root=str(root), cache=str(drafts_cache), out=str(work / "drafts")) for _ in range(repeats)
    ]
    out["drafts_files"] = cold_drafts["files"]
    out["drafts_cold_seconds"] = cold_drafts["inner_seconds"]
    out["drafts_warm_seconds"] = min(r["inner_seconds"] for r in warm_drafts)
    out["drafts_warm_vs_cold"] = out["drafts_warm_seconds"] / out["drafts_cold_seconds"]
    out["drafts_warm_made"] = max(r["made"] for r in warm_drafts)
    log(
        f"  working files: {out['drafts_files']}, cold {out['drafts_cold_seconds']:.1f} s, warm {out['drafts_warm_seconds']:.2f} s"
    )

    # ---- site-only build (what a no-change rebuild is compared with)
    site_only = [
        run_phase("build", root=str(root), site=str(work / "site-only"), cache=str(cache), jobs=jobs, pdfs=False)
        for _ in range(repeats)
    ]
    out["site_only_seconds"] = min(r["wall_seconds"] for r in site_only)
    out["site_only_cpu"] = min(r["cpu_seconds"] for r in site_only)
    out["site_only"] = site_only[0]
    log(f"  site-only build {out['site_only_seconds']:.1f} s")

    if full:
        cold = run_phase("build", root=str(root), site=str(site), cache=str(cache), jobs=jobs, pdfs=True)
        out["cold"] = cold
        out["cold_seconds"] = cold["wall_seconds"]
        log(f"  cold build {cold['wall_seconds']:.1f} s, {len(cold['rendered'])} PDFs, {cold['pages']} pages")
        nochange = [
            run_phase("build", root=str(root), site=str(site), cache=str(cache), jobs=jobs, pdfs=True)
            for _ in range(repeats)
        ]
        out["nochange"] = nochange[0]
        out["nochange_rendered"] = max(len(r["rendered"]) for r in nochange)
        out["nochange_seconds"] = min(r["wall_seconds"] for r in nochange)
        out["nochange_cpu"] = min(r["cpu_seconds"] for r in nochange)
        log(f"  no-change rebuild {out['nochange_seconds']:.1f} s, {out['nochange_rendered']} PDFs rendered")
    else:
        plan = run_phase("plan", root=str(root), cache=str(cache))
        sample = ids[: args.pdf_sample]
        regional = _regional_pdfs(root)
        names = [f"{c}-en" for c in sample] + regional
        sampled = run_phase("jobs", root=str(root), cache=str(work / "sample-cache"), jobs=jobs, names=names)
        # A full build lays out `size` country PDFs like the sampled ones and each region's edition (an older name
        # of one is the same PDF: laid out once), shared between `jobs` workers (perfect scaling assumed: the
        # 1-vs-2-jobs row says how close that is).
        layout = sampled["layout_seconds"]
        country = statistics.mean(t for name, t in layout.items() if name not in regional)
        pdf_estimate = (country * size + sum(layout.get(name, 0.0) for name in regional)) / jobs
        out["sample"] = {"pdfs": names, **sampled}
        out["cold_seconds"] = out["site_only_seconds"] + plan["html_seconds"] + pdf_estimate
        out["cold_extrapolated"] = True
        out["nochange_seconds"] = out["site_only_seconds"] + plan["html_seconds"]
        out["nochange_cpu"] = out["site_only_cpu"] + plan["html_seconds"]
        out["nochange_extrapolated"] = True
        out["nochange_rendered"] = None
        out["plan"] = plan
        log(f"  EXTRAPOLATED cold build {out['cold_seconds']:.1f} s from {len(names)} PDFs")
    out["seconds_per_country"] = out["cold_seconds"] / size
    out["nochange_vs_site_only_wall"] = out["nochange_seconds"] / out["site_only_seconds"]
    out["nochange_vs_site_only"] = out["nochange_cpu"] / out["site_only_cpu"]

    if full:
        # ---- edit one country's summary: only its own PDF shows the summary
        edited = ids[len(ids) // 2] if size > 1 else ids[0]
        path = root / "countries" / f"{edited}.yaml"
        _edit_yaml(path, lambda d: d.update(summary=d["summary"].rstrip() + " Edited by the benchmark."))
        r = run_phase("build", root=str(root), site=str(site), cache=str(cache), jobs=jobs, pdfs=True)
        out["edit_summary"] = {
            "country": edited,
            "rendered": r["rendered"],
            "expected": [f"{edited}-en"],
            "seconds": r["wall_seconds"],
        }
        log(f"  edit {edited} summary: rendered {r['rendered']}")
        # ---- edit one of its contact agencies: shown in its PDF, its neighbours' and the regional edition
        doc = _load_yaml(path)
        if doc.get("contacts"):

            def edit_contact(d: dict) -> None:
                contact = d["contacts"][0]
                contact["role"] = contact["role"].rstrip() + " (edited)"
                contact.pop("translations", None)  # they translate the old role

            _edit_yaml(path, edit_contact)
            listing = sorted(
                f"{c}-en"
                for c in ids
                if c != edited
                and edited.upper()
                in [n.upper() for n in _load_yaml(root / "countries" / f"{c}.yaml").get("neighbours", [])]
            )
            r = run_phase("build", root=str(root), site=str(site), cache=str(cache), jobs=jobs, pdfs=True)
            # its toolkits, national editions and pocket guides, those of the countries listing it, the region's
            showing = {edited, *(name.split("-")[0] for name in listing)}
            shown_in = [n for n in r["pages_by_pdf"] if n.split("-")[0] in showing and "-accession-" not in n]
            out["edit_contact"] = {
                "country": edited,
                "rendered": r["rendered"],
                "expected": sorted([*shown_in, *_regional_pdfs(root, {doc["region"]})]),
                "seconds": r["wall_seconds"],
            }
            log(f"  edit {edited} contact: rendered {r['rendered']}")
        # ---- edit a shared standard: every PDF includes the victim protection checklist
        vps = root / "victim_protection" / "vps.yaml"
        _edit_yaml(
            vps,
            lambda d: d["standards"][0].update(
                entitlement=d["standards"][0]["entitlement"].rstrip() + " Edited by the benchmark.",
                translations={},  # they translate the old entitlement
            ),
        )
        plan = run_phase("plan", root=str(root), cache=str(cache))
        # Every toolkit and national edition holds the victim protection checklist (pocket guides and kits do not);
        # a national-language pocket guide says how much of the content is translated, and the edit drops the
        # standard's translations.
        holding = [n for n in r["pages_by_pdf"] if not n.endswith("-pocket-en") and "-accession-" not in n]
        out["edit_shared"] = {
            "would_render": len(plan["missing"]),
            "of": len(holding),
            "all_pdfs": plan["total"],
            "counted_by": "cache keys",
            "as_expected": sorted(plan["missing"]) == sorted(holding),
        }
        log(f"  edit a shared standard: {len(plan['missing'])} of {plan['total']} PDFs to re-render")
        cache_files = list(cache.glob("*.pdf"))
        out["cache_after"] = {"entries": len(cache_files), "bytes": sum(p.stat().st_size for p in cache_files)}
    return out


def bench_preview(work: Path, args: argparse.Namespace, log) -> dict[str, Any]:
    """The live preview: `tiptoolkit serve` on a copy of the dataset in `work`, one country's summary saved
    `args.site_repeats` times, each timed from the save to the first answer that shows the page with the new
    text (polled every 20 ms, as the browser's reload would fetch it). The median is kept."""
    import socket
    import urllib.request

    root = work / "preview" / "toolkit_data"
    shutil.copytree(work / "toolkit_data", root)
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = "from tiptoolkit.cli import main; raise SystemExit(main())"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "--root", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, TIPTOOLKIT_TODAY=os.environ.get("TIPTOOLKIT_TODAY", TODAY)),
    )
    country = WATCHED
    url = f"http://127.0.0.1:{port}/toolkit/countries/{country}/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read().decode("utf-8")
        except OSError:
            return ""

    seconds = []
    try:
        deadline = time.monotonic() + 120
        while not page() and time.monotonic() < deadline:
            time.sleep(0.2)
        for n in range(args.site_repeats):
            time.sleep(1.5)  # the server settles after the previous reload
            marker = f"Previewmarker{n}"
            path, staged = root / "countries" / f"{country}.yaml", work / "preview" / "staged.yaml"
            shutil.copyfile(path, staged)  # the edit is made beforehand: the save alone is timed
            _edit_yaml(staged, lambda d, m=marker: d.update(summary=d["summary"].rstrip() + f" {m}."))
            edited = staged.read_bytes()
            started = time.perf_counter()
            path.write_bytes(edited)
            while marker not in page():
                if time.perf_counter() - started > 60:
                    raise RuntimeError(f"the preview did not show a save within 60 s ({url})")
                time.sleep(0.02)
            seconds.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log(f"  live preview: a save shown in {statistics.median(seconds):.2f} s (median of {len(seconds)})")
    return {"country": country, "seconds": seconds, "median_seconds": statistics.median(seconds)}


def bench_pdf(work: Path, args: argparse.Namespace, log) -> dict[str, Any]:
    """Size-independent PDF measurements, on the smallest dataset of the run."""
    root = work / "toolkit_data"
    reference = str(args.reference) if args.reference.exists() and not args.no_reference else None
    out: dict[str, Any] = {}
    from tiptoolkit.pdf.render import PDF_OPTIONS  # passed to the bare process as data: it imports nothing of ours

    # Ours and bare WeasyPrint in separate fresh processes, alternating, best of the repeats: bare imports
    # nothing of ours (no patches), as someone timing the raw tool would run it.
    html = str(work / "standalone.html")
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "bare": [], "reference": []}
    for _ in range(args.pdf_repeats):
        runs["ours"].append(run_phase("pdf_ours", root=str(root), iso3=WATCHED, html_out=html))
        bare = run_phase("pdf_bare", html=html, reference=reference, options=PDF_OPTIONS)
        runs["bare"].append(bare["bare"])
        runs.setdefault("bare_our_options", []).append(bare["bare_our_options"])
        if reference:
            runs["reference"].append(bare["reference"])
    best = {name: min(found, key=lambda r: r["cpu"]) for name, found in runs.items() if found}
    compare = {
        "country": WATCHED,
        "repeats": args.pdf_repeats,
        "pages": best["ours"]["pages"],
        "bare_pages": best["bare"]["pages"],
        "ours_html_seconds": best["ours"]["html_seconds"],
        "ours_layout_seconds": best["ours"]["layout_seconds"],
        "ours_seconds": best["ours"]["seconds"],
        "bare_seconds": best["bare"]["seconds"],
        "reference_seconds": best["reference"]["seconds"] if reference else None,
        "reference_pages": best["reference"]["pages"] if reference else None,
        "layout_cpu_seconds": {name: r["cpu"] for name, r in best.items()},
        "all": runs,
        "self_max_rss_kb": max(r.get("self_max_rss_kb", 0) for r in runs["ours"]),
    }
    out["compare"] = compare
    cpu = compare["layout_cpu_seconds"]
    out["ours_vs_bare"] = cpu["ours"] / cpu["bare"]
    out["ours_vs_bare_same_options"] = cpu["ours"] / cpu["bare_our_options"]
    out["ours_vs_bare_wall"] = compare["ours_seconds"] / compare["bare_seconds"]
    out["layout_vs_bare_wall"] = compare["ours_layout_seconds"] / compare["bare_seconds"]
    out["ours_s_per_page"] = cpu["ours"] / compare["pages"]
    out["ours_s_per_page_wall"] = compare["ours_seconds"] / compare["pages"]
    if reference:
        out["reference_s_per_page"] = cpu["reference"] / compare["reference_pages"]
        out["reference_s_per_page_wall"] = compare["reference_seconds"] / compare["reference_pages"]
        out["s_per_page_vs_reference"] = out["ours_s_per_page"] / out["reference_s_per_page"]
    else:
        out["reference_note"] = f"{args.reference} is absent: the reference row is skipped"
    log(f"  PDF: ours {compare['ours_seconds']:.1f} s, bare {compare['bare_seconds']:.1f} s, {compare['pages']} pages")
    countries = sorted(p.stem for p in (root / "countries").glob("*.yaml"))
    names = [f"{c}-en" for c in countries[: args.jobs_sample]]
    one = run_phase("jobs", root=str(root), cache=str(work / "jobs-1"), jobs=1, names=names)
    two = run_phase("jobs", root=str(root), cache=str(work / "jobs-2"), jobs=2, names=names)
    out["jobs"] = {"pdfs": names, "one": one, "two": two, "speedup": one["seconds"] / two["seconds"]}
    log(f"  1 job {one['seconds']:.1f} s, 2 jobs {two['seconds']:.1f} s")
    return out


# ================================================================= report


def harfbuzz_subset() -> str | None:
    try:
        proc = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Status} ${Version}", "libharfbuzz-subset0"], capture_output=True, text=True
        )
    except OSError:
        return None
    return proc.stdout.split()[-1] if proc.returncode == 0 and "installed" in proc.stdout else None


def table(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    pdf = results.get("pdf")
    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, value: str, target: str = "", verdict: bool | None = None) -> None:
        rows.append((name, value, target, "" if verdict is None else ("met" if verdict else "MISSED")))

    for key, r in sizes.items():
        est = "~" if r.get("cold_extrapolated") else ""
        label = f"{key} countries"
        row(
            f"{label}: cold full build",
            f"{est}{r['cold_seconds']:.1f} s ({est}{r['seconds_per_country']:.2f} s/country)"
            + (" EXTRAPOLATED from a PDF sample" if est else ""),
        )
        if r.get("nochange_rendered") is not None:
            row(
                f"{label}: no-change rebuild PDFs rendered",
                str(r["nochange_rendered"]),
                "0",
                r["nochange_rendered"] == 0,
            )
        row(
            f"{label}: no-change rebuild / site-only build, CPU",
            f"{est}{r['nochange_cpu']:.1f} / {r['site_only_cpu']:.1f} s = {est}{r['nochange_vs_site_only']:.2f}x "
            f"(wall {r['nochange_seconds']:.1f} / {r['site_only_seconds']:.1f} s)",
            "<= 1.2x",
            r["nochange_vs_site_only"] <= 1.2,
        )
        for edit in ("edit_summary", "edit_contact"):
            if edit in r:
                e = r[edit]
                row(
                    f"{label}: {edit.replace('_', ' ')} ({e['country']}) re-rendered",
                    f"{len(e['rendered'])}: {', '.join(e['rendered'])}",
                    f"{len(e['expected'])}",
                    e["rendered"] == e["expected"],
                )
        if "edit_shared" in r:
            e = r["edit_shared"]
            row(
                f"{label}: edit a shared standard, PDFs to re-render",
                f"{e['would_render']} of {e['of']}",
                f"{e['of']}",
                e.get("as_expected", e["would_render"] == e["of"]),
            )
        if "drafts_files" in r:
            row(
                f"{label}: working files ({r['drafts_files']}) warm / cold, files made again",
                f"{r['drafts_warm_seconds']:.2f} / {r['drafts_cold_seconds']:.1f} s = {r['drafts_warm_vs_cold']:.2f}x, "
                f"{r['drafts_warm_made']} made",
                "0 made",
                r["drafts_warm_made"] == 0,
            )
        row(
            f"{label}: site build (plugin) / plain mkdocs, CPU",
            f"{r['mkdocs_ours_cpu']:.1f} / {r['mkdocs_plain_cpu']:.1f} s = {r['site_vs_plain']:.2f}x "
            f"(wall {r['mkdocs_ours_seconds']:.1f} / {r['mkdocs_plain_seconds']:.1f} s)",
            "<= 1.2x",
            r["site_vs_plain"] <= 1.2,
        )
        row(
            f"{label}: same, cold caches (fresh clone)",
            f"{r['mkdocs_cold_cpu']:.1f} / {r['mkdocs_plain_cpu']:.1f} s = {r['site_vs_plain_cold']:.2f}x "
            f"(wall {r['mkdocs_cold_seconds']:.1f} s)",
            "<= 1.2x",
            r["site_vs_plain_cold"] <= 1.2,
        )
        row(
            f"{label}: country page ({WATCHED.upper()}) HTML",
            f"{r['country_page_bytes']:,} bytes; site "
            f"{r['site_pages']} pages, {r['html_total_bytes'] / 1_048_576:.1f} MB of HTML",
        )
        row(
            f"{label}: peak memory (any process)",
            f"{r['peak_rss_kb'] / 1_048_576:.2f} GiB",
            "<= 1.5 GiB",
            r["peak_rss_kb"] <= 1.5 * 1_048_576,
        )
    for key, e in results.get("engines", {}).items():
        for kind in ("cold", "warm"):
            row(
                f"{key} countries: site by Zensical / by MkDocs, {kind}, CPU",
                f"{e[f'zensical_{kind}_cpu']:.1f} / {e[f'mkdocs_{kind}_cpu']:.1f} s "
                f"= {e[f'zensical_vs_mkdocs_{kind}']:.2f}x "
                f"(wall {e[f'zensical_{kind}_seconds']:.1f} / {e[f'mkdocs_{kind}_seconds']:.1f} s)",
            )
    keys = list(sizes)
    if len(keys) > 1:
        first, last = sizes[keys[0]], sizes[keys[-1]]
        ratio = last["seconds_per_country"] / first["seconds_per_country"]
        est = "~" if last.get("cold_extrapolated") or first.get("cold_extrapolated") else ""
        row(f"s/country, {keys[-1]} / {keys[0]} countries", f"{est}{ratio:.2f}x", "<= 1.15x", ratio <= 1.15)
        growth = results.get("page_growth", {})
        row(
            f"pages that grow from {keys[0]} to {keys[-1]} countries (not index pages)",
            ", ".join(growth.get("non_index", [])) or "none",
            "none",
            not growth.get("non_index"),
        )
    preview = results.get("preview")
    if preview:
        row(
            "live preview: a one-file save until the page shows it (median), wall",
            f"{preview['median_seconds']:.2f} s ({len(preview['seconds'])} saves, {preview['country'].upper()})",
            "<= 2.0 s",
            preview["median_seconds"] <= 2.0,
        )
    if pdf is None:
        row("PDF rows (ours vs bare, reference, jobs)", "skipped (--no-pdf-compare or --engines-only)")
        return _format(rows, results)
    c = pdf["compare"]
    row(
        "PDF: ours (render_html + html_to_pdf) / bare WeasyPrint, CPU",
        f"{c['layout_cpu_seconds']['ours']:.2f} / {c['layout_cpu_seconds']['bare']:.2f} s = {pdf['ours_vs_bare']:.3f}x "
        f"(wall {c['ours_seconds']:.2f} / {c['bare_seconds']:.2f} s = {pdf['ours_vs_bare_wall']:.3f}x)",
        "<= 1.10x",
        pdf["ours_vs_bare"] <= 1.10,
    )
    row(
        "PDF: same, bare with our PDF options (PDF/UA tags, forms)",
        f"{c['layout_cpu_seconds']['ours']:.2f} / {c['layout_cpu_seconds']['bare_our_options']:.2f} s "
        f"= {pdf['ours_vs_bare_same_options']:.3f}x",
        "<= 1.10x",
        pdf["ours_vs_bare_same_options"] <= 1.10,
    )
    if "s_per_page_vs_reference" in pdf:
        row(
            "PDF: our s/page / reference document's, CPU",
            f"{pdf['ours_s_per_page']:.3f} / {pdf['reference_s_per_page']:.3f} = {pdf['s_per_page_vs_reference']:.2f}x "
            f"(wall {pdf['ours_s_per_page_wall']:.3f} / {pdf['reference_s_per_page_wall']:.3f} s)",
            "<= 1.0x",
            pdf["s_per_page_vs_reference"] <= 1.0,
        )
    else:
        row("PDF: our s/page / reference document's", f"skipped: {pdf['reference_note']}")
    j = pdf["jobs"]
    row(
        f"PDF: 1 job / 2 jobs ({len(j['pdfs'])} PDFs), wall",
        f"{j['one']['seconds']:.1f} / {j['two']['seconds']:.1f} s = {j['speedup']:.2f}x "
        f"(load average before: {j['one']['load_average_before']:.1f}, {j['two']['load_average_before']:.1f})",
        ">= 1.75x",
        j["speedup"] >= 1.75,
    )
    row(
        "libharfbuzz-subset0",
        results["libharfbuzz_subset0"] or "NOT installed",
        "installed",
        results["libharfbuzz_subset0"] is not None,
    )
    return _format(rows, results)


def _format(rows: list[tuple[str, str, str, str]], results: dict[str, Any]) -> str:
    widths = [max(len(r[i]) for r in [("measure", "value", "target", ""), *rows]) for i in range(4)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(("measure", "value", "target", ""), widths, strict=True))]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    load = results["machine"]["load_average_at_start"]
    lines += [
        "",
        "CPU = user + system seconds of the process and every worker it waited for: robust to other load on",
        "the machine, so the single-process ratios are judged on it (wall clock in brackets). Parallel speed-ups",
        f"can only be judged on wall clock. Load average when the run started: {load[0]:.1f} on "
        f"{results['machine']['cores']} cores. Best of {results['repeats']['site']} runs for the site rows, "
        f"{results['repeats']['pdf']} for ours/bare/reference, {results['repeats']['builds']} for the rebuilds.",
    ]
    return "\n".join(line.rstrip() for line in lines)


def peak(result: dict[str, Any]) -> int:
    """The largest max RSS (KiB) found anywhere in a result."""
    best = 0
    if isinstance(result, dict):
        for key, value in result.items():
            own = key.endswith("max_rss_kb") and isinstance(value, int)
            best = max(best, value if own else peak(value))
    elif isinstance(result, list):
        best = max((peak(v) for v in result), default=0)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tiptoolkit bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="numbers of countries, comma-separated (default 8,50,195)")
    parser.add_argument(
        "--quick", action="store_true", help="smallest size only (2 countries), one repeat, 2-PDF samples"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT})")
    parser.add_argument("--source", type=Path, default=SOURCE, help="content to clone (default toolkit_data)")
    parser.add_argument("--jobs", type=int, default=None, help="PDF workers for the builds (default: cores)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats of the timed comparisons (best kept)")
    parser.add_argument(
        "--site-repeats", type=int, default=None, help="repeats of ours against plain mkdocs (default 5)"
    )
    parser.add_argument(
        "--pdf-repeats", type=int, default=None, help="repeats of ours against bare WeasyPrint (default 5)"
    )
    parser.add_argument("--jobs-sample", type=int, default=None, help="country PDFs in the 1-vs-2-jobs comparison")
    parser.add_argument(
        "--full-pdfs-max",
        type=int,
        default=None,
        help="render every PDF only up to this size; above it, a sample (EXTRAPOLATED)",
    )
    parser.add_argument("--pdf-sample", type=int, default=4, help="country PDFs rendered above --full-pdfs-max")
    parser.add_argument(
        "--reference",
        type=Path,
        default=REFERENCE,
        help="the reference document (default ../shared/bench/ beside the project)",
    )
    parser.add_argument("--no-reference", action="store_true", help="skip the reference document")
    parser.add_argument(
        "--no-pdf-compare",
        action="store_true",
        help="skip the size-independent PDF rows (ours vs bare, reference, 1 vs 2 jobs)",
    )
    parser.add_argument(
        "--engines-only", action="store_true", help="only the site engines, MkDocs against Zensical, at every size"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("phase_args", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase_args and not args.phase:
        parser.error(f"unexpected argument {args.phase_args!r}")
    if args.phase:
        result = PHASES[args.phase](**json.loads(args.phase_args))
        sys.stdout.flush()
        print(json.dumps(result))
        return 0

    sizes = [int(s) for s in (args.sizes or ("2" if args.quick else "8,50,195")).split(",")]
    args.repeats = args.repeats or (1 if args.quick else 2)
    # The site and single-document rows are short runs, the noisiest: more repeats, the best kept.
    args.site_repeats = args.site_repeats or (1 if args.quick else 5)
    args.pdf_repeats = args.pdf_repeats or (1 if args.quick else 5)
    args.jobs_sample = args.jobs_sample or (2 if args.quick else 4)
    args.source = args.source.resolve()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    # Time the package as installed, byte-compiled (see the Makefile), including anything edited since.
    compileall.compile_dir(PROJECT / "scripts" / "tiptoolkit", quiet=1)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "command": " ".join(["tiptoolkit bench", *(argv if argv is not None else sys.argv[1:])]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": os.getloadavg(),
        },
        "libharfbuzz_subset0": harfbuzz_subset(),
        "repeats": {"builds": args.repeats, "site": args.site_repeats, "pdf": args.pdf_repeats},
        "reference": str(args.reference) if args.reference.exists() else None,
        "sizes": {},
        "engines": {},
    }
    from importlib.metadata import version

    packages = ("weasyprint", "mkdocs", "mkdocs-material", "zensical", "tiptoolkit")
    results["versions"] = {name: version(name) for name in packages}
    temp = Path(tempfile.mkdtemp(prefix="tiptoolkit-bench-"))
    try:
        for index, size in enumerate(sorted(sizes)):
            log(f"{size} countries")
            work = temp / str(size)
            work.mkdir()
            if args.engines_only:
                make_dataset(args.source, size, work / "toolkit_data")
                results["engines"][str(size)] = bench_engines(work / "toolkit_data", work, args, log)
                continue
            result = bench_size(size, work, args, log)
            results["engines"][str(size)] = bench_engines(work / "toolkit_data", work, args, log)
            if index == 0:
                results["preview"] = bench_preview(work, args, log)
            if index == 0 and not args.no_pdf_compare:
                results["pdf"] = bench_pdf(work, args, log)
            result["peak_rss_kb"] = peak(result)
            results["sizes"][str(size)] = result
        keys = list(results["sizes"])
        if len(keys) > 1:
            first = results["sizes"][keys[0]]
            small, large = first["html_sizes"], results["sizes"][keys[-1]]["html_sizes"]
            grown = sorted(p for p in small if p in large and large[p] > small[p] * 1.02)
            joined = set(first["neighbours_to_join"])
            results["page_growth"] = {
                "index": [p for p in grown if index_page(p)],
                "neighbours_joined": [p for p in grown if p in joined],
                "non_index": [p for p in grown if not index_page(p) and p not in joined],
            }
        results["parent"] = _rusage()
        results["peak_rss_kb_any_process"] = max(peak(results), results["parent"]["self_max_rss_kb"])
        results["seconds"] = time.perf_counter() - started
    finally:
        if args.keep:
            log(f"kept {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)
    for result in results["sizes"].values():  # the page-by-page sizes are long: keep a summary
        sizes_ = result.pop("html_sizes")
        result["largest_pages"] = dict(sorted(sizes_.items(), key=lambda kv: -kv[1])[:5])
    text = table(results)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({**results, "table": text.splitlines()}, indent=1) + "\n", encoding="utf-8")
    log(f"wrote {args.out} ({results['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
