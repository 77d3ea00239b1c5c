"""The week grid of the schedule board, laid out (a presenter): which hours the week
shows, where each session's block sits in its day column and how many sessions run
side by side — a crowded day gets wider (the grid scrolls sideways) rather than
unreadable. The board (`board.py`) says what is on each day; this module only says
where it goes, in CSS units the template uses.
"""

import datetime as dt
from dataclasses import dataclass, field

from umka.consultations.schedule.board import Block, Board, Day

#: The grid's hours in an empty week, and the fewest hours it shows.
DAY_STARTS, DAY_ENDS, MIN_HOURS = 8, 18, 4
#: Height of an hour, width of one of several parallel sessions and of a day (rem).
HOUR_REM, LANE_REM, DAY_MIN_REM = 5, 7, 9


@dataclass
class Placed:
    """A block in its day column (percentages of the column)."""

    block: Block
    top: str = "0"
    height: str = "0"
    left: str = "0"
    width: str = "100"

    @property
    def session(self):
        return self.block.session

    @property
    def conflicted(self) -> bool:
        return self.block.conflicted


@dataclass
class GridDay:
    day: Day
    blocks: list[Placed] = field(default_factory=list)
    #: The most sessions side by side: the column gets wider rather than unreadable.
    lanes: int = 1

    @property
    def date(self) -> dt.date:
        return self.day.date

    @property
    def holiday(self) -> str:
        return self.day.holiday


@dataclass
class WeekGrid:
    days: list[GridDay]
    #: (hour, its offset from the top of a day column in %) for the time axis.
    hours: list[tuple[int, str]]
    day_height: str

    @property
    def columns(self) -> str:
        """CSS columns: the time axis, then each day at least as wide as its
        sessions side by side need."""
        days = " ".join(
            f"minmax({max(day.lanes * LANE_REM, DAY_MIN_REM)}rem, 1fr)"
            for day in self.days
        )
        return f"3rem {days}"


def _hour_range(blocks: list[Block]) -> tuple[int, int]:
    """The hours the week uses (at least MIN_HOURS), so a crowded afternoon is not
    squeezed into a day that starts at eight."""
    if not blocks:
        return DAY_STARTS, DAY_ENDS
    first = min(b.session.starts.hour for b in blocks)
    last = max(
        b.session.ends.hour + (1 if b.session.ends.minute else 0)
        if b.session.ends.date() == b.session.starts.date()
        else 24
        for b in blocks
    )
    last = min(max(last, first + MIN_HOURS), 24)
    return min(first, last - MIN_HOURS), last


def _lay_out(day: Day, first_hour: int, last_hour: int) -> GridDay:
    """Place a day's blocks in its column; overlapping ones share its width."""
    span = (last_hour - first_hour) * 60
    placed = [
        Placed(b)
        for b in sorted(
            day.blocks, key=lambda b: (b.session.starts, b.session.ends, b.session.pk)
        )
    ]
    grid_day = GridDay(day, placed)
    cluster: list[tuple[Placed, int]] = []
    lane_ends: list[dt.datetime] = []

    def close() -> None:
        grid_day.lanes = max(grid_day.lanes, len(lane_ends))
        for item, lane in cluster:
            width = 100 / len(lane_ends)
            item.left, item.width = f"{lane * width:.3f}", f"{width:.3f}"

    for item in placed:
        s = item.session
        if cluster and all(end <= s.starts for end in lane_ends):
            close()
            cluster, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end <= s.starts), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(s.ends)
        else:
            lane_ends[lane] = s.ends
        cluster.append((item, lane))
        start = (s.starts.hour - first_hour) * 60 + s.starts.minute
        minutes = max((s.ends - s.starts).total_seconds() / 60, 15)
        item.top = f"{max(start, 0) / span * 100:.3f}"
        item.height = f"{min(minutes, span - max(start, 0)) / span * 100:.3f}"
    if cluster:
        close()
    return grid_day


def week_grid(board: Board) -> WeekGrid:
    """The board's week, laid out."""
    first_hour, last_hour = _hour_range([b for day in board.days for b in day.blocks])
    hours = last_hour - first_hour
    return WeekGrid(
        days=[_lay_out(day, first_hour, last_hour) for day in board.days],
        hours=[
            (h, f"{(h - first_hour) / hours * 100:.3f}")
            for h in range(first_hour, last_hour)
        ],
        day_height=f"{hours * HOUR_REM}rem",
    )
