"""The demo glossary (R6): `load_demo_glossary(rng=, now=, spaces=, students=,
teachers=, student_id=)`.

Each space gets about twenty approved algebra terms (Е, Ё and Ж among them, so
the order shows), some graded as contributions with reviews, three proposals
waiting for the teacher (in the queue) and two returned with a comment — one
of them the demo `student`'s, whose approved term is also graded. Rows are
written in bulk: no audit entries or notices.
"""

import datetime as dt
import random

from umka.courses.deadlines import review_due_from
from umka.glossary.models import Entry, EntryKey
from umka.glossary.text import aliases_of, term_key
from umka.school.models import ProgramPart

TERMS = [
    ("Абсцисса", "ось x", "Первая координата точки на плоскости: $x$ в паре $(x; y)$."),
    (
        "Аргумент функции",
        "независимая переменная",
        "Переменная $x$, от которой зависит значение функции.",
    ),
    (
        "Выражение",
        "",
        "Запись из чисел, переменных и знаков действий, например $2a + 3$.",
    ),
    ("График функции", "", "Множество точек $(x; f(x))$ координатной плоскости."),
    ("Деление с остатком", "", "$a = bq + r$, где $0 \\le r < b$."),
    (
        "Единичный отрезок",
        "",
        "Отрезок, длина которого принята за 1 на координатной прямой.",
    ),
    (
        "Ёмкость",
        "вместимость",
        "Наибольший объём жидкости, который вмещает сосуд; в задачах на "
        "совместную работу — «весь объём», принимаемый за 1.",
    ),
    (
        "Жёсткое условие",
        "",
        "Условие задачи, которое нельзя нарушить при выборе ответа.",
    ),
    (
        "Значение функции",
        "",
        "Число $f(x)$, соответствующее данному значению аргумента.",
    ),
    (
        "Коэффициент",
        "",
        "Числовой множитель при переменной: в $5x$ коэффициент равен 5.",
    ),
    ("Линейная функция", "", "Функция вида $y = kx + b$; её график — прямая."),
    ("Многочлен", "полином", "Сумма одночленов, например $x^2 - 3x + 2$."),
    ("Одночлен", "", "Произведение чисел, переменных и их степеней: $3a^2b$."),
    ("Ордината", "ось y", "Вторая координата точки: $y$ в паре $(x; y)$."),
    ("Пропорция", "", "Равенство двух отношений: $a : b = c : d$."),
    ("Степень", "", "Произведение $n$ одинаковых множителей: $a^n$."),
    ("Тождество", "", "Равенство, верное при всех допустимых значениях переменных."),
    ("Уравнение", "", "Равенство с переменной, значение которой нужно найти."),
    (
        "Формула сокращённого умножения",
        "ФСУ",
        "Например, $(a + b)^2 = a^2 + 2ab + b^2$.",
    ),
    (
        "Эквивалентные уравнения",
        "равносильные уравнения",
        "Уравнения с одними и теми же корнями.",
    ),
]
PROPOSED = [
    (
        "Корень уравнения",
        "Значение переменной, при котором уравнение обращается в верное равенство.",
    ),
    ("Модуль числа", "Расстояние от нуля до числа на координатной прямой: $|x|$."),
    ("Область определения", "Все значения аргумента, при которых функция имеет смысл."),
]
RETURNED = [
    (
        "Функция",
        "Это когда y зависит от x.",
        "Дайте точное определение: каждому $x$ соответствует единственное $y$.",
    ),
    (
        "Прямая пропорциональность",
        "y = kx",
        "Допишите, что $k \\ne 0$, и приведите пример.",
    ),
]
REVIEWS = {
    5: "Определение точное, пример удачный и понятный одноклассникам.",
    4: "Определение верное; пример стоит взять ближе к жизни.",
}


def _entry(space, author, term, aliases, definition, status, when, **extra):
    names = aliases_of(aliases)
    return Entry(
        space=space,
        term=term,
        aliases="\n".join(names),
        definition=definition,
        search=term_key(" ".join([term, *names, definition])),
        author_id=author,
        status=status,
        created_at=when,
        updated_at=when,
        **extra,
    )


def load_demo_glossary(
    *, rng: random.Random, now: dt.datetime, spaces, students, teachers, student_id
) -> dict[str, int]:
    entries = []
    for space in spaces:
        pupils = list(students.get(space.school_class_id, []))
        teacher = teachers[space.pk]
        if not pupils:
            continue
        parts = list(
            ProgramPart.objects.filter(
                subject=space.subject, grade=space.school_class.grade
            ).order_by("number")
        )
        first = student_id if student_id in pupils else pupils[0]
        for n, (term, aliases, definition) in enumerate(TERMS):
            author = first if n == 10 else rng.choice(pupils)
            when = now - dt.timedelta(days=rng.randrange(3, 40), hours=rng.randrange(8))
            extra = {
                "decided_by_id": teacher,
                "decided_at": when + dt.timedelta(hours=20),
                "program_part": parts[n % len(parts)] if parts else None,
            }
            if n == 10 or rng.random() < 0.3:
                mark = 5 if n == 10 else rng.choice([5, 4])
                extra.update(
                    mark=mark,
                    review=REVIEWS[mark],
                    graded_by_id=teacher,
                    graded_at=when + dt.timedelta(days=1),
                )
            entries.append(
                _entry(
                    space, author, term, aliases, definition, "approved", when, **extra
                )
            )
        for n, (term, definition) in enumerate(PROPOSED):
            when = now - dt.timedelta(hours=6 + 30 * n)
            entries.append(
                _entry(
                    space,
                    pupils[(n + 1) % len(pupils)],
                    term,
                    "",
                    definition,
                    "proposed",
                    when,
                    review_due_at=review_due_from(when),
                )
            )
        for n, (term, definition, comment) in enumerate(RETURNED):
            when = now - dt.timedelta(days=2 + n)
            entries.append(
                _entry(
                    space,
                    first if n == 0 else pupils[-1],
                    term,
                    "",
                    definition,
                    "returned",
                    when,
                    return_comment=comment,
                    decided_by_id=teacher,
                    decided_at=when + dt.timedelta(hours=3),
                )
            )
    Entry.objects.bulk_create(entries, batch_size=500)
    keys = []
    for e in entries:
        keys.append(EntryKey(space=e.space, entry=e, key=term_key(e.term)))
        keys += [
            EntryKey(space=e.space, entry=e, key=term_key(a), is_alias=True)
            for a in e.aliases.splitlines()
        ]
    EntryKey.objects.bulk_create(keys, batch_size=1000)
    return {
        "glossary_entries": len(entries),
        "glossary_graded": sum(1 for e in entries if e.mark),
    }
