"""Staff: matched by login or by ФИО and e-mail or phone; a row sets the roles,
the contract (position, load, consultation hours), the working time and a
teacher's subjects and classes (R7 data)."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext_noop

from umka.accounts.models import Role
from umka.imports import cleaning
from umka.imports.cleaning import fold, text
from umka.imports.lookups import subjects_by_name
from umka.imports.people import cleaning as people_cleaning
from umka.imports.people.planning import (
    PeoplePlanner,
    PersonPlan,
    number_text,
    regime_text,
)
from umka.imports.rows import INVALID, Row, person_names
from umka.school.models import Contract, TeachingAssignment, WorkingTime


class StaffPlanner(PeoplePlanner):
    def prepare(self) -> None:
        self._load_classes()
        self.subjects = subjects_by_name()
        self.contracts = {
            row[1]: row
            for row in Contract.objects.values_list(
                "id",
                "person_id",
                "position",
                "weekly_load_hours",
                "consultation_hours",
            )
        }
        self.regimes: dict[int, set] = defaultdict(set)
        for (
            contract_id,
            weekday,
            starts_at,
            ends_at,
        ) in WorkingTime.objects.values_list(
            "contract_id", "weekday", "starts_at", "ends_at"
        ):
            self.regimes[contract_id].add((weekday, starts_at, ends_at))
        self.lessons: dict[int, dict[tuple, tuple]] = defaultdict(dict)
        for (
            lesson_id,
            teacher_id,
            subject_id,
            class_id,
            amount,
        ) in TeachingAssignment.objects.filter(
            school_class__year=self.year
        ).values_list(
            "id", "teacher_id", "subject_id", "school_class_id", "hours_per_week"
        ):
            self.lessons[teacher_id][(subject_id, class_id)] = (lesson_id, amount)

    def row(self, row: Row, login: str) -> PersonPlan | None:
        names = person_names(row)
        email, phone = self._contacts(row)
        position = row.get("position", text)
        if position is not INVALID and not position:
            row.error("position", gettext_noop("The cell is empty."))
        elif position is not INVALID and len(position) > 200:
            row.error("position", gettext_noop("Too long: at most 200 characters."))
        roles = row.get("roles", people_cleaning.roles)
        lessons = row.get("subjects", people_cleaning.subjects)
        load = row.get("load", cleaning.hours)
        consultation = row.get("consultation_hours", cleaning.hours)
        regime = row.get("working_time", people_cleaning.working_time)
        if not row.ok or names is None:
            return None
        is_teacher = Role.TEACHER in roles
        if lessons and not is_teacher:
            row.error(
                "subjects",
                gettext_noop(
                    "Subjects and classes are given, but the roles do not include "
                    "«учитель»."
                ),
            )
        if is_teacher and load is None:
            row.error(
                "load",
                gettext_noop("A teacher's weekly load (hours a week) is required."),
                value="",
            )
        if consultation is not None and load is None:
            row.error(
                "load",
                gettext_noop("Consultation hours are part of the load: give the load."),
                value="",
            )
        elif consultation is not None and consultation > load:
            row.error(
                "consultation_hours",
                gettext_noop(
                    "Consultation hours (%(hours)s) cannot exceed the load (%(load)s)."
                ),
                {"hours": number_text(consultation), "load": number_text(load)},
            )
        needs_regime = not is_teacher and bool(
            set(roles) & {Role.DEPUTY_HEAD, Role.UNIT_HEAD, Role.STAFF}
        )
        if needs_regime and not regime:
            row.error(
                "working_time",
                gettext_noop(
                    "Staff who do not teach consult within their working hours: give "
                    "them, e.g. «пн-пт 09:00-17:00»."
                ),
                value="",
            )
        if not (login or email or phone):
            row.error(
                "email" if "email" in row.headers.index else "login",
                gettext_noop(
                    "Give a login, an e-mail or a phone: without one a later import "
                    "could not find this person again."
                ),
                value="",
            )
        resolved = []
        for lesson in lessons or ():
            subject = self.subjects.get(fold(lesson.subject))
            if subject is None:
                row.error(
                    "subjects",
                    gettext_noop("There is no subject «%(subject)s»."),
                    {"subject": lesson.subject},
                )
            school_class = self._school_class(
                row, "subjects", lesson.grade, lesson.letter
            )
            if subject and school_class:
                resolved.append((subject, school_class, lesson.hours))
        if not row.ok:
            return None
        known, go_on = self._find_by_contact(row, names, login, email, phone)
        if not go_on:
            return None
        plan = self._person_plan(
            row, names, known, login, roles, email=email, phone=phone, detail=position
        )
        if not self._plan_contract(row, plan, position, load, consultation, regime):
            return None
        self._plan_lessons(plan, resolved)
        return plan

    def _plan_contract(
        self, row: Row, plan, position, load, consultation, regime
    ) -> bool:
        wanted = {"position": position}
        if load is not None:
            wanted["weekly_load_hours"] = load
        if consultation is not None:
            wanted["consultation_hours"] = consultation
        current = self.contracts.get(plan.user_id) if plan.user_id else None
        if current is None:
            plan.contract = wanted
            plan.working_times = regime or None
            if plan.user_id:
                plan.changes["position"] = [None, position]
                if regime:
                    plan.changes["working_time"] = [None, regime_text(regime)]
            return True
        contract_id, _person, *values = current
        plan.contract_id = contract_id
        stored = dict(
            zip(
                ("position", "weekly_load_hours", "consultation_hours"),
                values,
                strict=True,
            )
        )
        final = {**stored, **wanted}
        if (
            final["consultation_hours"] is not None
            and final["weekly_load_hours"] is not None
            and final["consultation_hours"] > final["weekly_load_hours"]
        ):
            row.error(
                "load",
                gettext_noop(
                    "The load cannot be less than the consultation hours already "
                    "stored (%(hours)s)."
                ),
                {"hours": number_text(final["consultation_hours"])},
            )
            return False
        differs = {k: v for k, v in wanted.items() if stored[k] != v}
        if differs:
            plan.contract = differs
            for name, value in differs.items():
                old = stored[name]
                plan.changes[name] = [
                    number_text(old) if isinstance(old, Decimal) else old,
                    number_text(value) if isinstance(value, Decimal) else value,
                ]
        if regime and set(regime) != self.regimes.get(contract_id, set()):
            plan.working_times = regime
            plan.changes["working_time"] = [
                regime_text(self.regimes.get(contract_id, ())) or None,
                regime_text(regime),
            ]
        return True

    def _plan_lessons(self, plan: PersonPlan, resolved) -> None:
        current = self.lessons.get(plan.user_id, {}) if plan.user_id else {}
        added, changed = [], []
        for subject, school_class, amount in resolved:
            found = current.get((subject.pk, school_class.pk))
            label = f"{subject.name} {school_class}"
            if found is None:
                plan.lessons_new.append((subject.pk, school_class.pk, amount))
                added.append(f"{label}: {number_text(amount)}")
            elif found[1] != amount:
                plan.lessons_hours.append((found[0], amount))
                changed.append(
                    f"{label}: {number_text(found[1])} → {number_text(amount)}"
                )
        if plan.user_id and added:
            plan.changes["lessons_added"] = [None, added]
        if plan.user_id and changed:
            plan.changes["lessons_hours"] = [None, changed]
