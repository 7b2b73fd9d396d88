"""Trend charts as inline SVG, drawn at build time: no JavaScript, colours from the
theme's CSS variables (dark mode and print follow), values printed on the bars.
The page shows a data table beside each chart as the accessible alternative."""

from __future__ import annotations

from markupsafe import Markup, escape

from portal.site.metrics import Series

WIDTH, HEIGHT = 320, 150
TOP, BOTTOM, SIDE = 22, 24, 12


def bar_chart(series: Series) -> Markup:
    values = [point.value for point in series.points]
    highest = max(values) or 1
    slot = (WIDTH - 2 * SIDE) / len(values)
    bar = min(44, slot * 0.6)
    shapes = []
    for index, point in enumerate(series.points):
        centre = SIDE + slot * (index + 0.5)
        height = float(point.value / highest) * (HEIGHT - TOP - BOTTOM)
        top = HEIGHT - BOTTOM - height
        shapes.append(
            f'<rect class="portal-chart__bar" x="{centre - bar / 2:.1f}" y="{top:.1f}" '
            f'width="{bar:.1f}" height="{height:.1f}"/>'
            f'<text class="portal-chart__value" x="{centre:.1f}" y="{top - 5:.1f}">{escape(point.display)}</text>'
            f'<text class="portal-chart__year" x="{centre:.1f}" y="{HEIGHT - 7}">{point.year}</text>'
        )
    baseline = (
        f'<line class="portal-chart__axis" x1="{SIDE}" y1="{HEIGHT - BOTTOM}" '
        f'x2="{WIDTH - SIDE}" y2="{HEIGHT - BOTTOM}"/>'
    )
    return Markup(
        f'<svg class="portal-chart" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" focusable="false">'
        + baseline
        + "".join(shapes)
        + "</svg>"
    )
