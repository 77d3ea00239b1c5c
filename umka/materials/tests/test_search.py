"""Search by title and by the text inside files, on whichever database the suite
runs (SQLite FTS5 by default, PostgreSQL's Russian full-text search with
DATABASE_URL): another grammatical form finds the word, text inside a PDF, DOCX,
ODT or PPTX is found, nothing outside the searcher's rights is ever returned."""

import pytest
from django.db import connection

from umka.materials import policies, services
from umka.materials.search import fts5_query, search, words
from umka.materials.tests import documents
from umka.materials.tests.factories import make_material

pytestmark = pytest.mark.django_db


def found(user, query) -> list[str]:
    return list(
        search(policies.materials_visible_to(user), query).values_list(
            "title", flat=True
        )
    )


@pytest.mark.requirement("R2")
def test_another_grammatical_form_finds_the_material(school):
    make_material(school, title="Линейное уравнение с одной переменной")
    make_material(school, title="Дроби")
    assert found(school.student, "уравнения") == [
        "Линейное уравнение с одной переменной"
    ]
    assert found(school.student, "Уравнениями") == [
        "Линейное уравнение с одной переменной"
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the Russian stemmer is PostgreSQL's"
)
@pytest.mark.requirement("R2")
def test_on_postgresql_russian_morphology_and_typos_find_the_material(school):
    make_material(school, title="Уравнение")
    make_material(school, title="Квадратные корни")
    assert found(school.student, "уравнения") == ["Уравнение"]
    assert found(school.student, "уравнениям") == ["Уравнение"]
    # a typo: the trigram fallback on the title
    assert found(school.student, "уравнеие") == ["Уравнение"]
    assert found(school.student, "квадратных корней") == ["Квадратные корни"]


@pytest.mark.requirement("R2")
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("Карточка.pdf", documents.pdf),
        ("Карточка.docx", documents.docx),
        ("Карточка.odt", documents.odt),
        ("Карточка.pptx", documents.pptx),
    ],
)
def test_text_inside_a_file_is_found(school, name, make):
    make_material(
        school,
        title="Домашняя работа",
        kind="file",
        name=name,
        data=make("Теорема Пифагора для прямоугольного треугольника"),
    )
    make_material(school, title="Другое", kind="page", body="Ничего общего")
    assert found(school.student, "пифагора") == ["Домашняя работа"]
    assert found(school.student, "треугольники") == ["Домашняя работа"]


@pytest.mark.requirement("R2")
def test_search_never_returns_what_the_searcher_may_not_see(school):
    make_material(school, title="Уравнения 7А")
    make_material(
        school,
        title="Уравнения 7Б",
        author=school.other_teacher,
        classes=[school.class_7b],
    )
    make_material(school, title="Уравнения для родителей", audience="parents")
    make_material(school, title="Уравнения черновик", publish=False)
    make_material(
        school,
        title="Уравнения для учителей",
        audience="staff",
        classes=[],
        subject=None,
    )
    assert sorted(found(school.student, "уравнения")) == ["Уравнения 7А"]
    assert sorted(found(school.other_student, "уравнения")) == ["Уравнения 7Б"]
    assert sorted(found(school.parent, "уравнения")) == [
        "Уравнения 7А",
        "Уравнения для родителей",
    ]
    assert sorted(found(school.other_parent, "уравнения")) == ["Уравнения 7Б"]
    assert "Уравнения черновик" not in found(school.other_teacher, "уравнения")
    assert len(found(school.deputy, "уравнения")) == 5


def test_search_follows_changes_restores_and_deletions(school):
    material = make_material(school, title="Дроби")
    assert found(school.student, "дроби") == ["Дроби"]
    services.material_update(actor=school.teacher, material=material, title="Проценты")
    assert found(school.student, "дроби") == []
    assert found(school.student, "проценты") == ["Проценты"]
    services.material_restore(
        actor=school.teacher, material=material, version=material.versions.get(number=1)
    )
    assert found(school.student, "дроби") == ["Дроби"]
    services.material_delete(actor=school.teacher, material=material)
    assert found(school.deputy, "дроби") == []


def test_a_pages_text_and_a_links_description_are_searched(school):
    make_material(school, title="Конспект", body="Формула **дискриминанта**")
    make_material(
        school,
        title="Видеоурок",
        kind="link",
        description="Разбор задач на движение",
    )
    assert found(school.student, "дискриминант") == ["Конспект"]
    assert found(school.student, "движения") == ["Видеоурок"]


@pytest.mark.parametrize(
    "query",
    ['"', "NEAR(", "title:x", "*", "a OR b", "-", "'; DROP TABLE x; --", "^", ""],
)
def test_operators_and_quotes_in_a_query_are_plain_words(school, query):
    make_material(school, title="Дроби")
    assert isinstance(found(school.student, query), list)


def test_fts5_query_quotes_every_word():
    assert fts5_query('уравнениями "OR" NEAR(x)') == '"уравнен"* "or"* "near"* "x"*'
    assert words("Ёлка ЁЖ") == ["елка", "еж"]
