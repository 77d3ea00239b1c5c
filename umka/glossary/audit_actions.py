"""Audit actions of the glossary (R6, R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

PROPOSED = register("glossary.proposed", _("Proposed a glossary term"))
CHANGED = register("glossary.changed", _("Changed a glossary entry"))
APPROVED = register("glossary.approved", _("Approved a glossary entry"))
RETURNED = register("glossary.returned", _("Returned a glossary entry with a comment"))
GRADED = register("glossary.graded", _("Graded a glossary entry with a review"))
DELETED = register("glossary.deleted", _("Deleted a glossary entry"))
