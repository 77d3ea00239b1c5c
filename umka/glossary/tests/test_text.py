"""Glossary ordering and duplicates (R6): Russian alphabetical order with Ё in
its place, duplicate keys that ignore case and ё/е."""

import pytest

from umka.glossary.text import aliases_of, initial, sort_key, term_key


def test_russian_order_puts_yo_after_ye_and_before_zhe():
    words = ["Журнал", "ёлка", "Ель", "еж", "Ёж", "аксиома", "Яблоко", "Эллипс"]
    assert sorted(words, key=sort_key) == [
        "аксиома",
        "еж",
        "Ель",
        "Ёж",
        "ёлка",
        "Журнал",
        "Эллипс",
        "Яблоко",
    ]


def test_case_does_not_change_the_order_and_latin_comes_after_cyrillic():
    words = ["html", "Бином", "абсцисса", "Алгоритм", "3D-модель", "CSS"]
    assert sorted(words, key=sort_key) == [
        "абсцисса",
        "Алгоритм",
        "Бином",
        "CSS",
        "html",
        "3D-модель",
    ]


def test_python_alone_gets_yo_wrong_which_is_why_the_key_exists():
    assert sorted(["ёж", "ель", "жук"]) == ["ель", "жук", "ёж"]
    assert sorted(["ёж", "ель", "жук"], key=sort_key) == ["ель", "ёж", "жук"]


@pytest.mark.parametrize(
    ("one", "other"),
    [("Ёж", "еж"), ("ЁЖ", "ёж"), (" ёж. ", "Еж"), ("«Медиана»", "медиана")],
)
def test_duplicates_ignore_case_yo_and_punctuation_at_the_edges(one, other):
    assert term_key(one) == term_key(other)


def test_different_terms_stay_apart():
    assert term_key("Медиана") != term_key("Медиатор")
    assert term_key("C++") != term_key("C")


def test_the_index_letter():
    assert [initial(w) for w in ("Ёж", "ель", "HTML", "3D", "«Яблоко»")] == [
        "Ё",
        "Е",
        "H",
        "#",
        "Я",
    ]


def test_aliases_one_a_line_or_by_semicolons_without_repeats():
    assert aliases_of("  ось абсцисс \nОсь Абсцисс; ось x\n\n") == [
        "ось абсцисс",
        "ось x",
    ]
