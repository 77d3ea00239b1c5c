"""What the system enforces for each requirement (R14): the rule's function and the
refusal a person sees when the rule says no.

`function` is a dotted path (a test imports every one); `message` is the product's
own msgid (English), shown through the product's catalogue, so the report speaks
the words the person sees (a test checks each is in a catalogue, translated).
A rule that filters rather than refuses (who sees what: 404) says so through
the 404 page's sentence; a rule that only records has no message.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    function: str
    message: str = ""


NOT_FOUND = "There is no such page, or you have no access to it."
FORBIDDEN = "You may not do this."

RULES: dict[str, tuple[Rule, ...]] = {
    "R1": (
        # Every form of help a student or parent may use is offered in their menu.
        Rule("umka.core.menu.links_for"),
        Rule("umka.home.policies.sections_for"),
    ),
    "R2": (
        Rule("umka.materials.policies.materials_visible_to", NOT_FOUND),
        Rule("umka.materials.policies.can_view", NOT_FOUND),
    ),
    "R3": (
        Rule("umka.accounts.policies.active_parent_links", NOT_FOUND),
        Rule(
            "umka.requests.services.request_create",
            "You may write requests only about yourself or your own child.",
        ),
    ),
    "R4": (
        Rule("umka.rooms.policies.is_open_for", "The room is not open now."),
        Rule("umka.rooms.policies.access_room", NOT_FOUND),
    ),
    "R5": (
        Rule(
            "umka.bookings.services.booking_create",
            "This slot is already taken: choose another time, or watch the slot — "
            "if it is freed, it goes to the first in the queue.",
        ),
        Rule(
            "umka.bookings.services.booking_cancel",
            "Say why the consultation is cancelled.",
        ),
    ),
    "R6": (
        Rule(
            "umka.courses.grading.graded_with_review",
            "Write the review: every graded work carries one.",
        ),
    ),
    "R7": (
        Rule(
            "umka.consultations.rules.findings.contract_findings",
            "In the week of %(start)s–%(end)s %(name)s has %(planned)s h of "
            "consultations planned, but the contract allows %(allowed)s h a week "
            "(%(over)s h too many).",
        ),
        Rule(
            "umka.consultations.rules.findings.contract_findings",
            "On %(date)s %(name)s works %(from)s–%(until)s under the contract; the "
            "consultation at %(start)s–%(end)s falls outside it.",
        ),
    ),
    "R8": (
        Rule("umka.consultations.schedule.services.schedule_approve", FORBIDDEN),
        Rule(
            "umka.consultations.planning.services.consultation_plan",
            "The schedule is approved: every change is an amendment and needs a "
            "reason.",
        ),
    ),
    "R9": (
        Rule("umka.requests.services.request_create", "Say what the request is about."),
        Rule("umka.grades.analysis.topic_rows"),
        Rule("umka.consultations.recurrence.session_dates"),
    ),
    "R10": (
        Rule(
            "umka.consultations.rules.findings.plan_findings",
            "A consultation on separate topics must name its topics.",
        ),
    ),
    "R11": (
        Rule(
            "umka.consultations.rules.findings.plan_findings",
            "A consultation preparing for intermediate attestation is held only in a "
            "group form; an individual one is not allowed.",
        ),
        Rule(
            "umka.consultations.rules.findings.attestation_findings",
            "Class %(class)s completes «%(part)s» on %(done)s; the attestation "
            "consultation starts earlier, on %(first)s.",
        ),
    ),
    "R12": (
        Rule(
            "umka.consultations.planning.held.occurrence_mark_held",
            "An attestation consultation is held only when all three checklist "
            "items are done. Still to do: %(items)s.",
        ),
    ),
    "R13": (
        Rule("umka.audit.services.record"),
        Rule("umka.requests.routing.due_from"),
        Rule(
            "umka.requests.services.request_rate",
            "Only the author rates an answer, once it is given, and once.",
        ),
        Rule("umka.audit.policies.can_browse_audit", NOT_FOUND),
    ),
    "R14": (
        Rule("umka.compliance.report.build"),
        Rule("umka.compliance.policies.can_read_compliance", NOT_FOUND),
    ),
}
