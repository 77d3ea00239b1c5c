from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

CONSENT_GIVEN = register("privacy.consent_given", _("Gave consent to data processing"))
CONSENT_WITHDRAWN = register(
    "privacy.consent_withdrawn", _("Withdrew consent to data processing")
)
EXPORTED = register("privacy.exported", _("Exported a person's personal data"))
ANONYMISED = register("privacy.anonymised", _("Anonymised a person who left"))
RETENTION_APPLIED = register(
    "privacy.retention_applied", _("Removed records past their retention period")
)
