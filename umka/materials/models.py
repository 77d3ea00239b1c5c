"""Learning materials (R2): what a material is, who it is for, its versions, the
files behind it, its search text and who opened it.

A material is a file, a link, a rich page (Markdown, `umka.core.richtext`) or a
video, attached to a subject, classes, a program part, a consultation or a course
space. It is a draft until `publish_at` (set and in the past: published; in the
future: scheduled). Every change keeps a `MaterialVersion`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from umka.consultations.models import Consultation
from umka.courses.models import CourseSpace
from umka.school.models import ProgramPart, SchoolClass, Subject


def _file_path(instance, filename: str) -> str:
    return f"materials/{instance.key}.{instance.extension}"


def _thumbnail_path(instance, filename: str) -> str:
    return f"materials/thumbnails/{instance.key}.png"


class MaterialFile(models.Model):
    """An uploaded file (checked by `core.uploads.check_upload`), kept as long as
    a material or one of its versions refers to it. Stored under a random key: its
    address is never guessable and it is served only after the policy's check."""

    class TextStatus(models.TextChoices):
        READ = "read", _("text read")
        UNREADABLE = "unreadable", _("the text could not be read")
        NONE = "none", _("no text in this kind of file")

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    extension = models.CharField(_("extension"), max_length=8)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    text = models.TextField(_("text inside the file"), blank=True)
    text_status = models.CharField(_("text"), max_length=12, choices=TextStatus.choices)
    thumbnail = models.FileField(
        _("first page"), upload_to=_thumbnail_path, max_length=200, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material file")
        verbose_name_plural = _("material files")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0), name="material_file_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(text_status__in=["read", "unreadable", "none"]),
                name="material_file_text_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Material(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")
        PAGE = "page", _("Page")
        VIDEO = "video", _("Video")

    class Audience(models.TextChoices):
        CLASSES = "classes", _("Students of the classes and their parents")
        PARENTS = "parents", _("Parents of the classes")
        STAFF = "staff", _("School staff (methodical collection)")

    class Purpose(models.TextChoices):
        """What the material tells (R2): learning material, or the program, its
        planned results, the organisation of the process (the program page)."""

        LEARNING = "learning", _("Learning material")
        PROGRAM = "program", _("The program")
        RESULTS = "results", _("Planned results")
        PROCESS = "process", _("Organisation of the process and its rules")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    purpose = models.CharField(
        _("what it tells"), max_length=8, choices=Purpose.choices, default="learning"
    )
    audience = models.CharField(
        _("for whom"), max_length=8, choices=Audience.choices, default="classes"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    body = models.TextField(_("page text"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.ForeignKey(
        MaterialFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("file"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("subject"),
    )
    program_part = models.ForeignKey(
        ProgramPart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("program part"),
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("consultation"),
    )
    space = models.ForeignKey(
        CourseSpace,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("course space"),
    )
    classes = models.ManyToManyField(
        SchoolClass,
        through="MaterialClass",
        blank=True,
        related_name="materials",
        verbose_name=_("classes"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="materials",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"))
    #: None: a draft; in the past: published; in the future: scheduled.
    publish_at = models.DateTimeField(_("published at"), null=True, blank=True)
    #: When the audience was told of the publication (once).
    notified_at = models.DateTimeField(_("audience told at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("learning material")
        verbose_name_plural = _("learning materials")
        ordering = ["-publish_at", "-pk"]
        indexes = [
            models.Index(fields=["publish_at"], name="material_publish_at"),
            models.Index(fields=["audience", "publish_at"], name="material_audience"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["file", "video"], file__isnull=False)
                | Q(kind="link", file__isnull=True) & ~Q(url="")
                | Q(kind="page", file__isnull=True) & ~Q(body=""),
                name="material_has_its_content",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["classes", "parents", "staff"]),
                name="material_audience_known",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=["learning", "program", "results", "process"]),
                name="material_purpose_known",
            ),
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | Q(publish_at__isnull=False),
                name="material_notified_only_when_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_published(self, now) -> bool:
        return self.publish_at is not None and self.publish_at <= now

    def is_scheduled(self, now) -> bool:
        return self.publish_at is not None and self.publish_at > now


class MaterialClass(models.Model):
    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="class_links"
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="material_links"
    )

    class Meta:
        verbose_name = _("class of a material")
        verbose_name_plural = _("classes of materials")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "school_class"], name="unique_material_class"
            )
        ]
        indexes = [
            models.Index(fields=["school_class", "material"], name="material_class")
        ]

    def __str__(self) -> str:
        return f"{self.material_id} — {self.school_class_id}"


class MaterialVersion(models.Model):
    """A material as it was after one change: who, when, what (R13), to open and
    restore."""

    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("learning material"),
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=8, choices=Material.Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    body = models.TextField(_("page text"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.ForeignKey(
        MaterialFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("file"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("version of a material")
        verbose_name_plural = _("versions of materials")
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "number"], name="unique_material_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class MaterialText(models.Model):
    """What search reads of a material: its title and the rest of its text (the
    description, a page's text, the text inside its file). On PostgreSQL a
    generated `document` column (Russian configuration) and a trigram index on the
    title are added by the migration; on SQLite an FTS5 table kept by triggers."""

    material = models.OneToOneField(
        Material, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search text of a material")
        verbose_name_plural = _("search texts of materials")

    def __str__(self) -> str:
        return self.title


class MaterialOpening(models.Model):
    """Who opened a material: first and last time and how often (R2, R13)."""

    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        related_name="openings",
        verbose_name=_("learning material"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="material_openings",
        verbose_name=_("person"),
    )
    first_at = models.DateTimeField(_("first opened at"))
    last_at = models.DateTimeField(_("last opened at"))
    times = models.PositiveIntegerField(_("times opened"), default=1)

    class Meta:
        verbose_name = _("opening of a material")
        verbose_name_plural = _("openings of materials")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "person"], name="unique_material_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.material_id}"
