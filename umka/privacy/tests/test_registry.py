"""Every model that holds a user is declared as personal data (or explicitly not),
so the export and the anonymisation miss nothing a new app adds."""

from django.apps import apps
from django.contrib.auth import get_user_model

from umka.privacy import registry


def _models_holding_a_user() -> set[str]:
    user = get_user_model()
    found = set()
    for model in apps.get_models(include_auto_created=False):
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and (field.concrete or field.many_to_many)
                and field.related_model is user
                and not field.auto_created
            ):
                found.add(model._meta.label)
    return found


def test_every_model_with_a_user_is_declared():
    declared = registry.declared_labels() | set(registry.not_personal_labels())
    missing = sorted(_models_holding_a_user() - declared)
    assert not missing, (
        f"Declare these in their app's personal_data.py (registry.declare or "
        f"registry.not_personal with a reason): {missing}"
    )


def test_declared_people_fields_lead_to_the_user_model():
    user = get_user_model()
    for declaration in registry.declarations():
        for path in declaration.people:
            model = declaration.model
            for name in path.split("__"):
                model = model._meta.get_field(name).related_model
            assert model is user, (declaration.label, path)


def test_a_model_with_a_user_field_is_caught():
    """The completeness check sees a model's user FK (it can fail)."""
    assert "bookings.Booking" in _models_holding_a_user()
    assert "accounts.User" not in _models_holding_a_user()


def test_every_retention_kind_has_a_setting(settings):
    kinds = {r.kind: r.setting for r in registry.retentions()}
    assert set(kinds) == {"chat", "request_attachments", "audit"}
    for setting in kinds.values():
        assert isinstance(getattr(settings, setting), int)
