"""GIFT: import → export → import gives the same bank; a broken question imports
nothing and names its line."""

from pathlib import Path

import pytest
from django.urls import reverse

from umka.assignments import bank, gift
from umka.assignments.models import BankQuestion, Kind

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R6")]

SAMPLE = (Path(__file__).parent / "data" / "bank.gift.txt").read_text(encoding="utf-8")


def test_the_sample_holds_every_supported_kind():
    kinds = {q.kind for q in gift.parse(SAMPLE)}
    assert kinds == {
        Kind.SINGLE,
        Kind.MULTIPLE,
        Kind.SHORT,
        Kind.NUMBER,
        Kind.MATCHING,
        Kind.TEXT,
    }


def test_parse_reads_titles_categories_feedback_and_missing_words():
    found = {q.name: q for q in gift.parse(SAMPLE)}
    assert len(found) == 11
    root = found["Корень уравнения"]
    assert root.text == "Решите уравнение $3x - 6 = 0$."
    assert root.category == "Алгебра 7/Линейные уравнения"
    assert root.feedback == "Перенесите 6 в правую часть."
    assert root.data["choices"][2] == {
        "text": "2 и -2",
        "fraction": 50.0,
        "feedback": "Один из корней лишний.",
    }
    assert found["Столица"].text == "Столица России — город _____ ."
    assert found["Ноль — натуральное?"].data["choices"][1] == {
        "text": "Неверно",
        "fraction": 100.0,
    }
    assert found["Диапазон"].data["answers"] == [
        {"value": "3", "tolerance": "2", "fraction": 100.0}
    ]
    assert found["Соответствие"].category == "Алгебра 7/Функции"
    assert found["Соответствие"].data["pairs"][0] == {
        "left": "y = 2x",
        "right": "прямая через начало координат",
    }
    assert found["Пример со скобками"].text == "Упростите выражение {a + b}: 2."


def test_import_export_import_gives_the_same_bank(school):
    first = bank.bank_import_gift(actor=school.teacher, text=SAMPLE)
    exported = bank.bank_export_gift(BankQuestion.objects.filter(owner=school.teacher))
    again = gift.parse(exported)
    assert [
        (q.kind, q.name, q.category, q.text, q.data, q.feedback) for q in first
    ] == [q.key() for q in again]


def test_ordering_and_file_questions_are_exported_as_a_comment():
    question = gift.GiftQuestion(kind=Kind.ORDERING, text="Расположите", data={})
    assert gift.write([question]).splitlines()[-1].startswith("// ")


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ("::A::Вопрос {=a ~b}\n\n::B::Вопрос {=a ~b", 3, "не закрыт"),
        ("::A::Вопрос {=a ~b}\n\n\n::B::Сколько? {#три}", 4, "не число"),
        ("::A::Вопрос без ответов", 1, "описания"),
        ("::A::Вопрос {~a ~b}", 1, "хотя бы один"),
        ("::A::Сопоставьте {=a -> b =c}", 1, "=left -> right"),
    ],
)
def test_a_broken_question_imports_nothing_and_names_its_line(school, text, line, why):
    with pytest.raises(gift.GiftError) as refused:
        bank.bank_import_gift(actor=school.teacher, text=text)
    assert refused.value.line == line
    assert f"Строка {line}:" in refused.value.message
    assert why in refused.value.message
    assert BankQuestion.objects.count() == 0


def test_the_import_page_says_which_line_and_keeps_the_bank_empty(client, school):
    client.force_login(school.teacher)
    response = client.post(
        reverse("assignments:bank_import"), {"text": SAMPLE + "\n\n::X::Сломан {=a"}
    )
    assert response.status_code == 200
    assert f"Строка {SAMPLE.count(chr(10)) + 3}:" in response.content.decode()
    assert BankQuestion.objects.count() == 0
    response = client.post(reverse("assignments:bank_import"), {"text": SAMPLE})
    assert response.status_code == 302
    assert BankQuestion.objects.filter(owner=school.teacher).count() == 11
