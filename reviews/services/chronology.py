"""The agency's chronology on the standard template."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import transaction

from reviews import permissions as perms
from reviews.models import IMR, AuditEvent, ChronologyEntry
from reviews.services.common import ActionNotAllowed, audit_record


def writable_imr(actor, imr: IMR) -> IMR:
    """Lock and return the IMR if `actor` may write it now."""
    imr = (
        IMR.objects.select_for_update(of=("self",))
        .select_related("participation__review", "participation__agency")
        .get(pk=imr.pk)
    )
    if not perms.can_write_imr(actor, imr):
        if imr.author_id == actor.pk and not imr.is_editable:
            raise ActionNotAllowed("The IMR has been submitted and can no longer be changed.")
        raise PermissionDenied("Only the IMR's author writes it.")
    return imr


@transaction.atomic
def chronology_entry_add(*, actor, imr: IMR, **fields) -> ChronologyEntry:
    """Add one row to the IMR's chronology."""
    imr = writable_imr(actor, imr)
    entry = ChronologyEntry(imr=imr, **fields)
    try:
        entry.full_clean()
    except ModelValidationError as invalid:
        raise ActionNotAllowed(invalid.message_dict) from None
    entry.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=entry,
        review=imr.participation.review,
        summary=f"Chronology entry of {entry.date:%-d %B %Y} added to {imr}",
    )
    return entry
