"""The topic analysis of one class's grades in one subject (R9), as pure functions.

The teacher sets consultation topics «from the analysis of current grades and of
requests»: each topic gets its number of grades, the share of «2» and «3», the
average, the trend, the number of requests («обращения») on it and a weakness
score that ranks the topics. Explained to the teacher on the analysis page.

Only marks (2–5) count in these numbers. Absences («н») and pass/fail results
(«зач», «незач») are counted beside them, per topic and per student, and shown as
such.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Fewer grades than this on a topic and its grade-based score is scaled down
#: (count / MIN_GRADES): two bad answers are a hint, not a weak topic yet.
MIN_GRADES = 5
#: A change of average this large between the two halves counts as a trend.
TREND_STEP = 0.5
#: Requests beyond this number add no more to the score.
REQUESTS_CAP = 5
#: The weights of the score (they add up to 100).
WEIGHT_LOW, WEIGHT_AVERAGE, WEIGHT_REQUESTS = 50, 30, 20
TREND_POINTS = 5
#: A student needs help with an average below this, or with this many «2».
HELP_AVERAGE, HELP_TWOS = 3.5, 2
#: A student's topic is weak at or below this average.
WEAK_TOPIC_AVERAGE = 3.0


def mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def trend(values: list[int]) -> float | None:
    """Average of the later half of the grades (in date order) minus the earlier
    half, to one decimal (as shown); None with fewer than four grades. Positive:
    results improve."""
    if len(values) < 4:
        return None
    half = len(values) // 2
    return round(mean(values[-half:]) - mean(values[:half]), 1)


def weakness_score(
    *,
    count: int,
    low_share: float,
    average: float | None,
    trend: float | None,
    requests: int,
) -> float:
    """0–100, higher is weaker.

    50 × share of «2» and «3» + 30 × (5 − average) / 3; a falling trend (−0.5 or
    less) adds 5 and a rising one (+0.5 or more) takes 5 away; with fewer than
    five grades this part is scaled by count / 5. Then 20 × min(requests, 5) / 5.
    """
    grades_part = 0.0
    if count and average is not None:
        grades_part = WEIGHT_LOW * low_share + WEIGHT_AVERAGE * (5 - average) / 3
        if trend is not None and trend <= -TREND_STEP:
            grades_part += TREND_POINTS
        elif trend is not None and trend >= TREND_STEP:
            grades_part -= TREND_POINTS
        grades_part *= min(1.0, count / MIN_GRADES)
    requests_part = WEIGHT_REQUESTS * min(requests, REQUESTS_CAP) / REQUESTS_CAP
    return round(max(0.0, min(100.0, grades_part + requests_part)), 1)


@dataclass
class TopicRow:
    key: str
    title: str
    count: int = 0
    twos: int = 0
    threes: int = 0
    average: float | None = None
    trend: float | None = None
    requests: int = 0
    absences: int = 0
    passes: int = 0
    fails: int = 0
    score: float = 0.0
    #: the prefilled planning form of a topical consultation (set by selectors)
    link: str = ""

    @property
    def low(self) -> int:
        return self.twos + self.threes

    @property
    def low_share(self) -> float:
        return self.low / self.count if self.count else 0.0

    @property
    def low_percent(self) -> int:
        return round(100 * self.low_share)

    @property
    def trend_sign(self) -> str:
        """ "down", "up" or "" (no trend worth naming)."""
        if self.trend is None:
            return ""
        if self.trend <= -TREND_STEP:
            return "down"
        if self.trend >= TREND_STEP:
            return "up"
        return ""


@dataclass
class StudentRow:
    student_id: int
    count: int
    average: float
    twos: int
    threes: int
    weak_topics: list[str] = field(default_factory=list)
    name: str = ""
    absences: int = 0


#: One journal entry as the analysis reads it, in date order: (student id, topic
#: key, topic as written, value) for a mark, or with a fifth item, the kind of entry
#: (Grade.Kind: "mark", "absent", "pass", "fail"; value None unless a mark).
GradeTuple = tuple[int, str, str, int] | tuple[int, str, str, int | None, str]
MARK, ABSENT, PASS, FAIL = "mark", "absent", "pass", "fail"


def _entries(grades: Iterable[GradeTuple]):
    """(student, key, title, value, kind) for each entry; four items are a mark."""
    for entry in grades:
        student, key, title, value, *rest = entry
        yield student, key, title, value, (rest[0] if rest else MARK)


SORTS = ("score", "low", "average", "requests")


def topic_rows(
    grades: Iterable[GradeTuple],
    requests: dict[str, int] | None = None,
    *,
    sort: str = "score",
) -> list[TopicRow]:
    """One row per topic of the grades or of the requests, ranked by `sort`:
    weakness score, share of «2» and «3», average (lowest first) or requests."""
    values: dict[str, list[int]] = defaultdict(list)
    others: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for _student, key, title, value, kind in _entries(grades):
        if kind == MARK:
            values[key].append(value)
        else:
            others[key][kind] += 1
        spellings[key][title] += 1
    rows: dict[str, TopicRow] = {}
    for key in [*values, *(k for k in others if k not in values)]:
        marks = values.get(key, [])
        # The most used spelling; the first seen among equals (Counter keeps order).
        title = spellings[key].most_common(1)[0][0] if key else ""
        rows[key] = TopicRow(
            key=key,
            title=title,
            count=len(marks),
            twos=marks.count(2),
            threes=marks.count(3),
            average=mean(marks),
            trend=trend(marks),
            absences=others[key][ABSENT],
            passes=others[key][PASS],
            fails=others[key][FAIL],
        )
    for key, number in (requests or {}).items():
        if not key or number <= 0:
            continue
        row = rows.setdefault(key, TopicRow(key=key, title=key[:1].upper() + key[1:]))
        row.requests += number
    for row in rows.values():
        row.score = weakness_score(
            count=row.count,
            low_share=row.low_share,
            average=row.average,
            trend=row.trend,
            requests=row.requests,
        )
    orders = {
        "score": lambda r: (-r.score, -r.low_share, -r.requests, r.title),
        "low": lambda r: (-r.low_share, -r.count, r.title),
        "average": lambda r: (
            r.average is None,
            r.average if r.average is not None else 0,
            r.title,
        ),
        "requests": lambda r: (-r.requests, -r.score, r.title),
    }
    return sorted(rows.values(), key=orders.get(sort, orders["score"]))


def students_needing_help(
    grades: Iterable[GradeTuple], titles: dict[str, str], *, limit: int = 10
) -> list[StudentRow]:
    """Students with an average below 3.5 or at least two «2», lowest average
    first (then most «2»), each with their weakest topics (average ≤ 3)."""
    by_student: dict[int, list[int]] = defaultdict(list)
    by_topic: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    absences: Counter = Counter()
    for student, key, _title, value, kind in _entries(grades):
        if kind == ABSENT:
            absences[student] += 1
        if kind != MARK:
            continue
        by_student[student].append(value)
        by_topic[student][key].append(value)
    result = []
    for student, marks in by_student.items():
        average = mean(marks)
        twos = marks.count(2)
        if average >= HELP_AVERAGE and twos < HELP_TWOS:
            continue
        weak = sorted(
            (
                (mean(v), -len(v), key)
                for key, v in by_topic[student].items()
                if key and mean(v) <= WEAK_TOPIC_AVERAGE
            ),
        )
        result.append(
            StudentRow(
                student_id=student,
                count=len(marks),
                average=average,
                twos=twos,
                threes=marks.count(3),
                weak_topics=[titles.get(key, key) for _a, _n, key in weak[:3]],
                absences=absences[student],
            )
        )
    result.sort(key=lambda r: (r.average, -r.twos, r.student_id))
    return result[:limit]
