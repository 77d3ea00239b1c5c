"""The regulation's planning rules, in one place (R7, R10, R11 and clashes).

- `findings` — the rules as pure functions over sessions: `Session`, `Terms`,
  `ContractTerms`, `Finding`; `plan_findings`, `attestation_findings`,
  `clash_findings`, `contract_findings`, `findings`, `refuse`.
- `checks` — the same rules against the database, for the services (and the
  bookings app): `Span`, `check_all`, `check_no_clashes`, `check_contract_limits`,
  `session_findings`, `contract_terms`, `weekly_load`, `live_occurrences`.
"""

from umka.consultations.rules.checks import (
    Span,
    check_all,
    check_contract_limits,
    check_no_clashes,
    contract_terms,
    live_occurrences,
    session_findings,
    weekly_load,
)
from umka.consultations.rules.findings import (
    ContractTerms,
    Finding,
    Session,
    Terms,
    attestation_findings,
    clash_findings,
    contract_findings,
    findings,
    hours_text,
    plan_findings,
    refuse,
)

__all__ = [
    "ContractTerms",
    "Finding",
    "Session",
    "Span",
    "Terms",
    "attestation_findings",
    "check_all",
    "check_contract_limits",
    "check_no_clashes",
    "clash_findings",
    "contract_findings",
    "contract_terms",
    "findings",
    "hours_text",
    "live_occurrences",
    "plan_findings",
    "refuse",
    "session_findings",
    "weekly_load",
]
