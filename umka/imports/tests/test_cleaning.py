import datetime as dt
from decimal import Decimal

import pytest

from umka.accounts.models import ParentLink, Role
from umka.imports import cleaning
from umka.imports.cleaning import CellError
from umka.imports.people import cleaning as people_cleaning

TODAY = dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    "value",
    [
        "17.05.2013",
        "17.5.2013",
        "2013-05-17",
        "17/05/2013",
        "2013-05-17 00:00:00",
        dt.datetime(2013, 5, 17),
        dt.date(2013, 5, 17),
        41411,  # an Excel serial number
    ],
)
def test_dates_in_every_common_notation(value):
    assert cleaning.date(value, today=TODAY) == dt.date(2013, 5, 17)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2013", "is not a valid date"),
        ("17.05.13", "four digits"),
        ("завтра", "is not a valid date"),
        ("02.10.2026", "in the future"),
        ("01.01.1812", "too far in the past"),
        ("", "The cell is empty."),
    ],
)
def test_bad_dates_are_explained(value, message):
    with pytest.raises(CellError) as caught:
        cleaning.date(value, today=TODAY)
    assert message in caught.value.message


@pytest.mark.parametrize(
    "value", ["7А", "7 А", "7-а", "7а", "7A", " 7 - А ", "7А класс"]
)
def test_class_names_in_every_common_notation(value):
    assert cleaning.class_name(value) == (7, "А")


@pytest.mark.parametrize("value", ["седьмой", "7", "А7", "7АБ"])
def test_bad_class_names(value):
    with pytest.raises(CellError):
        cleaning.class_name(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+7 916 123-45-67", "+79161234567"),
        ("8 (916) 123-45-67", "+79161234567"),
        ("9161234567", "+79161234567"),
        (79161234567, "+79161234567"),
        ("+375 29 123-45-67", "+375291234567"),
        ("", ""),
    ],
)
def test_phones_are_normalised(value, expected):
    assert cleaning.phone(value) == expected


@pytest.mark.parametrize("value", ["12345", "позвонить маме", "+7 916"])
def test_bad_phones(value):
    with pytest.raises(CellError):
        cleaning.phone(value)


def test_email_is_checked_and_lower_cased():
    assert cleaning.email(" Ivanova@Example.RU ") == "ivanova@example.ru"
    with pytest.raises(CellError):
        cleaning.email("ivanova@")


def test_roles_in_russian_and_english():
    assert people_cleaning.roles("Учитель, заместитель директора; администратор") == [
        Role.TEACHER,
        Role.DEPUTY_HEAD,
        Role.ADMINISTRATOR,
    ]
    assert people_cleaning.roles("teacher, ИНОЙ РАБОТНИК") == [Role.TEACHER, Role.STAFF]
    with pytest.raises(CellError) as caught:
        people_cleaning.roles("учитель, космонавт")
    assert caught.value.params["value"] == "космонавт"


def test_relation_words():
    assert people_cleaning.relation("Мать") == ParentLink.Kind.MOTHER
    assert people_cleaning.relation("опекун") == ParentLink.Kind.GUARDIAN
    assert (
        people_cleaning.relation("Иной законный представитель") == ParentLink.Kind.OTHER
    )
    with pytest.raises(CellError):
        people_cleaning.relation("тётя")


def test_subjects_and_classes_with_hours():
    lessons = people_cleaning.subjects("Математика: 5А 5, 5 Б 4.5; Алгебра: 7-а 3")

    assert [(s.subject, s.grade, s.letter, s.hours) for s in lessons] == [
        ("Математика", 5, "А", Decimal("5")),
        ("Математика", 5, "Б", Decimal("4.5")),
        ("Алгебра", 7, "А", Decimal("3")),
    ]


@pytest.mark.parametrize(
    "value",
    ["Математика 5А 5", "Математика: 5А", "Математика: 5А 5, 5А 3", "Математика: 5А 0"],
)
def test_bad_subjects(value):
    with pytest.raises(CellError):
        people_cleaning.subjects(value)


def test_working_time_ranges_and_lists():
    regime = people_cleaning.working_time("пн-ср 09:00-17:00; чт, пт 10.00-14:00")

    assert regime == [
        (0, dt.time(9), dt.time(17)),
        (1, dt.time(9), dt.time(17)),
        (2, dt.time(9), dt.time(17)),
        (3, dt.time(10), dt.time(14)),
        (4, dt.time(10), dt.time(14)),
    ]


@pytest.mark.parametrize(
    "value",
    ["пн-пт", "пн-пт 17:00-09:00", "пн 09:00-12:00; пн 13:00-15:00", "xx 9:00-10:00"],
)
def test_bad_working_time(value):
    with pytest.raises(CellError):
        people_cleaning.working_time(value)


def test_children_by_login_or_name_and_birth_date():
    refs = people_cleaning.children(
        "ivanova.mp; Петров Пётр Сергеевич, 02.11.2012", today=TODAY
    )

    assert refs[0].login == "ivanova.mp"
    assert (refs[1].last_name, refs[1].first_name, refs[1].middle_name) == (
        "Петров",
        "Пётр",
        "Сергеевич",
    )
    assert refs[1].birth_date == dt.date(2012, 11, 2)


@pytest.mark.parametrize("value", ["Петров Пётр", "Петров Пётр, 31.02.2012", ""])
def test_bad_children(value):
    with pytest.raises(CellError):
        people_cleaning.children(value, today=TODAY)


def test_full_name_keeps_a_multi_word_patronymic():
    assert cleaning.full_name("Мамедов Рашид Ильхам оглы") == (
        "Мамедов",
        "Рашид",
        "Ильхам оглы",
    )


def test_text_is_normalised_to_composed_letters():
    decomposed = "Фомичёва Зоя Андреевна".replace("ё", "е\u0308")

    assert cleaning.text(f" {decomposed}\xa0") == "Фомичёва Зоя Андреевна"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("КУЗНЕЦОВА", "Кузнецова"),
        ("РИМСКИЙ-КОРСАКОВ", "Римский-Корсаков"),
        ("Д'АРТАНЬЯН", "Д'Артаньян"),
        ("ИЛЬХАМ ОГЛЫ", "Ильхам оглы"),
        ("ЛИ", "Ли"),
        ("Мамедова", "Мамедова"),
        ("МакДональд", "МакДональд"),
        ("де Голль", "де Голль"),
    ],
)
def test_a_name_in_capitals_is_written_as_names_are(written, stored):
    assert cleaning.name_part(written, required=True) == stored


def test_a_full_name_in_capitals_is_split_and_written_as_names_are():
    assert cleaning.full_name("КУЗНЕЦОВА АННА СЕРГЕЕВНА") == (
        "Кузнецова",
        "Анна",
        "Сергеевна",
    )
