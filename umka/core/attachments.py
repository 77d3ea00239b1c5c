"""An attachment row: a file that passed the one upload check
(`umka.core.uploads.check_upload`), kept under a random name in its app's folder
and handed out only by `umka.core.downloads.download` after a policy check."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename: str) -> str:
    """«<folder>/<random>.<extension>»: the name people gave stays in `name`."""
    return f"{instance.upload_folder}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class Attachment(models.Model):
    #: The folder of MEDIA_ROOT the files of this kind go to.
    upload_folder = "files"

    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name
