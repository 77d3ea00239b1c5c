"""Every write of learning materials (R2): create, change, publish (now or at a
set time), return to drafts, restore a version, delete. Each checks the policy,
validates before anything is stored, writes in one transaction, keeps a version
and an audit entry, and schedules notices and thumbnails once committed."""

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from umka.audit.services import record
from umka.core import clock, outbox, richtext
from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.materials import audit_actions as actions
from umka.materials import files, policies
from umka.materials.models import (
    Material,
    MaterialClass,
    MaterialFile,
    MaterialText,
    MaterialVersion,
)

Kind = Material.Kind
Audience = Material.Audience

TITLE_MAX = Material._meta.get_field("title").max_length
URL_MAX = Material._meta.get_field("url").max_length
DESCRIPTION_MAX = 2000
NOTE_MAX = MaterialVersion._meta.get_field("note").max_length
#: The fields a person sets (the rest the services keep).
FIELDS = (
    "kind",
    "purpose",
    "audience",
    "title",
    "description",
    "body",
    "url",
    "subject",
    "program_part",
    "consultation",
    "space",
)
#: What a version keeps of a material.
VERSIONED = ("kind", "title", "description", "body", "url", "file")


def deny() -> DomainError:
    return DomainError(_("You may not do this with this material."), code="forbidden")


def when(moment: dt.datetime) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def _too_long(what: str, value: str, limit: int) -> DomainError:
    return DomainError(
        _("%(what)s is too long: %(length)s characters, at most %(limit)s.")
        % {"what": what, "length": len(value), "limit": limit},
        code="too_long",
    )


def _validate_content(material: Material, has_file: bool) -> None:
    material.title = " ".join((material.title or "").split())
    material.description = (material.description or "").strip()
    material.body = (material.body or "").strip()
    material.url = (material.url or "").strip()
    if not material.title:
        raise DomainError(_("Give the material a title."), code="required")
    if len(material.title) > TITLE_MAX:
        raise _too_long(_("The title"), material.title, TITLE_MAX)
    if len(material.description) > DESCRIPTION_MAX:
        raise _too_long(_("The description"), material.description, DESCRIPTION_MAX)
    if material.kind not in Kind.values:
        raise DomainError(_("Choose what kind of material this is."), code="kind")
    if material.kind == Kind.LINK:
        if not material.url:
            raise DomainError(_("Give the link's address."), code="required")
        if len(material.url) > URL_MAX:
            raise _too_long(_("The link"), material.url, URL_MAX)
        try:
            URLValidator(schemes=["http", "https"])(material.url)
        except ValidationError:
            raise DomainError(
                _("The link must be a web address starting with http:// or https://."),
                code="url",
            ) from None
    else:
        material.url = ""
    if material.kind == Kind.PAGE:
        if not material.body:
            raise DomainError(_("Write the page's text."), code="required")
        if len(material.body) > richtext.MAX_CHARS:
            raise _too_long(_("The page's text"), material.body, richtext.MAX_CHARS)
    else:
        material.body = ""
    if material.kind in (Kind.FILE, Kind.VIDEO) and not has_file:
        raise DomainError(_("Choose the file to upload."), code="required")


def _validate_place(
    material: Material,
    classes: list,
    actor,
    added: list,
    before_consultation: int | None = None,
) -> None:
    if material.audience not in Audience.values:
        raise DomainError(_("Choose for whom the material is."), code="audience")
    if material.purpose not in Material.Purpose.values:
        raise DomainError(_("Choose what the material tells."), code="purpose")
    part = material.program_part
    if part is not None:
        if material.subject_id is None:
            material.subject = part.subject
        elif part.subject_id != material.subject_id:
            raise DomainError(
                _("The program part belongs to another subject."), code="program_part"
            )
    space = material.space
    if space is not None:
        if not (spaces.can_teach_in(actor, space) or policies.sees_everything(actor)):
            raise DomainError(
                _("You do not teach in the course space «%(space)s».")
                % {"space": space.title},
                code="space",
            )
        if material.subject_id is None:
            material.subject = space.subject
        elif material.subject_id != space.subject_id:
            raise DomainError(
                _("The course space is of another subject."), code="space"
            )
    consultation = material.consultation
    if (
        consultation is not None
        and material.consultation_id != before_consultation
        and not policies.consultations_to_choose(actor)
        .filter(pk=consultation.pk)
        .exists()
    ):
        raise DomainError(
            _("You may attach materials only to consultations you organise."),
            code="consultation",
        )
    if material.audience == Audience.STAFF:
        if space is not None:
            raise DomainError(
                _("A course space's materials are for its students and parents."),
                code="audience",
            )
        return
    if not classes and space is None:
        raise DomainError(
            _("Choose the classes (or the course space) the material is for."),
            code="classes",
        )
    if added:
        allowed = set(
            policies.classes_to_choose(actor)
            .filter(pk__in=[c.pk for c in added])
            .values_list("pk", flat=True)
        )
        refused = [str(c) for c in added if c.pk not in allowed]
        if refused:
            raise DomainError(
                _("You do not teach in these classes: %(classes)s.")
                % {"classes": ", ".join(refused)},
                code="classes",
            )


def _search_text(material: Material) -> str:
    parts = [material.description]
    if material.kind == Kind.PAGE:
        parts.append(richtext.plain(material.body))
    if material.kind == Kind.LINK:
        parts.append(material.url)
    if material.file_id is not None:
        parts.append(material.file.text)
    return "\n".join(part for part in parts if part)


def _index(material: Material) -> None:
    MaterialText.objects.update_or_create(
        material=material,
        defaults={"title": material.title, "body": _search_text(material)},
    )


def _keep_version(material: Material, actor, note: str) -> MaterialVersion:
    return MaterialVersion.objects.create(
        material=material,
        number=material.version,
        changed_by=actor,
        changed_at=clock.now(),
        note=note[:NOTE_MAX],
        **{name: getattr(material, name) for name in VERSIONED},
    )


def _set_classes(material: Material, classes: list) -> None:
    MaterialClass.objects.filter(material=material).exclude(
        school_class__in=classes
    ).delete()
    have = set(
        MaterialClass.objects.filter(material=material).values_list(
            "school_class_id", flat=True
        )
    )
    MaterialClass.objects.bulk_create(
        MaterialClass(material=material, school_class=c)
        for c in classes
        if c.pk not in have
    )


def _after_publication(material: Material) -> None:
    from umka.materials import tasks

    if material.publish_at is not None and material.publish_at <= clock.now():
        transaction.on_commit(
            partial(outbox.enqueue, tasks.material_notify, material.pk), robust=True
        )


def _thumbnail_later(stored: MaterialFile | None) -> None:
    from umka.materials import tasks

    if stored is not None and stored.extension == "pdf":
        transaction.on_commit(
            partial(outbox.enqueue, tasks.file_thumbnail, stored.pk), robust=True
        )


def _write(fn):
    """Run `fn` (which may store an upload) in one transaction; a stored file
    whose rows roll back is removed, so nothing is half-stored."""
    stored_names: list[str] = []
    try:
        with transaction.atomic():
            return fn(stored_names)
    except BaseException:
        files.remove_from_storage(stored_names)
        raise


def material_create(
    *,
    actor,
    kind: str,
    title: str,
    audience: str = Audience.CLASSES,
    purpose: str = Material.Purpose.LEARNING,
    classes=(),
    description: str = "",
    body: str = "",
    url: str = "",
    upload=None,
    subject=None,
    program_part=None,
    consultation=None,
    space=None,
    publish_at: dt.datetime | None = None,
    request=None,
) -> Material:
    """A new material (R2): a draft, published now, or scheduled (`publish_at`)."""
    if not policies.can_create(actor):
        raise deny()
    classes = list(classes)
    material = Material(
        kind=kind,
        purpose=purpose,
        audience=audience,
        title=title,
        description=description,
        body=body,
        url=url,
        subject=subject,
        program_part=program_part,
        consultation=consultation,
        space=space,
        author=actor,
        publish_at=publish_at,
    )
    _validate_content(material, has_file=upload is not None)
    _validate_place(material, classes, actor, added=classes)
    if material.audience == Audience.STAFF:
        classes = []
    checked = (
        files.check(upload, kind=kind) if kind in (Kind.FILE, Kind.VIDEO) else None
    )

    def write(stored_names):
        if checked is not None:
            material.file = files.store(checked, actor=actor)
            stored_names.append(material.file.file.name)
        material.updated_at = clock.now()
        material.save()
        _set_classes(material, classes)
        _keep_version(material, actor, _("Created"))
        _index(material)
        record(
            actor=actor,
            action=actions.CREATED,
            target=material,
            changes={
                "kind": material.get_kind_display(),
                "audience": material.get_audience_display(),
                "classes": ", ".join(str(c) for c in classes),
                "publish_at": when(publish_at) if publish_at else None,
            },
            request=request,
        )
        _thumbnail_later(material.file)
        _after_publication(material)
        return material

    return _write(write)


def material_update(
    *,
    actor,
    material: Material,
    classes=None,
    upload=None,
    note: str = "",
    request=None,
    **values,
) -> Material:
    """Change a material; a new version keeps what it became (who, when, what)."""
    if not policies.can_edit(actor, material):
        raise deny()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"material_update: unknown fields {sorted(unknown)}")
    before = Material.objects.get(pk=material.pk)
    old_classes = list(material.classes.all())
    for name, value in values.items():
        setattr(material, name, value)
    if material.kind not in (Kind.FILE, Kind.VIDEO):
        material.file = None
    elif before.kind != material.kind and upload is None:
        # A file does not become a video (or back) without a new upload.
        material.file = None
    classes = old_classes if classes is None else list(classes)
    _validate_content(
        material, has_file=upload is not None or material.file_id is not None
    )
    added = [c for c in classes if c.pk not in {o.pk for o in old_classes}]
    _validate_place(
        material,
        classes,
        actor,
        added=added,
        before_consultation=before.consultation_id,
    )
    if material.audience == Audience.STAFF:
        classes = []
    checked = files.check(upload, kind=material.kind) if upload is not None else None

    def write(stored_names):
        locked = Material.objects.select_for_update().get(pk=material.pk)
        if checked is not None:
            material.file = files.store(checked, actor=actor)
            stored_names.append(material.file.file.name)
        material.version = locked.version + 1
        material.updated_at = clock.now()
        material.publish_at, material.notified_at = (
            locked.publish_at,
            locked.notified_at,
        )
        material.save()
        _set_classes(material, classes)
        fields = [Material._meta.get_field(name) for name in (*FIELDS, "file")]
        changed = [
            str(f.verbose_name)
            for f in fields
            if getattr(before, f.attname) != getattr(material, f.attname)
        ]
        if {c.pk for c in classes} != {c.pk for c in old_classes}:
            changed.append(str(Material._meta.get_field("classes").verbose_name))
        summary = note.strip() or ", ".join(changed) or _("Saved without changes")
        _keep_version(material, actor, summary)
        _index(material)
        record(
            actor=actor,
            action=actions.CHANGED,
            target=material,
            changes={"version": material.version, "changed": summary},
            request=request,
        )
        _thumbnail_later(material.file if checked is not None else None)
        return material

    return _write(write)


def material_publish(
    *, actor, material: Material, at: dt.datetime | None = None, request=None
) -> Material:
    """Publish now (`at` None or past) or schedule for `at`; the audience is told
    once it is published (`tasks.materials_publish_due` for a scheduled one)."""
    if not policies.can_edit(actor, material):
        raise deny()
    now = clock.now()
    at = at or now
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        if locked.is_published(now):
            raise DomainError(_("The material is already published."), code="state")
        locked.publish_at = at
        locked.notified_at = None
        locked.save(update_fields=["publish_at", "notified_at"])
        record(
            actor=actor,
            action=actions.PUBLISHED if at <= now else actions.SCHEDULED,
            target=locked,
            changes={"publish_at": when(at)},
            request=request,
        )
        _after_publication(locked)
    material.publish_at, material.notified_at = locked.publish_at, None
    return material


def material_withdraw(*, actor, material: Material, request=None) -> Material:
    """Back to drafts: nobody but its editors sees it until published again."""
    if not policies.can_edit(actor, material):
        raise deny()
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        if locked.publish_at is None:
            raise DomainError(_("The material is a draft already."), code="state")
        before = locked.publish_at
        locked.publish_at = locked.notified_at = None
        locked.save(update_fields=["publish_at", "notified_at"])
        record(
            actor=actor,
            action=actions.WITHDRAWN,
            target=locked,
            changes={"publish_at": [when(before), None]},
            request=request,
        )
    material.publish_at = material.notified_at = None
    return material


def material_restore(
    *, actor, material: Material, version: MaterialVersion, request=None
) -> Material:
    """Make an earlier version current again, as a new version (nothing lost)."""
    if not policies.can_edit(actor, material) or version.material_id != material.pk:
        raise deny()
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        for name in VERSIONED:
            setattr(locked, name, getattr(version, name))
        locked.version += 1
        locked.updated_at = clock.now()
        locked.save()
        _keep_version(
            locked,
            actor,
            _("Restored version %(number)s") % {"number": version.number},
        )
        _index(locked)
        record(
            actor=actor,
            action=actions.RESTORED,
            target=locked,
            changes={"version": locked.version, "from": version.number},
            request=request,
        )
    return locked


def material_delete(*, actor, material: Material, request=None) -> None:
    """Delete a material, its versions and openings; its files once nothing else
    refers to them."""
    if not policies.can_edit(actor, material):
        raise deny()
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        used = list(
            MaterialFile.objects.filter(
                pk__in=[
                    *locked.versions.exclude(file=None).values_list("file", flat=True),
                    *([locked.file_id] if locked.file_id else []),
                ]
            )
        )
        record(
            actor=actor,
            action=actions.DELETED,
            target=locked,
            changes={"title": locked.title, "versions": locked.version},
            request=request,
        )
        locked.delete()
        names = files.drop_unused(used)
        transaction.on_commit(partial(files.remove_from_storage, names))
