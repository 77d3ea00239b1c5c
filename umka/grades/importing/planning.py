"""Checking a whole file of grades and planning what applying it changes (R9).

`GradePlanner.build()` reads the database once (classes and enrolments of the
current academic year, subjects, the uploader's teaching assignments, the grades
the file touches) and checks every row. It writes nothing: a file with any error
yields only the errors — row as Excel numbers it, column as the file calls it, the
value and the reason — and a clean file yields the grades to create and to change.

A grade is identified by student, subject, date, topic (comparison form) and
kind of work, so importing the same file again changes nothing.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from umka.core.topics import normalise_topic
from umka.grades import policies
from umka.grades.marks import MarkRules, parse_mark, school_rules
from umka.grades.models import Grade, mark_code
from umka.grades.work_types import topic, work_type
from umka.imports import cleaning
from umka.imports.cleaning import fold, text
from umka.imports.headers import HeaderMap
from umka.imports.lookups import classes_by_name, subjects_by_name
from umka.imports.readers import Table
from umka.imports.rows import INVALID, Plan, Progress, Row, RowError, person_names
from umka.school.models import AcademicYear, Enrolment, SchoolClass, Subject


@dataclass
class PlannedGrade:
    row: int
    student_id: int
    class_id: int
    subject_id: int
    date: dt.date
    kind: str
    value: int | None
    written: str
    topic: str
    topic_key: str
    work_type: str
    #: «Иванова Мария Петровна · Алгебра, 12.11.2026», for the report
    label: str = ""
    #: the stored grade with the same key, when there is one
    existing_id: int | None = None
    #: {"what": [before, after]} against the stored grade
    changes: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def key(self) -> tuple:
        return (
            self.student_id,
            self.subject_id,
            self.date,
            self.topic_key,
            self.work_type,
        )


@dataclass
class GradePlan(Plan):
    grades: list[PlannedGrade] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        result = {"created": 0, "changed": 0, "unchanged": 0}
        for grade in self.grades:
            if grade.existing_id is None:
                result["created"] += 1
            elif grade.changed:
                result["changed"] += 1
            else:
                result["unchanged"] += 1
        result["absences"] = sum(1 for g in self.grades if g.kind == Grade.Kind.ABSENT)
        return result

    def preview(self) -> list[dict]:
        return [
            {"row": g.row, "name": g.label, "changes": g.changes}
            for g in self.grades
            if g.existing_id is not None and g.changed
        ]


@dataclass
class _Student:
    id: int
    username: str
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date | None

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.last_name, self.first_name, self.middle_name) if p
        )


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "…"


class GradePlanner:
    """Checks the rows of one file of grades uploaded by `actor`."""

    def __init__(self, *, actor, today: dt.date, rules: MarkRules | None = None):
        self.actor = actor
        self.today = today
        self.rules = rules or school_rules()
        self.errors: list[RowError] = []
        self.year = (
            AcademicYear.objects.filter(starts_on__lte=today, ends_on__gte=today)
            .order_by("-starts_on")
            .first()
        )
        self.all_pairs = policies.is_administration(actor)
        self.pairs: set[tuple[int, int]] = set()
        if not self.all_pairs:
            self.pairs = set(
                policies.assignments_of(actor, today).values_list(
                    "subject_id", "school_class_id"
                )
            )
        self.subjects = subjects_by_name()
        self.classes: dict[tuple[int, str], SchoolClass] = {}
        self._load_students()

    def _load_students(self) -> None:
        self.students: dict[int, _Student] = {}
        #: student → [(class id, from, until)]
        self.spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(
            list
        )
        self.in_class: dict[tuple[int, str, str], set[int]] = defaultdict(set)
        self.in_school: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.by_login: dict[str, int] = {}
        if self.year is None:
            return
        self.classes = classes_by_name(self.year)
        self.class_names = {c.pk: str(c) for c in self.classes.values()}
        rows = Enrolment.objects.filter(school_class__year=self.year).values_list(
            "student_id",
            "school_class_id",
            "starts_on",
            "ends_on",
            "student__username",
            "student__last_name",
            "student__first_name",
            "student__middle_name",
            "student__birth_date",
        )
        for student_id, class_id, starts, ends, *person in rows:
            student = self.students.get(student_id) or _Student(student_id, *person)
            self.students[student_id] = student
            self.spans[student_id].append((class_id, starts, ends))
            name = (fold(student.last_name), fold(student.first_name))
            self.in_class[(class_id, *name)].add(student_id)
            self.in_school[name].add(student_id)
            self.by_login[student.username.lower()] = student_id

    # --- one row ------------------------------------------------------------------

    def _school_class(self, row: Row) -> SchoolClass | None:
        parsed = row.get("school_class", cleaning.class_name)
        if parsed is INVALID:
            return None
        school_class = self.classes.get(parsed)
        if school_class is None:
            row.error(
                "school_class",
                gettext_noop(
                    "There is no class %(value)s in the academic year %(year)s."
                ),
                {"value": f"{parsed[0]}{parsed[1]}", "year": str(self.year)},
            )
        return school_class

    def _subject(self, row: Row) -> Subject | None:
        raw = text(row.raw("subject"))
        if not raw:
            row.error("subject", gettext_noop("The cell is empty."))
            return None
        subject = self.subjects.get(fold(raw))
        if subject is None:
            row.error(
                "subject",
                gettext_noop(
                    "There is no subject «%(value)s» in the school. Write it as the "
                    "curriculum names it, e.g. «Алгебра»."
                ),
                {"value": raw},
            )
        return subject

    def _date(self, row: Row) -> dt.date | None:
        day = row.get("date", cleaning.date, today=self.today)
        if day is INVALID:
            return None
        if not self.year.starts_on <= day <= self.year.ends_on:
            row.error(
                "date",
                gettext_noop(
                    "The date %(value)s is outside the academic year %(year)s "
                    "(%(start)s – %(end)s)."
                ),
                {
                    "value": _fmt(day),
                    "year": str(self.year),
                    "start": _fmt(self.year.starts_on),
                    "end": _fmt(self.year.ends_on),
                },
            )
            return None
        return day

    def _student(self, row: Row, names, school_class: SchoolClass | None):
        """The student the row means, or None (with the reason in the report)."""
        last, first, middle = names
        login = row.get("login", cleaning.login)
        birth = None
        if text(row.raw("birth_date")):
            birth = row.get("birth_date", cleaning.date, today=self.today)
        if INVALID in (login, birth):
            return None
        name_column = row.name_column
        full = " ".join(p for p in (last, first, middle) if p)
        if login:
            student_id = self.by_login.get(login.lower())
            if student_id is None:
                row.error(
                    "login",
                    gettext_noop(
                        "No student of this academic year has the login «%(value)s»."
                    ),
                    {"value": login},
                )
                return None
            student = self.students[student_id]
            same = (fold(student.last_name), fold(student.first_name)) == (
                fold(last),
                fold(first),
            )
            if not same:
                row.error(
                    "login",
                    gettext_noop(
                        "The login «%(login)s» belongs to another student: %(name)s."
                    ),
                    {"login": login, "name": student.full_name},
                )
                return None
            return student
        if school_class is None:
            return None
        key = (fold(last), fold(first))
        candidates = [
            self.students[i]
            for i in sorted(self.in_class.get((school_class.pk, *key), ()))
        ]
        if middle:
            candidates = [s for s in candidates if fold(s.middle_name) == fold(middle)]
        if birth:
            candidates = [s for s in candidates if s.birth_date == birth]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            row.error(
                name_column,
                gettext_noop(
                    "%(class)s has several students called «%(name)s». Add the "
                    "column «Дата рождения» or «Логин» to tell them apart."
                ),
                {"class": str(school_class), "name": full},
            )
            return None
        elsewhere = sorted(
            {
                self.class_names.get(class_id, "")
                for student_id in self.in_school.get(key, ())
                for class_id, _s, _e in self.spans[student_id]
                if class_id != school_class.pk
                and (
                    not middle
                    or fold(self.students[student_id].middle_name) == fold(middle)
                )
            }
            - {""}
        )
        if elsewhere:
            row.error(
                name_column,
                gettext_noop(
                    "«%(name)s» does not study in %(class)s this year (the school has "
                    "a student of this name in %(other)s)."
                ),
                {
                    "name": full,
                    "class": str(school_class),
                    "other": ", ".join(elsewhere),
                },
            )
        else:
            row.error(
                name_column,
                gettext_noop(
                    "There is no student «%(name)s» in %(class)s. Check the spelling "
                    "of the name, or import the student first."
                ),
                {"name": full, "class": str(school_class)},
            )
        return None

    def _in_class_on(self, row: Row, student: _Student, school_class, day) -> bool:
        spans = [s for s in self.spans[student.id] if s[0] == school_class.pk]
        if any(
            start <= day and (end is None or day <= end) for _c, start, end in spans
        ):
            return True
        if spans:
            _c, start, end = spans[0]
            row.error(
                "date",
                gettext_noop(
                    "On %(date)s %(name)s was not in %(class)s (in the class from "
                    "%(start)s until %(end)s)."
                ),
                {
                    "date": _fmt(day),
                    "name": student.full_name,
                    "class": str(school_class),
                    "start": _fmt(start),
                    "end": _fmt(end),
                },
            )
        else:
            row.error(
                "school_class",
                gettext_noop("%(name)s does not study in %(class)s this year."),
                {"name": student.full_name, "class": str(school_class)},
            )
        return False

    def row(self, row: Row) -> PlannedGrade | None:
        names = person_names(row)
        school_class = self._school_class(row)
        subject = self._subject(row)
        day = self._date(row)
        mark = row.get("value", parse_mark, self.rules)
        lesson_topic = row.get("topic", topic)
        kind = row.get("work_type", work_type)
        if lesson_topic == "" and kind == "":
            row.error(
                "topic" if "topic" in row.headers.index else "work_type",
                gettext_noop("Give the topic or the kind of work."),
            )
        student = self._student(row, names, school_class) if names else None
        if student and school_class and day:
            self._in_class_on(row, student, school_class, day)
        if (
            subject
            and school_class
            and not self.all_pairs
            and (subject.pk, school_class.pk) not in self.pairs
        ):
            row.error(
                "subject",
                gettext_noop(
                    "You do not teach «%(subject)s» in %(class)s: only its teacher "
                    "or the school administration may enter these grades."
                ),
                {"subject": subject.name, "class": str(school_class)},
            )
        if not row.ok:
            return None
        return PlannedGrade(
            row=row.number,
            student_id=student.id,
            class_id=school_class.pk,
            subject_id=subject.pk,
            date=day,
            kind=mark.kind,
            value=mark.value,
            written=mark.written,
            topic=lesson_topic,
            topic_key=normalise_topic(lesson_topic),
            work_type=kind,
            label=f"{student.full_name} · {subject.name}, {_fmt(day)}",
        )

    # --- the whole file -------------------------------------------------------------

    def build(self, table: Table, headers: HeaderMap, progress: Progress) -> GradePlan:
        plan = GradePlan(errors=self.errors)
        if self.year is None:
            self.errors.append(
                RowError(
                    None,
                    "",
                    gettext_noop(
                        "No academic year contains today. Set up the year and its "
                        "classes in the back office first."
                    ),
                )
            )
            return plan
        seen: dict[tuple, int] = {}
        total = len(table.rows)
        for done, (number, cells) in enumerate(table.rows, start=1):
            row = Row(number, cells, headers, self.errors)
            planned = self.row(row)
            if planned is not None:
                other = seen.get(planned.key)
                if other is not None:
                    row.error(
                        row.name_column,
                        gettext_noop(
                            "Row %(other)s already gives this student a grade for the "
                            "same subject, date, topic and kind of work."
                        ),
                        {"other": other},
                    )
                else:
                    seen[planned.key] = number
                    plan.grades.append(planned)
            if done % 250 == 0 or done == total:
                progress(done, total)
        if self.errors:
            plan.grades = []
            return plan
        self._match_stored(plan)
        return plan

    def _match_stored(self, plan: GradePlan) -> None:
        """Mark each planned grade new, changed or unchanged against the database."""
        if not plan.grades:
            return
        students = {g.student_id for g in plan.grades}
        first = min(g.date for g in plan.grades)
        last = max(g.date for g in plan.grades)
        stored = {}
        rows = Grade.objects.filter(
            student_id__in=students, date__gte=first, date__lte=last
        ).values_list(
            "pk",
            "student_id",
            "subject_id",
            "date",
            "topic_key",
            "work_type",
            "kind",
            "value",
            "written",
            "topic",
            "school_class_id",
        )
        for pk, student, subject, day, key, work, *entry in rows:
            stored[(student, subject, day, key, work)] = (pk, *entry)
        for grade in plan.grades:
            found = stored.get(grade.key)
            if found is None:
                continue
            pk, kind, value, written, topic_, class_id = found
            grade.existing_id = pk
            before = mark_code(kind, value, written)
            after = mark_code(grade.kind, grade.value, grade.written)
            if before != after or (kind, value) != (grade.kind, grade.value):
                grade.changes["value"] = [before, after]
            if topic_ != grade.topic:
                grade.changes["topic"] = [topic_, grade.topic]
            if class_id != grade.class_id:
                grade.changes["class"] = [
                    self.class_names.get(class_id, ""),
                    self.class_names.get(grade.class_id, ""),
                ]
