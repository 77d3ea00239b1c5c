"""Audit actions of ratings (R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

RATED = register("ratings.rated", _("Rated a piece of help"))
