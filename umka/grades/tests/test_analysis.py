"""The topic analysis as pure functions: the weakness score, the trend, the
ranking, the students who need help, the chart's bars (R9)."""

import pytest

from umka.grades import analysis
from umka.grades.analysis import TopicRow, topic_rows, trend, weakness_score
from umka.grades.chart import BAR_AREA, bar_chart

pytestmark = pytest.mark.requirement("R9")


def grades(key, values, student=1):
    return [(student, key, key.capitalize(), v) for v in values]


def test_weakness_score_on_hand_made_numbers():
    # 50 × 0.5 + 30 × (5 − 3.5) / 3 = 25 + 15 = 40
    assert (
        weakness_score(count=10, low_share=0.5, average=3.5, trend=None, requests=0)
        == 40.0
    )
    # all 2s: 50 + 30 = 80; three requests: + 20 × 3 / 5 = 12
    assert (
        weakness_score(count=8, low_share=1.0, average=2.0, trend=0.0, requests=3)
        == 92.0
    )
    # all 5s and no requests: 0
    assert (
        weakness_score(count=6, low_share=0.0, average=5.0, trend=None, requests=0)
        == 0.0
    )


def test_weakness_score_adds_a_falling_trend_and_takes_off_a_rising_one():
    base = {"count": 10, "low_share": 0.5, "average": 3.5, "requests": 0}
    assert weakness_score(**base, trend=-0.5) == 45.0
    assert weakness_score(**base, trend=0.5) == 35.0
    assert weakness_score(**base, trend=0.4) == 40.0


def test_weakness_score_scales_down_few_grades():
    # two grades of 2: (50 + 30) × 2 / 5 = 32
    assert (
        weakness_score(count=2, low_share=1.0, average=2.0, trend=None, requests=0)
        == 32.0
    )


def test_weakness_score_of_requests_alone_is_capped():
    assert (
        weakness_score(count=0, low_share=0.0, average=None, trend=None, requests=9)
        == 20.0
    )


def test_weakness_score_stays_within_0_and_100():
    assert (
        weakness_score(count=9, low_share=1.0, average=2.0, trend=-2.0, requests=9)
        == 100.0
    )
    assert (
        weakness_score(count=9, low_share=0.0, average=5.0, trend=2.0, requests=0)
        == 0.0
    )


def test_trend_compares_the_later_half_with_the_earlier():
    assert trend([2, 2, 4, 4]) == 2.0
    assert trend([5, 5, 3, 3, 3]) == -2.0  # the middle grade sits out
    assert trend([5, 4, 3]) is None


def test_topic_rows_rank_the_weakest_topic_first():
    rows = topic_rows(
        grades("дроби", [5, 4, 5, 4, 5])
        + grades("уравнения с параметром", [2, 3, 2, 3, 3, 2])
        + grades("проценты", [4, 3, 4, 3, 4])
    )
    assert [r.key for r in rows] == ["уравнения с параметром", "проценты", "дроби"]
    weak = rows[0]
    assert (weak.count, weak.twos, weak.threes, weak.low_percent) == (6, 3, 3, 100)
    assert weak.average == pytest.approx(2.5)
    assert weak.title == "Уравнения с параметром"


def test_topic_rows_count_requests_and_add_topics_only_asked_about():
    rows = topic_rows(
        grades("дроби", [5, 5, 5, 5, 5]),
        {"дроби": 2, "проценты": 4, "": 3},
        sort="requests",
    )
    assert [(r.key, r.count, r.requests) for r in rows] == [
        ("проценты", 0, 4),
        ("дроби", 5, 2),
    ]
    assert rows[0].title == "Проценты"
    assert rows[0].score == 16.0


def test_topic_rows_sort_by_average_and_by_share():
    data = grades("a", [3, 3, 5, 5]) + grades("b", [4, 4, 4, 3])
    assert [r.key for r in topic_rows(data, sort="average")] == ["b", "a"]
    assert [r.key for r in topic_rows(data, sort="low")] == ["a", "b"]


def test_topic_title_is_the_most_used_spelling():
    data = [
        (1, "k", "линейные уравнения", 3),
        (2, "k", "Линейные уравнения", 3),
        (3, "k", "Линейные уравнения", 4),
    ]
    assert topic_rows(data)[0].title == "Линейные уравнения"


def test_students_needing_help_lowest_average_first_with_weak_topics():
    data = (
        grades("дроби", [5, 5, 4], student=1)
        + grades("дроби", [3, 4], student=2)
        + grades("уравнения", [2, 2, 3], student=2)
        + grades("дроби", [4, 4, 5, 4], student=3)
        + grades("уравнения", [2, 2], student=3)
        + grades("дроби", [4, 3], student=4)
    )
    rows = analysis.students_needing_help(data, {"уравнения": "Уравнения"})
    assert [r.student_id for r in rows] == [2, 3]
    assert rows[0].average == pytest.approx(2.8)
    assert rows[0].weak_topics == ["Уравнения"]
    assert rows[1].twos == 2  # average 3.5, but two 2s


def test_chart_has_one_bar_per_topic_with_grades_scaled_to_the_share():
    rows = [
        TopicRow(key="a", title="A", count=4, twos=2, threes=1),
        TopicRow(key="b", title="B", count=5),
        TopicRow(key="c", title="C", requests=3),  # no grades: no bar
    ]
    chart = bar_chart(rows)
    assert [b.title for b in chart.bars] == ["A", "B"]
    assert chart.bars[0].width == BAR_AREA * 0.75
    assert chart.bars[0].percent == 75
    assert chart.bars[0].tone == "err"
    assert chart.bars[1].width == 0
    assert chart.bars[0].y_bar < chart.bars[1].y_bar < chart.axis_y < chart.height


def test_chart_shortens_long_labels():
    title = "Очень длинная тема " * 6
    chart = bar_chart([TopicRow(key="x", title=title, count=1, twos=1)])
    assert chart.bars[0].label.endswith("…")
    assert chart.bars[0].title == title


def test_absences_and_pass_fail_are_counted_apart_from_the_marks():
    grades = [
        (1, "дроби", "Дроби", 5),
        (2, "дроби", "Дроби", 3, "mark"),
        (1, "дроби", "Дроби", None, "absent"),
        (2, "дроби", "Дроби", None, "absent"),
        (1, "зачет", "Зачёт", None, "pass"),
        (2, "зачет", "Зачёт", None, "fail"),
    ]

    rows = {row.key: row for row in topic_rows(grades)}

    assert (rows["дроби"].count, rows["дроби"].average, rows["дроби"].absences) == (
        2,
        4.0,
        2,
    )
    assert rows["дроби"].low_share == 0.5
    # A topic of pass/fail results alone: listed, with no marks to average.
    assert (rows["зачет"].count, rows["зачет"].average) == (0, None)
    assert (rows["зачет"].passes, rows["зачет"].fails) == (1, 1)


def test_students_who_need_help_are_chosen_by_marks_and_show_absences():
    grades = [
        (1, "a", "A", 2),
        (1, "a", "A", 2),
        (1, "a", "A", None, "absent"),
        (2, "a", "A", None, "absent"),
        (2, "a", "A", None, "fail"),
    ]

    rows = analysis.students_needing_help(grades, {"a": "A"})

    assert [(r.student_id, r.count, r.absences) for r in rows] == [(1, 2, 1)]
