"""Kinds of notification about learning materials."""

from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

PUBLISHED = register("materials.published", _("A new learning material"))
