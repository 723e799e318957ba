"""Server-side SVG charts (no JavaScript, no CDN): bars for cohort counts, lines for training curves."""

from __future__ import annotations

from html import escape
from typing import Sequence

PALETTE = ("#1f6f8b", "#d08c2f", "#5a8f3d", "#8a4f9e", "#b5473a", "#4a6fa5")


def bar_chart_svg(labels: Sequence[str], values: Sequence[int | None], *, threshold: int, title: str,
                  width: int = 640, bar_height: int = 22) -> str:
    """Horizontal bars, one per cell; a suppressed cell (``None``) is drawn as an outlined '<T' stub."""
    label_w, pad = 170, 8
    shown = [v for v in values if v is not None]
    top = max(shown + [threshold])
    plot_w = width - label_w - 70
    height = pad * 2 + 24 + len(labels) * (bar_height + 6)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
           f'<text x="{pad}" y="{pad + 12}" font-weight="600">{escape(title)}</text>']
    y = pad + 24
    for label, value in zip(labels, values):
        out.append(f'<text x="{label_w - 6}" y="{y + bar_height - 6}" text-anchor="end">{escape(label)}</text>')
        if value is None:
            w = max(2, plot_w * threshold / top)
            out.append(f'<rect class="bar suppressed" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                       f'fill="none" stroke="#8a99a8" stroke-dasharray="4 3"/>')
            out.append(f'<text x="{label_w + w + 5:.1f}" y="{y + bar_height - 6}">&lt;{threshold}</text>')
        else:
            w = max(1, plot_w * value / top)
            out.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                       f'fill="{PALETTE[0]}"><title>{escape(label)}: {value}</title></rect>')
            out.append(f'<text x="{label_w + w + 5:.1f}" y="{y + bar_height - 6}">{value}</text>')
        y += bar_height + 6
    out.append("</svg>")
    return "".join(out)


def line_chart_svg(series: dict[str, list[tuple[float, float]]], *, title: str, x_label: str = "round",
                   width: int = 560, height: int = 260) -> str:
    """One line per series over rounds, with min/max axis labels and a legend."""
    points = [p for pts in series.values() for p in pts]
    left, right, top, bottom = 56, 16, 28, 36
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="line-chart" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
           f'<text x="{left}" y="16" font-weight="600">{escape(title)}</text>']
    if not points:
        out.append(f'<text x="{left}" y="{height / 2}">no values</text></svg>')
        return "".join(out)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1
    pw, ph = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return left + pw * (x - x0) / (x1 - x0)

    def sy(y: float) -> float:
        return top + ph * (1 - (y - y0) / (y1 - y0))

    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fff" stroke="#d8dee6"/>')
    out.append(f'<text x="{left - 4}" y="{top + 10}" text-anchor="end">{y1:.3g}</text>')
    out.append(f'<text x="{left - 4}" y="{top + ph}" text-anchor="end">{y0:.3g}</text>')
    out.append(f'<text x="{left}" y="{height - 18}">{x0:g}</text>')
    out.append(f'<text x="{left + pw}" y="{height - 18}" text-anchor="end">{x1:g}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 4}" text-anchor="middle">{escape(x_label)}</text>')
    for i, (name, pts) in enumerate(sorted(series.items())):
        color = PALETTE[i % len(PALETTE)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(pts))
        out.append(f'<polyline class="series" data-name="{escape(name)}" fill="none" stroke="{color}" '
                   f'stroke-width="2" points="{path}"/>')
        for x, y in pts:
            out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{color}"><title>{escape(name)} '
                       f'{x_label} {x:g}: {y:.4g}</title></circle>')
        out.append(f'<text x="{left + 8 + 150 * i}" y="{top + 14}" fill="{color}">■ {escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)
