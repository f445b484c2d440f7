"""Small server-side SVG charts: no JavaScript, no CDN, readable without colour."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .numbers import show_number


def sparkline(
    points: Sequence[tuple[int, Decimal]], *, width: int = 160, height: int = 40, label: str = ""
) -> SafeString:
    """A line of (year, value) points, each year labelled, as an inline SVG with a text title."""
    if not points:
        return SafeString("")
    pad = 6
    values = [float(value) for _, value in points]  # drawing only: never compared
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = [
        (pad + i * step, pad + (height - 2 * pad) * (1 - (v - low) / span))
        for i, v in enumerate(values)
    ]
    polyline = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5"><title>{}: {}</title></circle>',
        (
            (f"{x:.1f}", f"{y:.1f}", year, show_number(value))
            for (x, y), (year, value) in zip(coords, points, strict=True)
        ),
    )
    summary = ", ".join(f"{year}: {show_number(value)}" for year, value in points)
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}"><title>{}</title><polyline points="{}" fill="none" '
        'stroke="currentColor" stroke-width="1.5"/>{}</svg>',
        width,
        height,
        width,
        height,
        f"{label} {summary}".strip(),
        summary,
        polyline,
        dots,
    )
