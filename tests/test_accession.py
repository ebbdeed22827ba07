"""Accession kits: the view (one kit per instrument a country has not joined), the country page and the PDFs.

The PDF checks read the rendered files back with pypdf: the kit's sections are there, the country's real
non-joined instruments are listed, and no instrument the country has joined is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tiptoolkit import analysis
from tiptoolkit.dataset import Dataset
from tiptoolkit.model import Coverage, Obligation, Ratification, TreatyAction, TreatyStatus

TEMPLATES = Path(analysis.__file__).parent


def not_joined_from_records(ds: Dataset, country) -> list[str]:
    """Instrument ids the country may join (its code in `open_to`, or none listed) and is not party to, read
    straight from its records (no record = not joined)."""
    status = {record.instrument: record.status for record in country.ratifications}
    return [
        i.id
        for i in analysis.instruments_in_order(ds)
        if (i.open_to is None or country.id.upper() in i.open_to) and status.get(i.id) is not TreatyStatus.PARTY
    ]


def binding(instrument) -> set[str]:
    return {
        f"{instrument.id}/{article.id}"
        for article in instrument.articles
        if article.obligation is Obligation.MANDATORY
        or any(p.obligation is Obligation.MANDATORY for p in article.paragraphs)
    }


# ---------------------------------------------------------------- the view


def test_one_kit_per_instrument_not_joined(dataset: Dataset) -> None:
    for country in dataset.countries.values():
        kits = analysis.accession_kits(dataset, country)
        assert [kit.instrument.id for kit in kits] == not_joined_from_records(dataset, country), country.id
        joined = {r.instrument for r in country.ratifications if r.status is TreatyStatus.PARTY}
        assert not joined & {kit.instrument.id for kit in kits}, country.id


def test_the_regions_real_gaps(dataset: Dataset) -> None:
    """What the data says today (DOMAIN.md, section 3): most of the region is not party to the Smuggling Protocol."""
    kits = {c.id: [k.instrument.id for k in analysis.accession_kits(dataset, c)] for c in dataset.countries.values()}
    assert kits["ind"] == []
    assert kits["afg"] == ["saarc-convention"]
    for code in ("bgd", "btn", "mdv", "npl", "pak", "lka"):
        assert kits[code] == ["som-protocol"], code


def test_route_follows_the_signature(dataset: Dataset) -> None:
    for country in dataset.countries.values():
        for kit in analysis.accession_kits(dataset, country):
            record = kit.cell.record
            signed = bool(record and (record.signed or record.status is TreatyStatus.SIGNATORY))
            assert kit.route is (TreatyAction.RATIFICATION if signed else TreatyAction.ACCESSION)
            assert kit.steps, (country.id, kit.id)
            assert all(step.route in ("any", kit.route.value) for step in kit.steps)
            assert [s.id for s in kit.steps] == [
                s.id for s in kit.instrument.joining_steps if s.route in ("any", kit.route.value)
            ]
    lka = analysis.accession_kit(dataset, dataset.countries["lka"], dataset.instruments["som-protocol"])
    assert lka.route is TreatyAction.RATIFICATION and "instrument-of-ratification" in [s.id for s in lka.steps]
    assert "instrument-of-accession" not in [s.id for s in lka.steps]
    afg = analysis.accession_kit(dataset, dataset.countries["afg"], dataset.instruments["saarc-convention"])
    assert afg.route is TreatyAction.ACCESSION
    first = afg.steps[0]
    assert first.id == "ask-the-depositary" and first.confidence.value == "low"  # accession clause not verified


def test_prerequisites_are_mandatory_provisions_implementing_binding_articles(dataset: Dataset) -> None:
    for country in dataset.countries.values():
        for instrument in dataset.instruments.values():
            kit = analysis.accession_kit(dataset, country, instrument)
            articles = binding(instrument)
            assessed = {a.provision: a.coverage for a in country.coverage}
            expected = {  # a provision that cannot apply (sea measures, a landlocked State) is no prerequisite
                key
                for key, provision in dataset.provisions.items()
                if provision.mandatory
                and articles & analysis.articles_implemented(provision)
                and assessed.get(key) is not Coverage.NOT_APPLICABLE
            }
            assert {p.key for p in kit.prerequisites} == expected, (country.id, instrument.id)
            for item in kit.prerequisites:
                assert item.row.provision.mandatory
                assert set(item.articles) == articles & analysis.articles_implemented(item.row.provision)
                coverage = assessed.get(item.key, Coverage.UNKNOWN)
                assert item.state == {Coverage.FULL: "in-place", Coverage.UNKNOWN: "to-verify"}.get(coverage, "to-pass")
            assert len(kit.in_place) + len(kit.to_pass) + len(kit.to_verify) == len(kit.prerequisites)
            implemented = {
                ref
                for provision in dataset.provisions.values()
                if provision.mandatory
                for ref in articles & analysis.articles_implemented(provision)
            }
            assert set(kit.unimplemented) == articles - implemented


def test_a_protocol_needs_the_convention(dataset: Dataset) -> None:
    """A Protocol's precondition is the Convention (UNTOC art. 37(2)); met only when the country is party to it."""
    country = dataset.countries["npl"]
    kit = analysis.accession_kit(dataset, country, dataset.instruments["som-protocol"])
    assert kit.precondition.instrument.id == "untoc" and kit.precondition_met
    assert analysis.accession_kit(dataset, country, dataset.instruments["saarc-convention"]).precondition is None
    records = [
        Ratification(
            instrument=r.instrument, status=TreatyStatus.NOT_PARTY, sources=r.sources, last_reviewed=r.last_reviewed
        )
        if r.instrument in ("untoc", "tip-protocol")
        else r
        for r in country.ratifications
    ]
    outsider = country.model_copy(update={"ratifications": records})
    kits = {kit.instrument.id: kit for kit in analysis.accession_kits(dataset, outsider)}
    assert list(kits) == ["untoc", "tip-protocol", "som-protocol"]
    assert kits["untoc"].precondition is None
    assert not kits["tip-protocol"].precondition_met and not kits["som-protocol"].precondition_met


def test_reservations_and_entry_into_force_come_from_the_instrument(dataset: Dataset) -> None:
    for instrument in dataset.instruments.values():
        kit = analysis.accession_kit(dataset, dataset.countries["afg"], instrument)
        assert list(kit.reservations) == instrument.reservations_allowed
        assert kit.reservations or instrument.reservations_note, instrument.id
    for protocol, article in (("tip-protocol", "tip-protocol/art-15"), ("som-protocol", "som-protocol/art-20")):
        assert article in [r.article for r in dataset.instruments[protocol].reservations_allowed]
    for instrument in dataset.instruments.values():
        steps = {step.id for step in instrument.joining_steps}
        assert {"national-approval", "deposit", "entry-into-force"} <= steps, instrument.id


# ---------------------------------------------------------------- the country page


@pytest.fixture(scope="module")
def pages(dataset: Dataset) -> dict[str, str]:
    from tiptoolkit.site.pages import Linker, PdfInfo, SiteBuilder

    pdfs = {
        analysis.accession_stem(c, i): PdfInfo(f"toolkits/{analysis.accession_stem(c, i)}.pdf", 40_000, 4)
        for c in dataset.countries.values()
        for i in dataset.instruments.values()
    }
    return {page.path: page.markdown for page in SiteBuilder(dataset, Linker(), pdfs).build()}


def test_country_page_lists_each_kit_and_no_joined_instrument(dataset: Dataset, pages: dict[str, str]) -> None:
    for country in dataset.countries.values():
        page = pages[f"countries/{country.id}.md"]
        assert "{: #accession }" in page
        section = page[page.index("{: #accession }") : page.index("{: #coverage }")]
        missing = not_joined_from_records(dataset, country)
        for instrument in dataset.instruments.values():
            anchor = f"{{: #accession-{instrument.id} }}"
            pdf = f"toolkits/{country.id}-accession-{instrument.id}-en.pdf"
            if instrument.id in missing:
                assert anchor in section and pdf in section, (country.id, instrument.id)
            else:
                assert anchor not in section and pdf not in section, (country.id, instrument.id)
        if not missing:
            assert "is a party to every instrument in the toolkit" in section


def test_templates_hold_no_content_text(dataset: Dataset) -> None:
    """Every sentence of a kit comes from the YAML: no step's text is copied into a template."""
    templates = "\n".join(p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.j2"))
    for instrument in dataset.instruments.values():
        for step in instrument.joining_steps:
            assert step.text[:50] not in templates and step.title not in templates, step.id


# ---------------------------------------------------------------- the PDFs, read back


def pdf_text(data: bytes) -> str:
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return re.sub(r"(\w-) (\w)", r"\1\2", text)  # a word broken after its hyphen at a line end


def outline_titles(data: bytes) -> list:
    """The PDF bookmarks as nested lists of (title, children)."""
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))

    def walk(items: list) -> list:
        result = []
        for item in items:
            if isinstance(item, list):
                result[-1] = (result[-1][0], walk(item))
            else:
                result.append((item.title, []))
        return result

    return walk(reader.outline)


@pytest.fixture(scope="module")
def kit_pdfs(dataset: Dataset) -> dict[str, bytes]:
    """Every stand-alone kit the build publishes, rendered through the batch's own job list."""
    from tiptoolkit.pdf import batch

    jobs = [job for job in batch.jobs_for(dataset) if job.kind == "accession"]
    return {job.name: batch.layout(batch.job_html(dataset, job), job.paper) for job in jobs}


def test_build_publishes_one_kit_pdf_per_instrument_not_joined(dataset: Dataset) -> None:
    from tiptoolkit.pdf import batch

    names = {job.name for job in batch.jobs_for(dataset)}
    for country in dataset.countries.values():
        for instrument in dataset.instruments.values():
            name = f"{country.id}-accession-{instrument.id}-en"
            assert (name in names) == (instrument.id in not_joined_from_records(dataset, country)), name


def test_kit_pdfs_read_back(dataset: Dataset, kit_pdfs: dict[str, bytes]) -> None:
    assert kit_pdfs
    for name, data in kit_pdfs.items():
        code, _, rest = name.partition("-accession-")
        country, instrument = dataset.countries[code], dataset.instruments[rest.removesuffix("-en")]
        text = pdf_text(data)
        assert country.name in text and instrument.short_title in text, name
        for label in (
            "Status",
            "Route",
            "Steps",
            "Reservations and declarations allowed",
            "Legislative prerequisites",
            "Sources",
        ):
            assert label in text, (name, label)
        for step in analysis.accession_kit(dataset, country, instrument).steps:
            assert " ".join(step.title.split()) in text, (name, step.id)
        bookmarks = [title for title, _ in outline_titles(data)[0][1]]
        assert bookmarks == [
            "Steps",
            "Reservations and declarations allowed",
            "Legislative prerequisites",
            "Sources",
        ], name
        import io

        import pypdf

        fields = pypdf.PdfReader(io.BytesIO(data)).get_fields() or {}
        kit = analysis.accession_kit(dataset, country, instrument)
        assert {f"accession.{instrument.id}.{step.id}" for step in kit.steps} <= set(fields), name


@pytest.mark.slow
def test_country_toolkit_has_the_accession_chapter(dataset: Dataset) -> None:
    """The chapter of the toolkit PDF (Nepal), read back from its bookmarks and text."""
    from tiptoolkit.pdf.render import render_country

    code = "npl"
    data = render_country(dataset, code.upper())
    chapters = outline_titles(data)
    titles = [title for title, _ in chapters]
    assert any(title.endswith("Joining the remaining instruments") for title in titles)
    index = next(i for i, title in enumerate(titles) if title.endswith("Joining the remaining instruments"))
    kits = [title.split(" ", 1)[1] for title, _ in chapters[index][1]]
    country = dataset.countries[code]
    expected = [dataset.instruments[i].short_title for i in not_joined_from_records(dataset, country)]
    assert kits == expected
    joined = [i.short_title for i in dataset.instruments.values() if i.short_title not in expected]
    assert not set(kits) & set(joined)
    text = pdf_text(data)
    for kit in analysis.accession_kits(dataset, country):
        for step in kit.steps:
            assert " ".join(step.title.split()) in text, step.id


def test_country_toolkit_chapter_when_every_instrument_is_joined(dataset: Dataset) -> None:
    from tiptoolkit.pdf.render import render_html

    html = render_html(dataset, "IND")
    assert 'id="accession"' in html and "India is a party to every instrument in the toolkit." in html
    assert 'id="accession-' not in html
