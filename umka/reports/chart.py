"""A section's chart: horizontal bars laid out on the server and drawn as inline SVG
by reports/_chart.html (no JavaScript). Each bar has its own fill pattern and its
number written next to it, so a black-and-white print reads the same."""

from dataclasses import dataclass

from umka.reports.registry import Figure

WIDTH = 560
LABEL = 200  # left column with the categories
BAR_AREA = 300
ROW = 30
TOP = 4
PATTERNS = ("solid", "hatch", "dots", "cross", "lines", "light")


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: int
    y_text: int
    width: float
    x_value: float
    pattern: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_x: int = LABEL


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(figures: list[Figure]) -> Chart:
    top = max((f.value for f in figures), default=0) or 1
    bars = []
    for n, figure in enumerate(figures):
        y = TOP + n * ROW
        width = round(BAR_AREA * figure.value / top, 1)
        bars.append(
            Bar(
                label=str(figure.label),
                value=_number(figure.value),
                y=y + 4,
                y_text=y + 19,
                width=max(width, 1.0) if figure.value else 0.0,
                x_value=LABEL + width + 6,
                pattern=PATTERNS[n % len(PATTERNS)],
            )
        )
    return Chart(bars=bars, height=TOP * 2 + len(bars) * ROW)
