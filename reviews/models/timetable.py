"""A review's timetable: the milestones computed at the decision, and the extensions agreed since."""

from django.conf import settings
from django.db import models
from django.db.models import Case, DateField, F, OuterRef, Q, Subquery, When


class Milestone(models.Model):
    """A dated step of a review's timetable, computed from the decision date and stored."""

    class Kind(models.TextChoices):
        TOR_AGREED = "tor_agreed", "Terms of reference agreed"
        AUTHORS_NOMINATED = "authors_nominated", "IMR authors nominated, files secured"
        IMRS_SUBMITTED = "imrs_submitted", "IMRs submitted"
        OVERVIEW_TO_BOARD = "overview_to_board", "Overview report to the board"
        REVIEW_COMPLETE = "review_complete", "Review complete"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    due_on = models.DateField(db_index=True)
    done_on = models.DateField(null=True, blank=True, help_text="Set when the step is done.")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="milestone_once_per_review"),
        ]

    def __str__(self):
        return f"{self.review}: {self.get_kind_display()} by {self.due_on}"


def next_undone_due():
    """The due date of a review's first milestone not yet done, as a subquery on the outer review.

    The completion milestone's date in force is the review's current due date: it moves with
    every extension, the others keep theirs. None when every milestone is done.
    """
    effective_due = Case(
        When(kind=Milestone.Kind.REVIEW_COMPLETE, then=OuterRef("current_due_date")),
        default=F("due_on"),
        output_field=DateField(),
    )
    undone = (
        Milestone.objects.filter(review=OuterRef("pk"), done_on__isnull=True)
        .annotate(effective_due=effective_due)
        .order_by("effective_due", "pk")
        .values("effective_due")[:1]
    )
    return Subquery(undone, output_field=DateField())


class Extension(models.Model):
    """An agreed extension of a review's due date; the earlier dates stay on record."""

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="extensions")
    previous_due_date = models.DateField()
    new_due_date = models.DateField()
    reason = models.TextField()
    agreed_by = models.CharField(max_length=200, help_text="Who agreed the extension, and their role.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="extensions_recorded"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="extension_moves_date_later",
                condition=Q(new_due_date__gt=F("previous_due_date")),
            ),
            models.CheckConstraint(name="extension_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"{self.review}: extended to {self.new_due_date}"
