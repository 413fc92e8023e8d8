"""Charts drawn on the server as SVG: no script, no outside library, readable by a screen
reader through each chart's title and description (and the table printed beside it).

Pure functions: numbers in, markup out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 30

PALETTE = ("#2f6690", "#c9733a", "#3a7d44", "#7a5195", "#8c8c8c", "#b23a48")


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def nice_ticks(top: float, *, most: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (steps of 1, 2 or 5 times a power of 10)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    count = math.ceil(top / step)
    return [i * step for i in range(count + 1)]


def _label(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _frame(
    chart_id: str, title: str, description: str, ticks: list[float], unit: str, days: Sequence[date]
) -> tuple[list[str], float, float]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = ticks[-1] or 1.0
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for tick in ticks:
        y = TOP + plot_h - tick / top * plot_h
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_label(tick, unit)}</text>"
        )
    slot = plot_w / max(len(days), 1)
    for i, day in enumerate(days):
        if i % 7 == 0 or i == len(days) - 1:
            x = LEFT + slot * (i + 0.5)
            parts.append(
                f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
                f"{day.day} {day:%b}</text>"
            )
    return parts, slot, top


def stacked_bars(
    chart_id: str,
    title: str,
    days: Sequence[date],
    series: Mapping[str, Sequence[int]],
) -> Markup:
    totals = [sum(values[i] for values in series.values()) for i in range(len(days))]
    ticks = nice_ticks(max(totals, default=0))
    description = f"{sum(totals):,} in {len(days)} days, at most {max(totals, default=0):,} a day"
    parts, slot, top = _frame(chart_id, title, description, ticks, "", days)
    plot_h = HEIGHT - TOP - BOTTOM
    width = max(slot * 0.72, 1.0)
    for i in range(len(days)):
        base = 0
        for s, (name, values) in enumerate(series.items()):
            n = values[i]
            if not n:
                continue
            y0 = TOP + plot_h - (base + n) / top * plot_h
            h = n / top * plot_h
            x = LEFT + slot * i + (slot - width) / 2
            parts.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{width:.1f}" height="{h:.1f}" '
                f'fill="{colour(s)}"><title>{escape(name)} {days[i]}: {n}</title></rect>'
            )
            base += n
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every piece of text above is escaped)


def lines(
    chart_id: str,
    title: str,
    days: Sequence[date],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str = "",
) -> Markup:
    """One line per series; a day without a value breaks the line rather than faking a 0."""
    known = [v for values in series.values() for v in values if v is not None]
    top_value = 1.0 if unit == "%" else max(known, default=0.0)
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0] if unit == "%" else nice_ticks(top_value)
    description = (
        "no figures in this period"
        if not known
        else f"from {_label(min(known), unit)} to {_label(max(known), unit)}"
    )
    parts, slot, top = _frame(chart_id, title, description, ticks, unit, days)
    plot_h = HEIGHT - TOP - BOTTOM
    for s, (name, values) in enumerate(series.items()):
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            x = LEFT + slot * (i + 0.5)
            y = TOP + plot_h - value / top * plot_h
            runs[-1].append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour(s)}">'
                f"<title>{escape(name)} {days[i]}: {_label(value, unit)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour(s)}" stroke-width="2" '
                    f'points="{" ".join(run)}"/>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every piece of text above is escaped)


def bars(chart_id: str, title: str, items: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per labelled count."""
    row, label_w = 30, 110
    height = TOP + row * len(items) + 8
    top = max((n for _, n in items), default=0) or 1
    total = sum(n for _, n in items)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{total:,} in all</desc>',
    ]
    span = WIDTH - label_w - RIGHT - 50
    for i, (label, n) in enumerate(items):
        y = TOP + i * row
        w = n / top * span
        parts.append(
            f'<text class="axis" x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row - 10}" '
            f'fill="{PALETTE[5] if n else "#d0d4da"}"/>'
        )
        parts.append(f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 16}">{n:,}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every piece of text above is escaped)
