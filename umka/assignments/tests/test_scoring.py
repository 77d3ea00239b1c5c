"""Scoring of every automatic question type: partial credit, tolerance, ё/е."""

from decimal import Decimal

import pytest

from umka.assignments.questions import data_from_form, parse_choices
from umka.assignments.scoring import normalise_answer, parse_number, score

pytestmark = pytest.mark.requirement("R6")

P = Decimal(4)


def test_single_choice_right_wrong_and_partial():
    data = {
        "choices": [
            {"text": "2", "fraction": 100},
            {"text": "−2", "fraction": 0},
            {"text": "2 и −2", "fraction": 50},
        ]
    }
    assert score("single", data, P, {"choice": 0}) == Decimal("4.00")
    assert score("single", data, P, {"choice": "1"}) == 0
    assert score("single", data, P, {"choice": 2}) == Decimal("2.00")
    assert score("single", data, P, {"choice": 9}) == 0
    assert score("single", data, P, {}) == 0


def test_multiple_choice_partial_credit_and_nothing_for_ticking_everything():
    data = {"choices": parse_choices("+ 2\n+ 3\n4\n6", multiple=True)}
    assert score("multiple", data, P, {"choices": [0, 1]}) == Decimal("4.00")
    assert score("multiple", data, P, {"choices": [0]}) == Decimal("2.00")
    assert score("multiple", data, P, {"choices": [0, 2]}) == 0  # 50 − 50
    assert score("multiple", data, P, {"choices": [0, 1, 2]}) == Decimal("2.00")
    assert score("multiple", data, P, {"choices": [0, 1, 2, 3]}) == 0
    assert score("multiple", data, P, {"choices": []}) == 0


def test_multiple_choice_with_every_option_right_earns_all():
    data = {"choices": parse_choices("+ a\n+ b", multiple=True)}
    assert score("multiple", data, P, {"choices": [0, 1]}) == P


def test_short_answer_ignores_case_spaces_and_yo():
    data = {
        "answers": [{"text": "Ёлка", "fraction": 100}, {"text": "ель", "fraction": 50}]
    }
    assert score("short", data, P, {"text": "  елка "}) == P
    assert score("short", data, P, {"text": "ЁЛКА."}) == P
    assert score("short", data, P, {"text": "Ель"}) == Decimal("2.00")
    assert score("short", data, P, {"text": "сосна"}) == 0
    assert normalise_answer("Всё  ещё\tЗдесь") == "все еще здесь"


def test_number_with_tolerance_and_russian_decimal_comma():
    data = {"answers": [{"value": "3.14", "tolerance": "0.01", "fraction": 100}]}
    assert score("number", data, P, {"text": "3,14"}) == P
    assert score("number", data, P, {"text": "3.15"}) == P
    assert score("number", data, P, {"text": "3.16"}) == 0
    assert score("number", data, P, {"text": "пи"}) == 0
    assert parse_number("−1 000,5") == Decimal("-1000.5")


def test_number_partial_credit_for_a_wider_answer():
    data = {
        "answers": [
            {"value": "10", "tolerance": "0", "fraction": 100},
            {"value": "10", "tolerance": "1", "fraction": 50},
        ]
    }
    assert score("number", data, P, {"text": "10"}) == P
    assert score("number", data, P, {"text": "10,5"}) == Decimal("2.00")


def test_matching_earns_a_share_per_right_pair():
    data = data_from_form(
        "matching",
        {
            "pairs": "Москва -> Россия\nПариж -> Франция\n"
            "Берлин -> Германия\nРим -> Италия"
        },
    )
    full = {"0": "Россия", "1": "Франция", "2": "Германия", "3": "Италия"}
    assert score("matching", data, P, {"matches": full}) == P
    half = {**full, "2": "Италия", "3": "Германия"}
    assert score("matching", data, P, {"matches": half}) == Decimal("2.00")
    assert score("matching", data, P, {"matches": {}}) == 0


def test_ordering_earns_a_share_per_item_in_place():
    data = {"items": ["Петр I", "Екатерина II", "Александр I", "Николай I"]}
    assert score("ordering", data, P, {"order": [0, 1, 2, 3]}) == P
    assert score("ordering", data, P, {"order": [1, 0, 2, 3]}) == Decimal("2.00")
    assert score("ordering", data, P, {"order": [0, 0, 2, 3]}) == 0
    assert score("ordering", data, P, {"order": []}) == 0


def test_teacher_graded_parts_have_no_automatic_score():
    assert score("text", {}, P, {"text": "…"}) is None
    assert score("file", {}, P, {}) is None


def test_the_editors_choice_lines_round_trip():
    from umka.assignments.questions import choices_text

    typed = "+ 2\n-2\n+50% 2 и -2\n-25% 0"
    single = parse_choices(typed, multiple=False)
    assert [c["text"] for c in single] == ["2", "-2", "2 и -2", "0"]
    assert [c["fraction"] for c in single] == [100.0, 0.0, 50.0, -25.0]
    assert parse_choices(choices_text(single, multiple=False), multiple=False) == single
    plain = parse_choices("+ a\n+ b\nc\nd", multiple=True)
    assert choices_text(plain, multiple=True) == "+ a\n+ b\nc\nd"
