"""The demo school's consultation schedule (R7–R12), planned in memory like the rest
of the demo school: one «График консультаций» per study period, its consultations,
their dated sessions, attestation checklists and amendments.

Modules: `planner` (`SchedulePlanner(...).plan() -> SchedulePlan`), `ledger` (who is
busy when, checked with `umka.consultations.rules`), `offers` (what the staff offer,
the texts), `history` (amendments, outcomes, versions; `rows_as_of`), `fingerprint`
(`plan_lines` and the line functions `umka.demo.selectors` shares).
"""

from umka.demo.schedule.fingerprint import plan_lines
from umka.demo.schedule.history import SchedulePlan, rows_as_of
from umka.demo.schedule.offers import APPROVED_REASON
from umka.demo.schedule.planner import SchedulePlanner

__all__ = [
    "APPROVED_REASON",
    "SchedulePlan",
    "SchedulePlanner",
    "plan_lines",
    "rows_as_of",
]
