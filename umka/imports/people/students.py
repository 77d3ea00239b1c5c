"""Students: matched by login or by ФИО and birth date; a row enrols the student
in a class of the chosen academic year (R3 data)."""

import datetime as dt

from django.utils.translation import gettext_noop

from umka.accounts.models import Role
from umka.imports import cleaning
from umka.imports.people.planning import (
    PeoplePlanner,
    PersonPlan,
    name_key,
)
from umka.imports.rows import INVALID, Row, person_names
from umka.school.models import Enrolment, SchoolClass


class StudentPlanner(PeoplePlanner):
    def prepare(self) -> None:
        self._load_classes()
        self.enrolment = {}
        for (
            enrolment_id,
            student_id,
            class_id,
            starts_on,
            grade,
            letter,
        ) in Enrolment.objects.filter(ends_on__isnull=True).values_list(
            "id",
            "student_id",
            "school_class_id",
            "starts_on",
            "school_class__grade",
            "school_class__letter",
        ):
            self.enrolment[student_id] = (
                enrolment_id,
                class_id,
                starts_on,
                f"{grade}{letter}",
            )
        self.ever_enrolled = set(
            Enrolment.objects.values_list("student_id", flat=True).distinct()
        )
        self.file_students: dict[tuple, int] = {}

    def row(self, row: Row, login: str) -> PersonPlan | None:
        names = person_names(row)
        birth = row.get("birth_date", cleaning.date, today=self.today)
        parsed = row.get("school_class", cleaning.class_name)
        email, phone = self._contacts(row)
        school_class = None
        if parsed is not INVALID:
            school_class = self._school_class(row, "school_class", *parsed)
        if not row.ok or names is None:
            return None
        last, first, middle = names
        key = (*name_key(last, first, middle), birth)
        first_row = self.file_students.setdefault(key, row.number)
        if first_row != row.number:
            row.error(
                row.name_column,
                gettext_noop("The same student is already in row %(other)s."),
                {"other": first_row},
                value=" ".join(p for p in names if p),
            )
            return None
        same_key = [p for p in self.by_name.get(key[:3], []) if p.birth_date == birth]
        if login:
            known = self.by_login.get(login.lower())
            if known is not None and not self._same_person(known, last, first, birth):
                self._login_clash(row, known)
                return None
            if known is None and not self._new_login_not_a_duplicate(
                row, login, same_key
            ):
                return None
        elif len(same_key) > 1:
            row.error(
                "login",
                gettext_noop(
                    "Several people have this name and birth date (%(logins)s). Put "
                    "the login of the right one in the «Логин» column."
                ),
                {"logins": ", ".join(sorted(p.username for p in same_key))},
            )
            return None
        else:
            known = same_key[0] if same_key else None
        self._claim(row, known, self.claimed)
        if not row.ok:
            return None
        plan = self._person_plan(
            row,
            names,
            known,
            login,
            [Role.STUDENT],
            email=email,
            phone=phone,
            birth_date=birth,
            detail=str(school_class),
        )
        if known is not None and known.birth_date is None:
            plan.updates["birth_date"] = birth
            plan.changes["birth_date"] = [None, birth.isoformat()]
        self._plan_enrolment(plan, school_class)
        return plan

    def _plan_enrolment(self, plan: PersonPlan, school_class: SchoolClass) -> None:
        plan.class_id = school_class.pk
        start = max(self.today, self.year.starts_on)
        current = self.enrolment.get(plan.user_id) if plan.user_id else None
        if current is None:
            if plan.user_id is None or plan.user_id not in self.ever_enrolled:
                # A school starting with Umka lists its classes as they have been
                # since the year began; a move later in the year dates from today.
                start = self.year.starts_on
            plan.enrolment_open_on = start
            if plan.user_id:
                plan.changes["class"] = [None, str(school_class)]
            return
        enrolment_id, class_id, starts_on, class_text = current
        if class_id == school_class.pk:
            return
        plan.changes["class"] = [class_text, str(school_class)]
        if starts_on >= start:
            # Enrolled today (or later): a correction, not a move.
            plan.enrolment_move = enrolment_id
        else:
            plan.enrolment_close = (enrolment_id, start - dt.timedelta(days=1))
            plan.enrolment_open_on = start
