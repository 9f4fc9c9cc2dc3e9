from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField

from reviews import permissions as perms
from reviews.models.imr import SUBMITTED as IMR_SUBMITTED
from reviews.models.review_states import BEFORE_APPROVAL
from reviews.preconditions import move, precondition


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The recommendations `user` may read across reviews: the queryset twin of can_read_recommendation."""
        if perms.runs_reviews(user):
            return self
        if not perms.sees_all_reviews(user):
            return self.none()
        # Those who see every review read an IMR's recommendations once it is submitted, and the
        # overview report's once the board has approved the report (as the LSCB action plan shows them).
        return self.filter(
            Q(imr__isnull=False, imr__state__in=IMR_SUBMITTED)
            # A withdrawn review counts at the stage it was withdrawn at (Review.stage_reached).
            | (
                Q(imr__isnull=True)
                & ~Q(review__state__in=BEFORE_APPROVAL)
                & ~Q(review__withdrawn_from__in=BEFORE_APPROVAL)
            )
        )


class Recommendation(models.Model):
    """A numbered recommendation of an IMR, or of the overview report when `imr` is empty."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="recommendations")
    imr = models.ForeignKey(
        "reviews.IMR", on_delete=models.CASCADE, related_name="recommendations", null=True, blank=True
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    themes = models.ManyToManyField(
        "reviews.Theme",
        related_name="recommendations",
        blank=True,
        help_text="Set by the QA sub-group and the panel: the themes the board follows across reviews.",
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["imr_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["imr", "number"],
                condition=Q(imr__isnull=False),
                name="recommendation_number_unique_per_imr",
            ),
            models.UniqueConstraint(
                fields=["review", "number"],
                condition=Q(imr__isnull=True),
                name="recommendation_number_unique_per_overview",
            ),
        ]

    def __str__(self):
        return f"Recommendation {self.number}"


class ActionPlan(models.Model):
    """An agency's action plan, or the LSCB's own when `agency` is empty."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="action_plans")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="action_plans", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "agency"],
                condition=Q(agency__isnull=False),
                name="action_plan_once_per_agency",
            ),
            models.UniqueConstraint(
                fields=["review"], condition=Q(agency__isnull=True), name="action_plan_one_lscb_plan"
            ),
        ]

    def __str__(self):
        owner = self.agency or "LSCB"
        return f"{owner} action plan for {self.review}"

    @property
    def is_lscb_plan(self) -> bool:
        return self.agency_id is None


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    VERIFIED = "verified", "Verified by the QA sub-group"


EVIDENCE_MISSING = "Record the evidence that the action is complete."


@precondition
def evidence_recorded(item):
    if not item.evidence.strip():
        yield EVIDENCE_MISSING


class ActionItemQuerySet(models.QuerySet):
    def monitored(self):
        """Actions still to be monitored: not those of a withdrawn review, which are kept but due no more."""
        from reviews.models.review_states import ReviewState

        return self.exclude(plan__review__state=ReviewState.WITHDRAWN)

    def agreed(self):
        """The LSCB's actions, and an agency's once its IMR is submitted: not an IMR's draft plan.

        While an IMR is written its action plan is its author's draft, part of the IMR; those who
        may not read the IMR (the board, the QA sub-group) see its actions from its submission on.
        """
        from reviews.models.imr import IMR, SUBMITTED

        submitted = IMR.objects.filter(
            participation__review_id=models.OuterRef("plan__review_id"),
            participation__agency_id=models.OuterRef("plan__agency_id"),
            state__in=SUBMITTED,
        )
        return self.filter(Q(plan__agency__isnull=True) | models.Exists(submitted))


class ActionItem(ConcurrentTransitionMixin, models.Model):
    """One action of an action plan, with its owner, due date and evidence."""

    State = ActionState
    DONE = (ActionState.COMPLETED, ActionState.VERIFIED)

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="The post or person responsible.")
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="owned_actions",
        null=True,
        blank=True,
        help_text=(
            "The agency that owns an action of the LSCB action plan; empty when the LSCB itself owns it. "
            "An agency's own plan is owned by that agency (the plan's)."
        ),
    )
    success_measure = models.TextField(
        blank=True,
        help_text="How the board will know the action worked: the evidence that it made a difference.",
    )
    due_on = models.DateField(db_index=True)
    evidence = models.TextField(blank=True)
    state = FSMField(
        max_length=20, choices=ActionState.choices, default=ActionState.OPEN, protected=True, db_index=True
    )
    completed_on = models.DateField(null=True, blank=True)
    last_update_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the action last changed: added, moved, its progress or evidence recorded, or monitored.",
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="action_done_has_evidence",
                condition=Q(state__in=["open", "in_progress"])
                | (~Q(evidence="") & Q(completed_on__isnull=False)),
            ),
        ]

    def __str__(self):
        return self.description[:60]

    @move(
        field=state,
        source=ActionState.OPEN,
        target=ActionState.IN_PROGRESS,
        permission=lambda item, user: perms.can_update_action(user, item),
        label="Start the action",
    )
    def start(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ActionState.IN_PROGRESS,
        target=ActionState.COMPLETED,
        conditions=[evidence_recorded],
        permission=lambda item, user: perms.can_update_action(user, item),
        label="Mark the action complete",
    )
    def complete(self, by=None, description=None, on=None):
        self.completed_on = on

    @move(
        field=state,
        source=ActionState.COMPLETED,
        target=ActionState.VERIFIED,
        permission=lambda item, user: perms.can_monitor_actions(user),
        label="Verify the action",
    )
    def verify(self, by=None, description=None):
        pass

    @move(
        field=state,
        # A verified action is reopened too when later evidence shows it did not work.
        source=[ActionState.COMPLETED, ActionState.VERIFIED],
        target=ActionState.IN_PROGRESS,
        permission=lambda item, user: perms.can_monitor_actions(user),
        label="Reopen the action",
        style="secondary",
    )
    def reopen(self, by=None, description=None):
        self.completed_on = None

    @staticmethod
    def get_state_label(state) -> str:
        return ActionState(state).label


class MonitoringNote(models.Model):
    """The QA sub-group's record of monitoring an action."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="monitoring_notes")
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="monitoring_notes"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Monitoring of {self.item} on {self.recorded_at:%d %B %Y}"


class ProgressUpdate(models.Model):
    """The owner's record of how an action is going."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="progress_updates")
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Progress on {self.item} on {self.recorded_at:%d %B %Y}"
