"""School structure: the year and its periods, classes, enrolment, subjects,
program parts, teaching assignments and staff contract terms (R7 data)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from umka.core.time_zones import validate_time_zone


def default_time_zone() -> str:
    """The server's TIME_ZONE setting, the zone of a new school until it chooses."""
    return settings.TIME_ZONE


class School(models.Model):
    """The school this installation serves (one row)."""

    name = models.CharField(_("full name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_(
            "Every date and time of the school — schedules, deadlines, reminders, "
            "parents' rights at 18 — runs on this zone. Changing it keeps planned "
            "consultations at the same wall-clock time and tells their audience."
        ),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    # R13: deadlines the school sets for itself.
    request_response_days = models.PositiveSmallIntegerField(
        _("days to answer a request"),
        default=3,
        help_text=_("Working days: weekends and holidays are not counted."),
    )
    booking_cutoff_hours = models.PositiveSmallIntegerField(
        _("hours before a consultation when booking changes close"),
        default=12,
    )
    # R9: how the import of grades from the e-journal counts compound marks.
    signed_marks = models.CharField(
        _("marks with a plus or a minus («5-», «4+»)"),
        max_length=16,
        default="digit",
        choices=[
            ("digit", _("count the digit: «5-» is 5, «4+» is 4")),
            ("minus_lower", _("a minus lowers the mark: «5-» is 4, «4+» is 4")),
        ],
        help_text=_("Journals show such marks as written; averages need a number."),
    )
    double_marks = models.CharField(
        _("double marks («5/4»)"),
        max_length=16,
        default="first",
        choices=[
            ("first", _("count the first (main) mark: «5/4» is 5")),
            ("lower", _("count the lower mark: «5/4» is 4")),
        ],
    )
    # R6, R13: a teacher grades submitted deferred work within this many days.
    review_days = models.PositiveSmallIntegerField(
        _("days to grade submitted work"),
        default=3,
        help_text=_(
            "Working days for a teacher to grade a submitted assignment and write "
            "the review; then the deputy head is told."
        ),
    )
    # R13: participants rate a piece of help within this many days after it.
    rating_days = models.PositiveSmallIntegerField(
        _("days to rate help"),
        default=14,
        help_text=_(
            "Students and parents may rate a consultation, a meeting, an answer or "
            "a review within this many days after it."
        ),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("school")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request_response_days__gte=1),
                name="request_response_days_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(review_days__gte=1),
                name="review_days_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(rating_days__gte=1),
                name="rating_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        # The zone decides every date of the school: refuse an unknown one on every
        # path (forms validate it too, with a message), never fall back silently.
        validate_time_zone(self.time_zone)
        super().save(*args, **kwargs)
        self._forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._forget_cached()
        return result

    @staticmethod
    def _forget_cached() -> None:
        # Every process caches the row (name, zone); drop it now and again at commit,
        # so no process keeps the old one.
        from django.db import transaction

        from umka.school.selectors import forget_cached_school

        forget_cached_school()
        transaction.on_commit(forget_cached_school)


class AcademicYear(models.Model):
    name = models.CharField(_("name"), max_length=20, unique=True)  # «2026/2027»
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="year_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StudyPeriod(models.Model):
    """A quarter, trimester or half of the academic year."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        TRIMESTER = "trimester", _("Trimester")
        HALF = "half", _("Half-year")

    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("academic year"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("study period")
        verbose_name_plural = _("study periods")
        ordering = ["year", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "number"], name="unique_period_in_year"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display().lower()} {self.year}"


class Holiday(models.Model):
    """Каникулы or a public holiday: no consultations, no working days."""

    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="holidays",
        verbose_name=_("academic year"),
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="holiday_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A class («7А»): grade and letter within one academic year."""

    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="classes",
        verbose_name=_("academic year"),
    )
    grade = models.PositiveSmallIntegerField(_("grade"))
    letter = models.CharField(_("letter"), max_length=2)
    class_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_classes",
        verbose_name=_("class teacher"),
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["year", "grade", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "grade", "letter"], name="unique_class_in_year"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11), name="grade_1_to_11"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}{self.letter}"

    @property
    def name(self) -> str:
        return str(self)


class Enrolment(models.Model):
    """A student's membership in a class over a span of dates (history kept)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("student"),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("class"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["student", "-starts_on"]
        constraints = [
            # A student is in at most one class at a time.
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(ends_on__isnull=True),
                name="one_open_enrolment_per_student",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="enrolment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.school_class}"


class Subject(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramPart(models.Model):
    """A part (раздел / модуль) of a subject's program for one grade (R11)."""

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="program_parts",
        verbose_name=_("subject"),
    )
    grade = models.PositiveSmallIntegerField(_("grade"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("program part")
        verbose_name_plural = _("program parts")
        ordering = ["subject", "grade", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "grade", "number"], name="unique_program_part"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11), name="part_grade_1_to_11"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}, {self.grade}: {self.number}. {self.title}"


class ProgramPartCompletion(models.Model):
    """When a class is planned to finish a program part (R11 needs it)."""

    program_part = models.ForeignKey(
        ProgramPart,
        on_delete=models.CASCADE,
        related_name="completions",
        verbose_name=_("program part"),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        related_name="program_completions",
        verbose_name=_("class"),
    )
    planned_on = models.DateField(_("planned completion date"))

    class Meta:
        verbose_name = _("program part completion date")
        verbose_name_plural = _("program part completion dates")
        ordering = ["planned_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program_part", "school_class"],
                name="unique_part_completion_per_class",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program_part} — {self.school_class}: {self.planned_on}"


class TeachingAssignment(models.Model):
    """Teacher × subject × class, with hours a week (учебная нагрузка)."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="teaching_assignments",
        verbose_name=_("teacher"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="teaching_assignments",
        verbose_name=_("subject"),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        related_name="teaching_assignments",
        verbose_name=_("class"),
    )
    hours_per_week = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1
    )

    class Meta:
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        ordering = ["school_class", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "subject", "school_class"],
                name="unique_teaching_assignment",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0), name="assignment_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.subject}, {self.school_class}"


class Contract(models.Model):
    """Contract terms of a staff member (R7).

    A teacher consults within the hours of the weekly teaching load set aside for
    consultations; a deputy, head of unit or other staff member within their
    working days and hours (WorkingTime rows).
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contract",
        verbose_name=_("person"),
    )
    position = models.CharField(_("position"), max_length=200)
    weekly_load_hours = models.DecimalField(
        _("weekly teaching load, hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    consultation_hours = models.DecimalField(
        _("of it for consultations, hours a week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("contract terms")
        verbose_name_plural = _("contract terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation_hours__isnull=True)
                | Q(weekly_load_hours__isnull=False)
                & Q(consultation_hours__lte=F("weekly_load_hours")),
                name="consultation_hours_within_load",
            ),
            models.CheckConstraint(
                condition=Q(weekly_load_hours__isnull=True)
                | Q(weekly_load_hours__gte=0, weekly_load_hours__lte=60),
                name="weekly_load_sane",
            ),
            models.CheckConstraint(
                condition=Q(consultation_hours__isnull=True)
                | Q(consultation_hours__gte=0),
                name="consultation_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"


class WorkingTime(models.Model):
    """One working day of a staff member's contracted regime (R7)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="working_times",
        verbose_name=_("contract terms"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working time")
        verbose_name_plural = _("working time")
        ordering = ["contract", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "weekday"], name="one_working_time_per_weekday"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="working_time_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekday_0_to_6"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        )
