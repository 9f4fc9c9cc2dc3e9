from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationKind(models.TextChoices):
    REFERRAL_TO_PANEL = "referral", "1. Referral will go to the panel"
    TERMS_OF_REFERENCE = "tor", "2. Terms of reference agreed"
    REPORT_COMPLETE = "report", "3. Report complete"


class ExternalBody(models.Model):
    """A body the board notifies (Ofsted, a national panel…): data, not code."""

    name = models.CharField(max_length=200, unique=True)
    email = models.EmailField(
        blank=True,
        help_text="Notifications go to this address by e-mail. Leave it empty for a body reached some other way "
        "(a secure portal): the business manager then records when each notification was sent.",
    )
    is_active = models.BooleanField(default=True)
    receives_referral_notices = models.BooleanField("Receives notification 1", default=True)
    receives_terms_of_reference = models.BooleanField("Receives notification 2", default=True)
    receives_reports = models.BooleanField("Receives notification 3", default=True)
    grades_reports = models.BooleanField(
        default=False, help_text="Receives the report to grade it, rather than for information."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "external bodies"

    def __str__(self):
        return self.name


class Notification(models.Model):
    """A notification to an external body, queued for the business manager to send."""

    Kind = NotificationKind

    class Status(models.TextChoices):
        QUEUED = "queued", "Due to be sent"
        SENT = "sent", "Sent"

    referral = models.ForeignKey("reviews.Referral", on_delete=models.PROTECT, related_name="notifications")
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="notifications", null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    body = models.ForeignKey(ExternalBody, on_delete=models.PROTECT, related_name="notifications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications_sent",
        null=True,
        blank=True,
    )
    sent_by_email = models.BooleanField(default=False, help_text="Set when its e-mail left the product.")
    attachment = models.ForeignKey(
        "reviews.DocumentVersion",
        on_delete=models.PROTECT,
        related_name="notifications",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "kind", "body"], name="notification_once_per_body"),
            models.CheckConstraint(
                name="notification_sent_has_sender",
                # Marked by hand: who and when; sent by e-mail: when (its outbox message says the rest).
                condition=Q(status="queued")
                | Q(sent_at__isnull=False, sent_by__isnull=False)
                | Q(sent_at__isnull=False, sent_by_email=True),
            ),
            models.CheckConstraint(
                name="notification_review_kinds_have_review",
                condition=Q(kind="referral") | Q(review__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.body}"
