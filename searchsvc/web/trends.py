"""Server-side bar charts as accessible SVG: pure functions of counts, no I/O, no JavaScript.

Why server-side SVG: the chart must work without JavaScript and under a CSP that
forbids inline script and style, load nothing from outside, and be readable by
a screen reader. So each bar is a real link (``<a>`` with an ``aria-label``
such as "2017: 12 items — show them"), the figure has a title and description,
colours come from classes in the site's stylesheet (no ``style`` attributes),
and every text is escaped here because the result is marked safe for templates.
The page also shows the same numbers as a table, for anyone who cannot see the
chart at all.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str  # short axis label: "2017", "Mar"
    count: int
    href: str = ""  # where clicking the bar goes (a filtered search); empty = not a link
    name: str = ""  # long name for screen readers: "March 2017"; defaults to label
    partial: bool = False  # a period not over yet (this year): its count will still grow
    share: float | None = None  # of all items in the period, when known (0.0–1.0)

    @property
    def spoken(self) -> str:
        return self.name or self.label

    @property
    def axis_label(self) -> str:
        return self.label + ("*" if self.partial else "")

    @property
    def percent(self) -> str:
        """The share as people write it: "12%", "0.4%", "" when unknown."""
        if self.share is None:
            return ""
        value = self.share * 100
        return f"{value:.1f}%" if 0 < value < 1 else f"{value:.0f}%"


def bar_chart(bars: list[Bar], *, title: str, description: str = "", unit: str = "item",
              width: int = 640, height: int = 220, chart_id: str | None = None) -> Markup:
    """An SVG bar chart; bars link to ``href``. Returns markup safe to insert as is."""
    cid = chart_id or f"chart{next(_ids)}"
    top, bottom, left, right = 24, 36, 40, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((b.count for b in bars), default=0)
    scale_max = _nice(peak)
    n = max(len(bars), 1)
    slot = plot_w / n
    bar_w = max(min(slot * 0.7, 48), 2)
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="group" '
           f'aria-labelledby="{cid}-t {cid}-d" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="{cid}-t">{escape(title)}</title>',
           f'<desc id="{cid}-d">{escape(description or _summary(bars, unit))}</desc>']
    # Axis: zero line and the top gridline with its value.
    base_y = top + plot_h
    out.append(f'<line class="chart-axis" x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}"/>')
    if scale_max:
        out.append(f'<line class="chart-grid" x1="{left}" y1="{top}" x2="{width - right}" y2="{top}"/>')
        out.append(f'<text class="chart-tick" x="{left - 6}" y="{top + 4}" text-anchor="end">{scale_max}</text>')
    out.append(f'<text class="chart-tick" x="{left - 6}" y="{base_y + 4}" text-anchor="end">0</text>')
    label_every = max(1, -(-n // 16))  # at most ~16 axis labels, however many bars
    for i, bar in enumerate(bars):
        h = 0.0 if not scale_max else plot_h * bar.count / scale_max
        if bar.count and h < 2:
            h = 2.0  # a non-zero count stays visible
        x = left + i * slot + (slot - bar_w) / 2
        y = base_y - h
        noun = unit if bar.count == 1 else unit + "s"
        spoken = f"{bar.spoken}: {bar.count:,} {noun}"
        bar_class = "chart-bar chart-bar-partial" if bar.partial else "chart-bar"
        rect = (f'<rect class="{bar_class}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}"/>'
                f'<rect class="chart-hit" x="{left + i * slot:.1f}" y="{top}" width="{slot:.1f}" '
                f'height="{plot_h}"/>')
        # The value above a bar is part of its link: people click the number as often as the bar.
        value = (f'<text class="chart-value" x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" '
                 f'text-anchor="middle" aria-hidden="true">{bar.count:,}</text>') if bar.count else ""
        if bar.href and bar.count:
            out.append(f'<a class="chart-link" href="{escape(bar.href)}" aria-label="{escape(spoken)} — show them">'
                       f'<title>{escape(spoken)}</title>{rect}{value}</a>')
        else:
            out.append(f'<g role="img" aria-label="{escape(spoken)}"><title>{escape(spoken)}</title>{rect}</g>{value}')
        if i % label_every == 0:
            out.append(f'<text class="chart-label" x="{x + bar_w / 2:.1f}" y="{base_y + 18}" '
                       f'text-anchor="middle" aria-hidden="true">{escape(bar.axis_label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def year_bars(counts: dict[str, int], href_for, *, totals: dict[str, int] | None = None,
              today: date | None = None) -> list[Bar]:
    """One bar per year from the first to the last year with a count (gaps shown as zero).

    ``totals`` (all items per year) gives each bar its share, which is what makes
    years comparable when the archive holds more of some years than others; the
    current year is marked partial, so its short bar is not read as a decline.
    """
    years = sorted(int(y) for y, c in counts.items() if str(y).isdigit() and c)
    if not years:
        return []
    this_year = (today or date.today()).year
    bars = []
    for y in range(years[0], years[-1] + 1):
        count, total = counts.get(str(y), 0), (totals or {}).get(str(y), 0)
        partial = y == this_year
        bars.append(Bar(str(y), count, href_for(str(y)), f"{y} (so far)" if partial else "", partial,
                        count / total if total else None))
    return bars


def month_bars(year: int, counts: list[int], href_for) -> list[Bar]:
    """Twelve bars, January to December, of ``counts`` (a list of 12)."""
    return [Bar(MONTHS[m], counts[m], href_for(m + 1), f"{MONTH_NAMES[m]} {year}") for m in range(12)]


def _nice(peak: int) -> int:
    """A round axis maximum at or above ``peak`` (1, 2, 5 × 10ⁿ)."""
    if peak <= 0:
        return 0
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= peak:
                return step * magnitude
        magnitude *= 10


def _summary(bars: list[Bar], unit: str) -> str:
    if not bars:
        return f"No {unit}s to chart."
    total = sum(b.count for b in bars)
    peak = max(bars, key=lambda b: b.count)
    return (f"{total:,} {unit}s across {len(bars)} bars, from {bars[0].spoken} to {bars[-1].spoken}; "
            f"the most, {peak.count:,}, in {peak.spoken}.")
