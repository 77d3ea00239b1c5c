"""R11 in the demo schedule (a mixin of SchedulePlanner): a group consultation
before the attestation on a part every class in the audience has completed, near the
end of the period, on a day `umka.consultations.rules` allows."""

import datetime as dt

from umka.consultations import rules
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
)
from umka.demo import curriculum as cur
from umka.demo.schedule.offers import (
    AFTERNOON,
    ATTESTATION_MINUTES,
    ATTESTATION_TEXT,
    ATTESTATIONS_PER_PERIOD,
    GRID,
    minutes_of,
)

Form = Consultation.Form
Volume = Consultation.Volume
Purpose = Consultation.Purpose
Recurrence = Consultation.Recurrence


class AttestationPlacing:
    """Places the attestation consultations of one period (R11, R12)."""

    def _place_attestation(self, document, teacher) -> None:
        """R11: group consultations before the attestation on a part that every
        class in the audience has completed, near the end of the period (one per
        class group, at most ATTESTATIONS_PER_PERIOD a teacher)."""
        period, rng = document.period, self.rng
        groups = self._eligible(teacher)
        demo = teacher is self.logins["teacher"]
        rng.shuffle(groups)
        groups.sort(key=lambda k: not (demo and k == (cur.ALGEBRA, 7)))
        placed = 0
        for subject, grade in groups:
            if placed == ATTESTATIONS_PER_PERIOD:
                return
            classes = self.groups[id(teacher)][subject, grade]
            done = [
                (max(self.done_on[id(p), id(c)] for c in classes), p)
                for p in self.parts[subject, grade]
            ]
            done = [(d, p) for d, p in done if period.starts_on <= d < period.ends_on]
            for _completed, part in sorted(done, key=lambda x: x[0], reverse=True):
                slot = self._attestation_slot(teacher, classes, period, part)
                if slot is not None:
                    self._attestation(document, teacher, classes, part, *slot)
                    placed += 1
                    break

    def _attestation_slot(self, teacher, classes, period, part):
        """(day, start, minutes) in the last three weeks of the period, on a day the
        rules allow an attestation consultation on `part` (R11)."""
        rng = self.rng
        first = max(period.starts_on, period.ends_on - dt.timedelta(days=21))
        days = [
            first + dt.timedelta(days=n)
            for n in range((period.ends_on - first).days + 1)
        ]
        days = [
            d
            for d in days
            if d.weekday() < 5
            and not any(s <= d <= e for s, e in self.holidays)
            and self._after_completion(teacher, classes, part, d)
        ]
        rng.shuffle(days)
        for day in days:
            for minutes in ATTESTATION_MINUTES:
                starts = list(
                    range(
                        minutes_of(AFTERNOON[0]),
                        minutes_of(AFTERNOON[1]) - minutes + 1,
                        GRID,
                    )
                )
                rng.shuffle(starts)
                for start in starts:
                    end = start + minutes
                    if self.ledger.free(teacher, classes, day, start, end):
                        return day, start, minutes
        return None

    def _after_completion(self, teacher, classes, part, day: dt.date) -> bool:
        """R11, as the rules say it: every class has completed `part` by `day`."""
        probe = self.ledger.session(
            teacher,
            classes,
            day,
            minutes_of(AFTERNOON[0]),
            minutes_of(AFTERNOON[1]),
            part=id(part),
        )
        return not rules.attestation_findings([probe], self.ledger.terms)

    def _attestation(self, document, teacher, classes, part, day, start, minutes):
        form = self.rng.choice((Form.WEBINAR, Form.VIDEOCONFERENCE))
        consultation = self._consultation(
            document,
            teacher,
            classes,
            [day],
            start,
            minutes,
            subject=part.subject,
            form=form,
            volume=Volume.OVERVIEW,
            purpose=Purpose.ATTESTATION,
            program_part=part,
            recurrence=Recurrence.ONCE,
            description=ATTESTATION_TEXT.format(part=part.title),
            how_to_join=self._how_to_join(form, teacher),
        )
        for occurrence in self.sessions_of[id(consultation)]:
            self.out.checklist.extend(
                ChecklistItem(occurrence=occurrence, kind=kind)
                for kind in ChecklistItem.Kind.values
            )
