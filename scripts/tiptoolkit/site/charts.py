"""Inline SVG charts built at build time: no JavaScript, nothing fetched. Each has a title and a description;
the pages that show them also give the same facts as a table."""

from __future__ import annotations

from markupsafe import Markup, escape

from .. import analysis
from ..dataset import Dataset, today
from ..model import Country, Coverage, date_range

COVERAGE_STYLE = {
    Coverage.FULL: ("#1a7f37", "#ffffff", "F"),
    Coverage.PARTIAL: ("#9a6700", "#ffffff", "P"),
    Coverage.NONE: ("#cf222e", "#ffffff", "N"),
    Coverage.NOT_APPLICABLE: ("#f6f8fa", "#57606a", "–"),
    Coverage.UNKNOWN: ("#e6e8eb", "#24292f", "?"),
}


def _svg(width: int, height: int, chart_id: str, title: str, description: str, body: list[str]) -> Markup:
    # Laid out left to right (a time axis, columns of countries) in every edition: on a right-to-left page the
    # inherited direction would turn each label's anchor around, over the plot.
    head = (
        f'<svg class="tk-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" direction="ltr" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def timeline(ds: Dataset, country: Country) -> Markup:
    """Signatures (hollow) and ratifications or accessions (filled) per instrument it may join, on a time axis."""
    instruments = analysis.instruments_open_to(ds, country)
    first_year, last_year = 2000, today().year + 1
    left, right, top, row = 190, 20, 30, 34
    width = 760
    height = top + row * len(instruments) + 10
    span = width - left - right

    def x(date_text: str) -> float:
        start, _ = date_range(date_text)
        return left + span * ((start.year - first_year) + (start.timetuple().tm_yday / 366)) / (last_year - first_year)

    body = []
    for year in range(first_year, last_year + 1, 2):
        position = left + span * (year - first_year) / (last_year - first_year)
        body.append(f'<line x1="{position:.1f}" y1="{top - 8}" x2="{position:.1f}" y2="{height - 8}" class="tk-grid"/>')
        body.append(f'<text x="{position:.1f}" y="{top - 12}" class="tk-axis" text-anchor="middle">{year}</text>')
    events = analysis.timeline(ds, country)
    described = []
    for index, instrument in enumerate(instruments):
        y = top + row * index + row / 2
        body.append(
            f'<text x="{left - 10}" y="{y + 4:.1f}" class="tk-label" text-anchor="end">{escape(instrument.abbreviation)}</text>'
        )
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="tk-lane"/>')
        for event in (e for e in events if e.instrument.id == instrument.id):
            cx = x(event.date)
            filled = event.what != "signature"
            label = f"{instrument.abbreviation}: {event.what} {analysis.format_date(event.date)}" + (
                " (unconfirmed)" if event.uncertain else ""
            )
            described.append(label)
            shape = "tk-dot" if filled else "tk-ring"
            body.append(
                f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="7" class="{shape}"><title>{escape(label)}</title></circle>'
            )
    description = "; ".join(described) if described else "No signature or ratification dates recorded."
    return _svg(width, height, f"timeline-{country.id}", f"{country.name}: treaty actions over time", description, body)


def _lines(text: str, most: int) -> list[str]:
    """`text` in lines of at most `most` characters, broken between words (a longer word keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def heatmap(ds: Dataset, chart_id: str = "coverage-heatmap") -> Markup:
    """Mandatory model provisions (rows) by country (columns, named), coloured and lettered by coverage; `chart_id`
    tells apart the maps on one page (one per region)."""
    countries = analysis.countries_in_order(ds)
    rows = analysis.heatmap(ds)
    left, top, cell_w, line_h = 300, 96, 52, 14
    labels = [
        _lines(f"{ds.provision_law[key].short_title.split()[0]} {provision.number}. {provision.title}", 40)
        for key, provision, _ in rows
    ]
    heights = [6 + line_h * len(lines) for lines in labels]  # a two-line label makes its row taller
    width = left + cell_w * len(countries) + 40
    height = top + sum(heights) + 10
    body = []
    for column, country in enumerate(countries):
        cx = left + column * cell_w + cell_w / 2
        body.append(
            f'<text x="{cx:.1f}" y="{top - 8}" class="tk-axis" transform="rotate(-40 {cx:.1f} {top - 8})">'
            f"{escape(country.name)}</text>"
        )
    counts = {coverage: 0 for coverage in Coverage}
    y = top
    for (_key, _provision, cells), lines, cell_h in zip(rows, labels, heights, strict=True):
        spans = "".join(
            f'<tspan x="{left - 8}" dy="{0 if n == 0 else line_h}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        body.append(f'<text y="{y + line_h}" class="tk-label" text-anchor="end">{spans}</text>')
        for column, cell in enumerate(cells):
            fill, ink, letter = COVERAGE_STYLE[cell.coverage]
            counts[cell.coverage] += 1
            cx = left + column * cell_w
            tip = f"{cell.provision.title}: {countries[column].name}: {cell.coverage.value}"
            body.append(
                f'<g><title>{escape(tip)}</title><rect x="{cx + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}"/><text x="{cx + cell_w / 2:.1f}" y="{y + cell_h / 2 + 4:.1f}" fill="{ink}" class="tk-cell" '
                f'text-anchor="middle">{letter}</text></g>'
            )
        y += cell_h
    summary = ", ".join(f"{count} {coverage.value}" for coverage, count in counts.items())
    description = (
        f"{len(rows)} mandatory model provisions across {len(countries)} countries; cells: {summary}. "
        "F full, P partial, N none, – not applicable, ? not yet assessed."
    )
    return _svg(width, height, chart_id, "Coverage of the mandatory model provisions by country", description, body)
