"""What every service shares: the refusal it raises, the transition runner and the audit row."""

from django.core.exceptions import PermissionDenied, ValidationError

from reviews.models import AuditEvent
from reviews.preconditions import unmet_preconditions


class ActionNotAllowed(ValidationError):
    """A move or change the rules forbid now; `messages` say why, as a person can act on them."""

    @property
    def reasons(self) -> list[str]:
        return self.messages


def audit_record(*, actor, action: str, obj, summary: str, review=None) -> AuditEvent:
    """Write one row of the audit log."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        review=review,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:300],
    )


def run_transition(obj, name: str, *, actor, note: str = "", **kwargs):
    """Check permission and preconditions, make the move, save; the transition log row is written by django-fsm-log."""
    method = getattr(obj, name)
    meta = method._django_fsm
    transition = meta.get_transition(meta.field.get_state(obj))
    if transition is not None and not transition.has_perm(obj, actor):
        raise PermissionDenied(f"{actor} may not {transition.custom.get('label', name).lower()}.")
    reasons = unmet_preconditions(method)
    if reasons:
        raise ActionNotAllowed(reasons)
    method(by=actor, description=note or None, **kwargs)
    obj.save()
    return obj
