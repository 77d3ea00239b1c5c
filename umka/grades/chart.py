"""The analysis chart: horizontal bars of the share of «2» and «3» per topic,
laid out on the server and drawn as inline SVG by grades/_chart.html (no
JavaScript, no library). The table next to it carries the same numbers."""

from dataclasses import dataclass

from umka.grades.analysis import TopicRow

# Drawn 1:1 on a desktop (max-width in grades.css); a phone scales it to about
# 0.7, which keeps the 15px labels readable.
WIDTH = 480
BAR_AREA = 400  # 100 % of the scale
ROW = 46
TOP = 6
AXIS = 24
LABEL_CHARS = 52


@dataclass(frozen=True)
class Bar:
    title: str
    label: str
    percent: int
    low: int
    count: int
    y_label: int
    y_bar: int
    width: float
    x_value: float
    tone: str  # "err", "warn" or "ok"


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    ticks: list[tuple[int, float, str]]  # (percent, x, text-anchor)
    axis_y: int
    width: int = WIDTH


def _label(title: str) -> str:
    return title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1] + "…"


def _tone(percent: int) -> str:
    if percent >= 50:
        return "err"
    if percent >= 30:
        return "warn"
    return "ok"


def bar_chart(rows: list[TopicRow]) -> Chart:
    """One bar per topic that has grades, in the order of `rows`."""
    bars = []
    for n, row in enumerate(r for r in rows if r.count):
        top = TOP + n * ROW
        width = round(BAR_AREA * row.low_share, 1)
        bars.append(
            Bar(
                title=row.title or "—",
                label=_label(row.title or "—"),
                percent=row.low_percent,
                low=row.low,
                count=row.count,
                y_label=top + 15,
                y_bar=top + 22,
                width=width,
                x_value=width + 6,
                tone=_tone(row.low_percent),
            )
        )
    axis_y = TOP + len(bars) * ROW
    anchors = {0: "start", 100: "end"}
    ticks = [
        (p, round(BAR_AREA * p / 100, 1), anchors.get(p, "middle"))
        for p in (0, 25, 50, 75, 100)
    ]
    return Chart(bars=bars, height=axis_y + AXIS, ticks=ticks, axis_y=axis_y)
