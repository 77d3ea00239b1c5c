from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

register("accounts.signed_in", _("Signed in"))
register("accounts.signed_out", _("Signed out"))
register("accounts.sign_in_failed", _("Failed sign-in"))
register("accounts.locked_out", _("Locked out after failed sign-ins"))
register("accounts.password_changed", _("Changed password"))
register("accounts.password_reset_requested", _("Requested a password reset"))
register("accounts.password_reset_done", _("Reset password by e-mail"))
register("accounts.person_created", _("Created a person"))
register("accounts.person_changed", _("Changed a person"))
register("accounts.role_granted", _("Granted a role"))
register("accounts.role_revoked", _("Revoked a role"))
register("accounts.parent_link_created", _("Linked a parent to a student"))
register("accounts.parent_link_verified", _("Verified a parent link"))
register(
    "accounts.parent_link_kept_changed",
    _("Changed whether an adult student keeps a parent link"),
)
register("accounts.parent_link_removed", _("Removed a parent link"))
CHILD_DATA_VIEWED = register("accounts.child_data_viewed", _("Viewed a child's data"))
