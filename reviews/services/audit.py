"""Rows of the audit log that no other service writes: views of confidential material and denied access."""

from reviews.models import AuditEvent
from reviews.services.common import audit_record


def confidential_view_record(*, actor, obj, review, summary: str, downloaded: bool = False) -> AuditEvent:
    """Record that `actor` viewed (or downloaded) confidential material: an IMR, a report, the identity register."""
    action = AuditEvent.Action.DOWNLOADED if downloaded else AuditEvent.Action.VIEWED
    return audit_record(actor=actor, action=action, obj=obj, review=review, summary=summary)


def access_denied_record(*, actor, obj, review, summary: str) -> AuditEvent:
    """Record an attempt to reach something of a review without a grant (answered with a 404)."""
    return audit_record(actor=actor, action=AuditEvent.Action.DENIED, obj=obj, review=review, summary=summary)
