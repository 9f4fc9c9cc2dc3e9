"""The board's decisions on the overview report, its sharing, and the public executive summary."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class BoardDecision(models.Model):
    """The strategic leadership board's approval or return of the overview report."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned to the overview author"

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="board_decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_decisions"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="board_return_needs_reason", condition=Q(outcome="approved") | ~Q(note="")
            ),
        ]

    def __str__(self):
        return f"{self.review}: {self.get_outcome_display()}"


class OverviewShare(models.Model):
    """The panel's decision to share the confidential overview report with a named manager."""

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="overview_shares")
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="overview_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="overview_shares_made"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the panel revokes the share; the row stays on record."
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="overview_shares_revoked",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["shared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "shared_with"],
                condition=Q(revoked_at__isnull=True),
                name="overview_share_once",
            ),
            models.CheckConstraint(
                name="overview_share_revoked_by_someone",
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.review}: overview report shared with {self.shared_with}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ExecutiveSummaryQuerySet(models.QuerySet):
    def published(self, *, on):
        """Summaries on the public page on the day `on`: inside their window, first and last days included."""
        return self.filter(publish_from__lte=on).filter(
            Q(publish_until__isnull=True) | Q(publish_until__gte=on)
        )


class ExecutiveSummary(models.Model):
    """The anonymised public summary and its publication window."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.PROTECT, related_name="executive_summary"
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the public page names the review, e.g. “Child D”; checked for real names as the text is.",
    )
    text = models.TextField()
    publish_from = models.DateField(null=True, blank=True)
    publish_until = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="summaries_published",
        null=True,
        blank=True,
    )
    sent_to_staff_on = models.DateField(null=True, blank=True)

    objects = ExecutiveSummaryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "executive summaries"
        constraints = [
            models.CheckConstraint(
                name="summary_window_in_order",
                condition=Q(publish_until__isnull=True)
                | Q(publish_from__isnull=False, publish_until__gt=F("publish_from")),
            ),
        ]

    def __str__(self):
        return f"Executive summary of {self.review}"

    @property
    def public_title(self) -> str:
        return self.title or self.review.get_review_type_display()

    @property
    def is_published(self) -> bool:
        return self.publish_from is not None


class SummaryRecipient(models.Model):
    """A member of staff involved who is due a copy of the published executive summary (guide §9.2)."""

    class Status(models.TextChoices):
        DUE = "due", "Due to be sent"
        SENT = "sent", "Sent"

    summary = models.ForeignKey(ExecutiveSummary, on_delete=models.PROTECT, related_name="recipients")
    staff = models.ForeignKey(
        "reviews.InvolvedStaff", on_delete=models.PROTECT, related_name="summary_copies"
    )
    email = models.EmailField(help_text="The address when the summary was published.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE, db_index=True)
    due_since = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "staff"], name="summary_recipient_once"),
            models.CheckConstraint(
                name="summary_recipient_sent_has_date", condition=Q(status="due") | Q(sent_on__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.summary} to {self.staff}"
