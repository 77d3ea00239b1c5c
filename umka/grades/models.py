"""Current grades (текущие отметки) from the electronic journal or entered by hand
(R9: the teacher sets consultation topics from their analysis). The uploads that
brought them are jobs of the import engine (umka.imports, kind «grades»)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The five-point scale as journals use it for current grades.
LOWEST_GRADE, HIGHEST_GRADE = 2, 5


class Grade(models.Model):
    """One cell of the journal: a student, a subject, a day, a topic and a kind of
    work — and in it a mark (2–5), an absence («н») or a pass/fail result.

    `topic_key` is the topic in its comparison form (topics.normalise_topic): the
    analysis groups by it, and with the student, subject, date and kind of work it
    identifies the entry, so importing the same file again changes nothing. Only
    marks have a value and count in averages.
    """

    class Kind(models.TextChoices):
        MARK = "mark", pgettext_lazy("journal entry", "Mark")
        ABSENT = "absent", pgettext_lazy("journal entry", "Absent")
        PASS = "pass", pgettext_lazy("journal entry", "Pass")
        FAIL = "fail", pgettext_lazy("journal entry", "Fail")

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported from the journal")
        MANUAL = "manual", _("Entered by hand")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("student"),
    )
    school_class = models.ForeignKey(
        "school.SchoolClass",
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("class"),
    )
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("subject"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind of entry"), max_length=8, choices=Kind.choices, default=Kind.MARK
    )
    value = models.PositiveSmallIntegerField(
        pgettext_lazy("school mark", "grade"), null=True, blank=True
    )
    #: A signed or double mark as the journal wrote it («5-», «5/4»); `value` is
    #: what it counts as (School.signed_marks, School.double_marks).
    written = models.CharField(
        _("as written in the journal"), max_length=16, blank=True
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    topic_key = models.CharField(_("topic (comparison form)"), max_length=300)
    work_type = models.CharField(_("kind of work"), max_length=100, blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.MANUAL
    )
    import_job = models.ForeignKey(
        "imports.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grades",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("school mark", "grade")
        verbose_name_plural = pgettext_lazy("school marks", "grades")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="mark", value__gte=LOWEST_GRADE, value__lte=HIGHEST_GRADE
                )
                | Q(kind__in=["absent", "pass", "fail"], value__isnull=True),
                name="grade_value_only_for_a_mark_2_to_5",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["import", "manual"]),
                name="grade_source_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(topic_key="") | ~Q(work_type=""),
                name="grade_names_topic_or_work",
            ),
            models.UniqueConstraint(
                fields=["student", "subject", "date", "topic_key", "work_type"],
                name="unique_grade_per_work",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school_class", "subject", "date"], name="grade_class_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.subject}, {self.date:%d.%m.%Y}: {self.shown}"

    @property
    def is_mark(self) -> bool:
        return self.kind == self.Kind.MARK

    @property
    def shown(self) -> str:
        """As a journal shows it: «5», «5-», «5/4», «н», «зач», «незач»."""
        return mark_text(self.kind, self.value, self.written)


def mark_code(kind: str, value: int | None, written: str = "") -> str:
    """A journal entry in one language-neutral word, for stored before/after:
    «5», «5-», «5/4», or the kind («absent», «pass», «fail»)."""
    if kind == Grade.Kind.MARK:
        return written or str(value)
    return kind


#: How a journal writes an entry that is not a mark (Russian school usage:
#: «н», «зач», «незач»; translated for an English page).
SHORT_FORMS = {
    Grade.Kind.ABSENT: pgettext_lazy(
        "absent from the lesson, as a journal writes it", "abs"
    ),
    Grade.Kind.PASS: pgettext_lazy("pass, as a journal writes it", "pass"),
    Grade.Kind.FAIL: pgettext_lazy("fail, as a journal writes it", "fail"),
}


def mark_text(kind: str, value: int | None, written: str = "") -> str:
    """A journal entry as the journal writes it: «5», «5-», «5/4», «н», «зач»."""
    if kind in SHORT_FORMS:
        return str(SHORT_FORMS[kind])
    return written or str(value)
