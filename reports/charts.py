"""Server-rendered SVG bar charts for the reports: no JavaScript, no library. Each chart
is an image with a title and a text description (role="img", aria-labelledby), and the
same figures are in the table beside it, which is what a screen reader reads."""

from dataclasses import dataclass

from reports.tables import NO_DATA

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 48, 28, 12


@dataclass
class Bar:
    label: str
    value: float | None
    text: str
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    ident: str
    title: str
    description: str
    bars: list[Bar]
    maximum_text: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    top: int = TOP


def bar_chart(ident: str, title: str, points: list[tuple[str, float | None]], fmt) -> Chart:
    """Bars for `points` ((label, value or None for no data)); `fmt` turns a value into the
    text shown for it."""
    known = [value for _, value in points if value is not None]
    maximum = max(known, default=0) or 1
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(points), 1)
    bars = []
    for i, (label, value) in enumerate(points):
        height = 0 if value is None else plot_height * value / maximum
        bars.append(
            Bar(
                label=label,
                value=value,
                text=NO_DATA if value is None else fmt(value),
                x=LEFT + i * slot + slot * 0.15,
                y=HEIGHT - BOTTOM - height,
                width=slot * 0.7,
                height=height,
            )
        )
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return Chart(ident, title, description, bars, fmt(maximum) if known else NO_DATA)
