"""Conflicts of a schedule (R7, R11, clashes): the findings of
`umka.consultations.rules` over the schedule's sessions — this schedule's checked,
other schedules' live sessions in the same weeks only counted — listed on the board
rather than refused. They arise when data changes after planning: a contract edited
in the back office, a completion date moved, a session moved by hand.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from umka.accounts.models import Role, RoleAssignment
from umka.consultations import rules
from umka.consultations.models import Consultation
from umka.consultations.rules.checks import what
from umka.school.models import Contract, ProgramPartCompletion


class ConflictKind:
    ORGANISER_BUSY = "organiser_busy"
    CLASS_BUSY = "class_busy"
    WEEKLY_HOURS = "weekly_hours"
    NO_CONTRACT = "no_contract"
    WORKING_TIME = "working_time"
    ATTESTATION = "attestation_early"

    labels = {
        ORGANISER_BUSY: gettext_lazy("Organiser double-booked"),
        CLASS_BUSY: gettext_lazy("Class double-booked"),
        WEEKLY_HOURS: gettext_lazy("Over the weekly contract limit"),
        NO_CONTRACT: gettext_lazy("No contract terms"),
        WORKING_TIME: gettext_lazy("Outside working time"),
        ATTESTATION: gettext_lazy("Before the program part is completed"),
    }


@dataclass
class Conflict:
    kind: str
    message: str
    #: The board's session the conflict's link opens (in its week on the grid).
    anchor: object
    #: The board's sessions concerned (this schedule's).
    sessions: list
    #: The rule's clause (R7, R11), or "clash".
    rule: str = ""

    @property
    def label(self) -> str:
        return str(ConflictKind.labels[self.kind])

    @property
    def requirement(self) -> str:
        """The clause of the regulation, if the rule is one ("" for a clash)."""
        return self.rule if self.rule.startswith("R") else ""

    @property
    def week(self) -> dt.date:
        return self.anchor.week


#: The board's kind of conflict for each finding of the rules.
KIND_OF = {
    "organiser_busy": ConflictKind.ORGANISER_BUSY,
    "class_busy": ConflictKind.CLASS_BUSY,
    "weekly_hours_exceeded": ConflictKind.WEEKLY_HOURS,
    "contract_missing": ConflictKind.NO_CONTRACT,
    "not_a_working_day": ConflictKind.WORKING_TIME,
    "outside_working_time": ConflictKind.WORKING_TIME,
    "attestation_no_completion": ConflictKind.ATTESTATION,
    "attestation_too_early": ConflictKind.ATTESTATION,
}


def conflicts_of(sessions: list, terms: rules.Terms) -> list[Conflict]:
    """Every finding of the rules over the schedule's sessions (this schedule's are
    checked; other schedules' live sessions in the same weeks only count)."""
    checked = [
        rules.Session(
            s.starts,
            s.ends,
            s.consultation.organiser_id,
            tuple(k.pk for k in s.classes),
            consultation=s.consultation.pk,
            key=s.pk,
            live=s.live,
            checked=s.own,
            what=what(s.consultation),
            schedule="" if s.own else str(s.consultation.schedule),
            part=s.consultation.program_part_id
            if s.consultation.is_attestation
            else None,
            ref=s,
        )
        for s in sessions
    ]
    conflicts = []
    for finding in rules.findings(checked, terms):
        own = [s.ref for s in finding.sessions if s.checked]
        conflicts.append(
            Conflict(KIND_OF[finding.code], finding.text, own[0], own, finding.rule)
        )
    conflicts.sort(key=lambda c: (c.anchor.starts, c.anchor.pk, c.kind))
    return conflicts


def terms_of(
    consultations: dict[int, Consultation], sessions: list
) -> tuple[dict[int, Contract], rules.Terms]:
    """The organisers' contracts (their positions head the list) and the terms the
    rules check the sessions against (R7, R11)."""
    contracts: dict[int, Contract] = {}
    teachers: set[int] = set()
    organisers = {s.consultation.organiser_id for s in sessions} | {
        c.organiser_id for c in consultations.values()
    }
    if organisers:
        contracts = {
            c.person_id: c
            for c in Contract.objects.filter(person_id__in=organisers).prefetch_related(
                "working_times"
            )
        }
        teachers = set(
            RoleAssignment.objects.filter(
                user_id__in=organisers, role=Role.TEACHER
            ).values_list("user_id", flat=True)
        )
    terms = rules.Terms(
        contracts={
            pk: rules.ContractTerms.of(c, teacher=pk in teachers)
            for pk, c in contracts.items()
        }
    )
    for session in sessions:
        c = session.consultation
        terms.people[c.organiser_id] = (c.organiser.full_name, c.organiser.short_name)
        for k in session.classes:
            terms.classes[k.pk] = str(k)
        if session.own and c.is_attestation:
            terms.parts[c.program_part_id] = c.program_part.title
    parts = {c.program_part_id for c in consultations.values() if c.is_attestation}
    if parts:
        terms.completions = {
            (pc.program_part_id, pc.school_class_id): pc.planned_on
            for pc in ProgramPartCompletion.objects.filter(program_part_id__in=parts)
        }
    return contracts, terms
