"""The benchmark runs (at its smallest size), and the PDF cache and CI shards do what the README promises.

These run on the small `minimal` fixture (one country, plus clones the benchmark makes): a real
toolkit takes about 20 s to lay out, a fixture one about 1 s, and what is checked here (which PDFs
are rendered, which bytes come out) does not depend on the size of the document.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tiptoolkit.build import build
from tiptoolkit.cli import main as cli
from tiptoolkit.pdf import batch
from tiptoolkit.validate import validate

from .conftest import FIXTURES

PROJECT = Path(__file__).resolve().parent.parent
BENCHMARK = PROJECT / "scripts" / "benchmark.py"
sys.path.insert(0, str(PROJECT / "scripts"))
import benchmark  # noqa: E402


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """The minimal content with two clones: three countries, four PDFs."""
    root = tmp_path / "data"
    ids = benchmark.make_dataset(FIXTURES / "minimal", 3, root)
    assert len(ids) == 3
    return root


@pytest.mark.slow
def test_benchmark_quick_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick", "--source", str(FIXTURES / "minimal"), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "no-change rebuild PDFs rendered" in proc.stdout
    results = json.loads(out.read_text())
    size = results["sizes"]["2"]
    assert size["cold"]["rendered"] == ["abw-en", "npl-en", "region-south-asia-en"]  # the fixture has one region
    assert size["nochange_rendered"] == 0
    assert size["edit_summary"]["rendered"] == size["edit_summary"]["expected"] == ["abw-en"]
    assert size["edit_contact"]["rendered"] == size["edit_contact"]["expected"]
    assert size["edit_shared"]["would_render"] == size["edit_shared"]["of"] == 3
    assert size["site_vs_plain"] > 0 and size["country_page_bytes"] > 0
    engines = results["engines"]["2"]  # both engines built the site, cold and warm, and the ratio is theirs
    assert engines["pages"] > 20
    for kind in ("cold", "warm"):
        ratio = engines[f"zensical_{kind}_cpu"] / engines[f"mkdocs_{kind}_cpu"]
        assert engines[f"zensical_vs_mkdocs_{kind}"] == pytest.approx(ratio)
    assert "2 countries: site by Zensical / by MkDocs, warm, CPU" in proc.stdout
    assert results["pdf"]["compare"]["pages"] == results["pdf"]["compare"]["bare_pages"]
    jobs = results["pdf"]["jobs"]
    assert jobs["one"]["seconds"] > 0 and jobs["two"]["seconds"] > 0 and jobs["pdfs"]
    assert jobs["speedup"] == pytest.approx(jobs["one"]["seconds"] / jobs["two"]["seconds"])  # the ratio reported
    assert 0 < results["peak_rss_kb_any_process"] < 1.5 * 1024 * 1024
    assert "libharfbuzz_subset0" in results
    preview = results["preview"]  # a save reached the served page (the marker was found), and was timed
    assert preview["country"] == "npl" and len(preview["seconds"]) == 1
    assert "live preview: a one-file save until the page shows it" in proc.stdout


def test_synthetic_dataset_is_valid_and_neighbours_stay_within(tmp_path: Path) -> None:
    from tiptoolkit.dataset import DEFAULT_ROOT

    root = tmp_path / "data"
    real = len(list((DEFAULT_ROOT / "countries").glob("*.yaml")))
    ids = benchmark.make_dataset(DEFAULT_ROOT, real + 20, root)
    dataset, problems = validate(root)
    assert not problems, problems[:3]
    assert len(dataset.countries) == real + 20 == len(set(ids))
    clones = [dataset.countries[c] for c in ids[real:]]
    names = {c.name for c in dataset.countries.values()}
    assert len(names) == real + 20, "every clone has its own name"
    for clone in clones:
        assert all(code.lower() in dataset.countries for code in clone.neighbours), clone.id
    # A clone of a member of a regional convention may join it as its original may, and keeps its record (the
    # validator refuses a record for an instrument not open to it, and asks for one for each that is).
    from tiptoolkit import analysis

    for regional in ("saarc-convention", "actip"):
        members = [c for c in clones if analysis.open_to(dataset.instruments[regional], c.id.upper())]
        assert members and all(any(r.instrument == regional for r in c.ratifications) for c in members), regional


def test_cache_no_change_one_country_and_shared_edits(
    three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    dataset, _ = validate(three)
    made: list[str] = []  # the jobs whose HTML was written
    real_job_html = batch.job_html
    monkeypatch.setattr(batch, "job_html", lambda ds, job: made.append(job.name) or real_job_html(ds, job))
    first: list[batch.Result] = []
    batch.render_all(dataset, None, jobs=1, cache_dir=cache, report=first)
    names = [*sorted(f"{c}-en" for c in dataset.countries), "region-south-asia-en"]
    assert sorted(r.job.name for r in first if r.rendered) == names == sorted(made)

    made.clear()
    again: list[batch.Result] = []
    batch.render_all(dataset, None, jobs=1, cache_dir=cache, report=again)
    assert not [r for r in again if r.rendered]
    assert made == [], "same inputs: the keys come from the plan, no HTML is written"
    assert [(r.job.name, r.key, r.pages) for r in again] == [(r.job.name, r.key, r.pages) for r in first]

    clone = sorted(dataset.countries)[0]
    benchmark._edit_yaml(three / "countries" / f"{clone}.yaml", lambda d: d.update(summary=d["summary"] + " Edited."))
    dataset, _ = validate(three)
    edited: list[batch.Result] = []
    batch.render_all(dataset, None, jobs=1, cache_dir=cache, report=edited)
    assert [r.job.name for r in edited if r.rendered] == [f"{clone}-en"]
    assert sorted(made) == names, "changed inputs: every job's HTML is written again and its hash decides"

    made.clear()  # a plan whose PDF is gone (pruned): that job's HTML is written and the PDF laid out again
    gone = next(r for r in edited if r.job.name == "region-south-asia-en")
    (cache / f"{gone.key}.pdf").unlink()
    rebuilt: list[batch.Result] = []
    batch.render_all(dataset, None, jobs=1, cache_dir=cache, report=rebuilt)
    assert made == ["region-south-asia-en"] and [r.job.name for r in rebuilt if r.rendered] == ["region-south-asia-en"]

    vps = three / "victim_protection" / "vps.yaml"

    def edit_standard(doc: dict) -> None:
        doc["standards"][0]["entitlement"] += " Edited."

    benchmark._edit_yaml(vps, edit_standard)
    dataset, _ = validate(three)
    shared: list[batch.Result] = []
    batch.render_all(dataset, None, jobs=2, cache_dir=cache, report=shared)
    assert all(r.rendered for r in shared) and len(shared) == 4


def test_plan_inputs_cover_the_content_and_the_date(three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset, _ = validate(three)
    before = batch.inputs_fingerprint(dataset)
    assert batch.inputs_fingerprint(dataset) == before
    monkeypatch.setenv("TIPTOOLKIT_TODAY", "2030-01-01")
    assert batch.inputs_fingerprint(dataset) != before
    monkeypatch.setenv("TIPTOOLKIT_TODAY", "2026-12-08")
    glossary = three / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# a comment changes no HTML, but the inputs\n")
    dataset, _ = validate(three)
    assert batch.inputs_fingerprint(dataset) != before


def test_prune_keeps_the_last_build_and_drops_least_recently_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for age, key in enumerate(["old", "older", "used"]):
        (cache / f"{key}.pdf").write_bytes(b"x" * 1000)
        (cache / f"{key}.json").write_text("{}")
        os.utime(cache / f"{key}.pdf", (1_000_000 - age * 1000, 1_000_000 - age * 1000))
    assert batch.prune_cache(cache, {"used"}, max_bytes=10_000) == []
    assert batch.prune_cache(cache, {"used"}, max_bytes=2100) == ["older"]
    assert batch.prune_cache(cache, {"used"}, max_bytes=0) == ["old"]
    assert sorted(p.name for p in cache.iterdir()) == ["used.json", "used.pdf"]


def test_shards_combine_into_the_single_build(three: Path, tmp_path: Path) -> None:
    shard_caches = [tmp_path / "shard-1", tmp_path / "shard-2"]
    for k, folder in enumerate(shard_caches, 1):
        command = ["--root", str(three), "render-pdfs", "--shard", f"{k}/2", "--cache-dir", str(folder), "--jobs", "1"]
        assert cli(command) == 0
    one, two = ({p.name for p in folder.glob("*.pdf")} for folder in shard_caches)
    assert one and two and not one & two, "the shards split the PDFs between them"

    combined = tmp_path / "combined"  # what the final CI job downloads into .cache/pdf
    combined.mkdir()
    for folder in shard_caches:
        for path in folder.iterdir():
            shutil.copy2(path, combined / path.name)
    report: list[batch.Result] = []
    assert build(three, tmp_path / "from-shards" / "site", jobs=2, cache_dir=combined, report=report) == 0
    assert len(report) == 4 and not [r.job.name for r in report if r.rendered]

    assert build(three, tmp_path / "single" / "site", jobs=2, cache_dir=tmp_path / "single-cache") == 0
    sharded, single = tmp_path / "from-shards" / "site", tmp_path / "single" / "site"
    files = sorted(p.relative_to(single) for p in single.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(sharded) for p in sharded.rglob("*") if p.is_file())
    assert len([f for f in files if f.suffix == ".pdf"]) == 4
    different = [f for f in files if (single / f).read_bytes() != (sharded / f).read_bytes()]
    assert not different, f"differ between the sharded and the single build: {different}"


def test_render_pdfs_rejects_a_bad_shard(three: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli(["--root", str(three), "render-pdfs", "--shard", "3/2", "--cache-dir", str(tmp_path / "c")]) == 2
    assert "K must be between 1 and N" in capsys.readouterr().err
