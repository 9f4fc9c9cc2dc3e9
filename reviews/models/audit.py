from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did what to which record, and when: decisions, assignments and every view of confidential material."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        DOWNLOADED = "downloaded", "Downloaded"
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        CORRECTED = "corrected", "Corrected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DELETED = "deleted", "Deleted"
        DECIDED = "decided", "Decided"
        MOVED = "moved", "Moved to another stage"
        ASSIGNED = "assigned", "Assigned"
        GRANTED = "granted", "Access granted"
        REVOKED = "revoked", "Access revoked"
        SIGNED = "signed", "Signed"
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Sending failed"
        UNDONE = "undone", "Undone"
        REFUSED = "refused", "Refused"
        DENIED = "denied", "Access denied"
        REQUESTED = "requested", "Asked for a PDF"
        PREPARED = "prepared", "PDF prepared"
        # Signing in (docs/security.md): not tied to a review.
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        LOCKOUT_CLEARED = "lockout_cleared", "Lockout cleared"
        CODE_ACCEPTED = "code_accepted", "Two-factor code accepted"
        CODE_REFUSED = "code_refused", "Two-factor code refused"
        DEVICE_ADDED = "device_added", "Two-factor sign-in set up"
        DEVICE_REMOVED = "device_removed", "Two-factor sign-in removed"

    # Looks at the record (a PDF of it asked for and prepared too), and attempts refused: in the
    # log, but no activity on the review.
    LOOKS = (
        Action.VIEWED,
        Action.DOWNLOADED,
        Action.REFUSED,
        Action.DENIED,
        Action.REQUESTED,
        Action.PREPARED,
    )

    # Signing in and out, and the tries refused: in the log, but no change to any record.
    SIGNING_IN = (
        Action.SIGNED_IN,
        Action.SIGNED_OUT,
        Action.SIGN_IN_FAILED,
        Action.LOCKED_OUT,
        Action.CODE_ACCEPTED,
        Action.CODE_REFUSED,
    )

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events", null=True
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="audit_events", null=True, blank=True
    )
    object_type = models.CharField(max_length=100, help_text="The model of the record, e.g. reviews.imr.")
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300)
    address = models.GenericIPAddressField(
        null=True,
        blank=True,
        help_text="The network address a sign-in came from, or whose lockout was cleared; blank otherwise.",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["review", "-at"], name="audit_review_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"
