"""Audit labels of the publication screens (R8, R13). Imported at startup from
ConsultationsConfig.ready(), like audit_actions."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

CALENDAR_TOKEN_ISSUED = register(
    "consultations.calendar_token_issued",
    _("Issued a new personal calendar feed address"),
)
