"""Audit actions of the help ledger."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

EXPORTED = register("ledger.exported", _("Downloaded a student's help ledger"))
