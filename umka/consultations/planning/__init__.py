"""Planning consultations (R7, R9–R12): the staff member's consultations and weekly
load, the planning form, a consultation's sessions and the attestation checklist.

Modules (see README.md): `services` (plan, remove, move, cancel), `held` (R12: mark
held, the checklist), `selectors`, `load` (weekly hours, R7), `forms`,
`forms_sessions`, `views`, `views_sessions`, `urls`.
"""
