"""Every e-mail the product sends: first a row here, written with its cause, then delivered by a task."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class OutboxQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=OutboxMessage.Status.FAILED)


class OutboxMessage(models.Model):
    """One e-mail: rendered when queued, delivered once, its attempts and last error kept."""

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", "Notification to an external body"
        REMINDER = "reminder", "Reminder"
        STAFF_COPY = "staff_copy", "Copy to staff"
        ACTION_NEWS = "action_news", "News of an action to its owners"
        REVIEW_NEWS = "review_news", "News of a review to those taking part"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    template = models.CharField(
        max_length=60, help_text="The name under templates/emails/ it was rendered from."
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="messages", null=True, blank=True
    )
    notification = models.OneToOneField(
        "reviews.Notification", on_delete=models.PROTECT, related_name="message", null=True, blank=True
    )
    to = models.JSONField(default=list, help_text="The addresses it goes to.")
    cc = models.JSONField(default=list, blank=True, help_text="The addresses copied.")
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachment = models.ForeignKey(
        "reviews.DocumentVersion",
        on_delete=models.PROTECT,
        related_name="messages",
        null=True,
        blank=True,
        help_text="The stored document sent with it; a notification waits for its own before it goes.",
    )
    attachment_required = models.BooleanField(default=False)
    action = models.ForeignKey(
        "reviews.ActionItem",
        on_delete=models.PROTECT,
        related_name="messages",
        null=True,
        blank=True,
        help_text="The action a reminder is about.",
    )
    summary_recipient = models.ForeignKey(
        "reviews.SummaryRecipient",
        on_delete=models.PROTECT,
        related_name="messages",
        null=True,
        blank=True,
        help_text="The member of staff whose copy of the executive summary this is.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    idempotency_key = models.CharField(
        max_length=200, unique=True, help_text="What the message is about; the same key is never sent twice."
    )
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="messages_queued",
        null=True,
        blank=True,
    )
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Set when the mail server accepted it.")

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [
            models.Index(fields=["review", "-queued_at"], name="outbox_review_queued"),
            models.Index(fields=["action", "-sent_at"], name="outbox_action_sent"),
        ]
        constraints = [
            models.CheckConstraint(
                name="outbox_sent_has_time", condition=~Q(status="sent") | Q(sent_at__isnull=False)
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def waiting_for_attachment(self) -> bool:
        return self.attachment_required and self.attachment_id is None
