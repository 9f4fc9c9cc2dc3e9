from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django_fsm import ConcurrentTransitionMixin, FSMField

from reviews import permissions as perms
from reviews.models.participation import AgencyParticipation
from reviews.models.review_guards import (
    agencies_ready,
    imrs_all_submitted,
    is_serious_case_review,
    lscb_action_plan_ready,
    ofsted_done_if_scr,
    ofsted_pack_prepared,
    overview_author_commissioned,
    overview_report_ready,
    ready_to_close,
    terms_of_reference_complete,
    terms_of_reference_shared,
)
from reviews.models.review_states import (
    AWAITING_AGENCIES,
    BEFORE_BOARD,
    OPEN,
    SCR_ONLY,
    TERMINAL,
    ReviewState,
    ReviewType,
)
from reviews.models.timetable import next_undone_due
from reviews.preconditions import move

__all__ = ["AWAITING_AGENCIES", "OPEN", "TERMINAL", "Review", "ReviewQuerySet", "ReviewState", "ReviewType"]


class ReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN)

    def ended(self):
        """Closed or withdrawn: nothing more is due of them."""
        return self.filter(state__in=TERMINAL)

    def closed(self):
        """Completed reviews: a withdrawn review never counts as one."""
        return self.filter(state=ReviewState.CLOSED)

    def withdrawn(self):
        return self.filter(state=ReviewState.WITHDRAWN)

    def overdue(self, *, on):
        return self.open().filter(current_due_date__lt=on)

    def refresh_last_activity(self) -> int:
        """Store each review's last change from its audit rows (the services keep it as they write them)."""
        from reviews.models.audit import AuditEvent

        changes = (
            AuditEvent.objects.filter(review=OuterRef("pk"))
            .exclude(action__in=AuditEvent.LOOKS)
            .order_by("-at")
            .values("at")[:1]
        )
        return self.update(
            last_activity_at=Coalesce(Subquery(changes, output_field=models.DateTimeField()), F("updated_at"))
        )

    def refresh_next_due(self) -> int:
        """Store each review's next undone milestone date: after any change to its milestones or due date."""
        return self.update(next_due_on=next_undone_due())

    def for_agency(self, agency):
        return self.filter(participations__agency=agency).distinct()

    def visible_to(self, user):
        """Reviews whose summary `user` may see (access.md): the queryset twin of can_view_review."""
        from django.contrib.contenttypes.models import ContentType
        from guardian.models import UserObjectPermission

        from agencies.roles import SEES_ALL_REVIEWS, Role

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(*SEES_ALL_REVIEWS):
            return self
        visible = Q(pk__in=[])
        if user.has_role(Role.OVERVIEW_AUTHOR):
            visible |= Q(overview_author=user)
        if user.has_role(Role.AGENCY_SENIOR_MANAGER) and user.agency_id:
            taking_part = AgencyParticipation.objects.filter(agency_id=user.agency_id)
            visible |= Q(pk__in=taking_part.values("review_id"))
        if user.has_role(Role.IMR_AUTHOR):
            # The author's own grants (the services grant users, never groups), read as integers so
            # that the database matches them against the reviews' primary key index.
            granted = (
                UserObjectPermission.objects.filter(
                    user=user,
                    permission__codename=perms.VIEW_REVIEW.split(".")[1],
                    content_type=ContentType.objects.get_for_model(Review),
                )
                .annotate(review_pk=Cast("object_pk", models.BigIntegerField()))
                .values("review_pk")
            )
            visible |= Q(pk__in=granted)
        # Subqueries rather than joins: one row per review, so no DISTINCT to fight the list's sorts.
        return self.filter(visible)


class Review(ConcurrentTransitionMixin, models.Model):
    """One review of a referred case, from the panel's decision to its close."""

    Type = ReviewType
    State = ReviewState
    BEFORE_BOARD = BEFORE_BOARD

    reference = models.CharField(max_length=20, unique=True)
    referral = models.OneToOneField("reviews.Referral", on_delete=models.PROTECT, related_name="review")
    review_type = models.CharField(max_length=20, choices=ReviewType.choices)
    state = FSMField(
        max_length=30,
        choices=ReviewState.choices,
        default=ReviewState.TOR_DRAFTING,
        protected=True,
        db_index=True,
    )
    decision_date = models.DateField(help_text="The panel's decision: the four-month clock starts here.")
    due_date = models.DateField(help_text="The original due date; never changed, even by an extension.")
    current_due_date = models.DateField(
        db_index=True, help_text="The due date in force: the original or the latest extension's."
    )
    last_activity_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=(
            "When the review last changed: its latest audit row that is not a look or a refusal, "
            "stored by audit_record as it writes the row."
        ),
    )
    next_due_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=(
            "The due date of the first milestone not yet done, none when all are: kept by the services "
            "that change milestones or the due date (ReviewQuerySet.refresh_next_due), so that lists "
            "sort and filter by it without reading every review's milestones."
        ),
    )
    withdrawn_from = models.CharField(
        max_length=30,
        blank=True,
        editable=False,
        choices=ReviewState.choices,
        help_text=(
            "The stage the review was at when the panel chair withdrew it; empty unless withdrawn. "
            "Who may read what of a withdrawn review is decided by the stage it had reached."
        ),
    )
    police_investigation_open = models.BooleanField(default=False)
    overview_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="overview_reviews",
        null=True,
        blank=True,
    )
    overview_declaration_signed_at = models.DateTimeField(null=True, blank=True)
    ofsted_grade = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("outstanding", "Outstanding"),
            ("good", "Good"),
            ("adequate", "Adequate"),
            ("inadequate", "Inadequate"),
        ],
        help_text="Serious case reviews only.",
    )
    ofsted_feedback = models.TextField(blank=True)
    ofsted_graded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="review_due_not_before_decision", condition=Q(due_date__gt=F("decision_date"))
            ),
            models.CheckConstraint(
                name="review_extension_never_shortens",
                condition=Q(current_due_date__gte=F("due_date")),
            ),
            models.CheckConstraint(
                name="review_ofsted_only_for_scr",
                condition=Q(review_type="scr") | (Q(ofsted_grade="") & ~Q(state="with_ofsted")),
            ),
        ]

    def __str__(self):
        return self.reference

    # Transitions: bodies only set fields on self; services call them.

    @move(
        field=state,
        source=ReviewState.TOR_DRAFTING,
        target=ReviewState.TOR_AGREED,
        conditions=[terms_of_reference_complete],
        permission=lambda review, user: perms.can_write_tor(user, review),
        label="Agree and share the terms of reference",
    )
    def agree_terms_of_reference(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.TOR_AGREED,
        target=ReviewState.AGENCIES_ENGAGED,
        conditions=[terms_of_reference_shared],
        permission=lambda review, user: perms.can_manage_review(user, review),
        label="Ask the agencies to secure files and nominate IMR authors",
    )
    def engage_agencies(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.AGENCIES_ENGAGED,
        target=ReviewState.IMRS_IN_PROGRESS,
        conditions=[agencies_ready],
        permission=lambda review, user: perms.can_manage_review(user, review),
        label="Start the IMRs",
    )
    def start_imrs(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.IMRS_IN_PROGRESS,
        target=ReviewState.IMRS_SUBMITTED,
        conditions=[imrs_all_submitted],
        permission=lambda review, user: perms.can_manage_review(user, review),
        label="Record that every IMR is submitted",
    )
    def complete_imrs(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.IMRS_SUBMITTED,
        target=ReviewState.OVERVIEW,
        conditions=[overview_author_commissioned],
        permission=lambda review, user: perms.can_manage_review(user, review),
        label="Start the overview",
    )
    def start_overview(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.OVERVIEW,
        target=ReviewState.AT_BOARD,
        conditions=[overview_report_ready],
        permission=lambda review, user: perms.can_send_to_board(user, review),
        label="Send the overview report to the board",
    )
    def send_to_board(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.AT_BOARD,
        target=ReviewState.ACTION_PLAN,
        permission=lambda review, user: perms.can_board_decide(user, review),
        label="Approve the overview report",
    )
    def board_approve(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.AT_BOARD,
        target=ReviewState.OVERVIEW,
        permission=lambda review, user: perms.can_board_decide(user, review),
        label="Return the overview report to its author",
        style="warning",
    )
    def board_return(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.ACTION_PLAN,
        target=ReviewState.WITH_OFSTED,
        conditions=[is_serious_case_review, lscb_action_plan_ready, ofsted_pack_prepared],
        permission=lambda review, user: perms.can_manage_review(user, review),
        label="Send the report and action plan to Ofsted and GOL",
        scr_only=True,
    )
    def send_to_ofsted(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=[ReviewState.ACTION_PLAN, ReviewState.WITH_OFSTED],
        target=ReviewState.EXECUTIVE_SUMMARY,
        conditions=[ofsted_done_if_scr, lscb_action_plan_ready],
        permission=lambda review, user: perms.can_manage_review(user, review),
        label="Prepare the executive summary",
    )
    def prepare_executive_summary(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=ReviewState.EXECUTIVE_SUMMARY,
        target=ReviewState.CLOSED,
        conditions=[ready_to_close],
        permission=lambda review, user: perms.can_manage_review(user, review),
        label="Close the review",
    )
    def close(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=list(OPEN),
        target=ReviewState.WITHDRAWN,
        permission=lambda review, user: perms.can_withdraw_review(user, review),
        label="Withdraw the review",
        style="warning",
    )
    def withdraw(self, by=None, description=None):
        # django-fsm runs the body before it sets the target: the state here is the one left.
        self.withdrawn_from = self.state

    # Presentation helpers.

    @staticmethod
    def get_state_label(state) -> str:
        return ReviewState(state).label

    @property
    def is_scr(self) -> bool:
        return self.review_type == ReviewType.SCR

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_withdrawn(self) -> bool:
        return self.state == ReviewState.WITHDRAWN

    @cached_property
    def withdrawal(self):
        """The withdrawal as logged (who, when, and the reason as its note), or None when not withdrawn."""
        from django_fsm_log.models import StateLog

        if not self.is_withdrawn:
            return None
        return (
            StateLog.objects.for_(self)
            .filter(transition="withdraw")
            .select_related("by")
            .order_by("timestamp", "pk")
            .last()
        )

    @property
    def stage_reached(self) -> str:
        """The review's stage, or for a withdrawn review the stage it was withdrawn at.

        Read rules that open up as a review moves on (the board reads the overview report once
        it has gone to the board) ask this, so that withdrawing a review shows nobody anything new.
        """
        return self.withdrawn_from or self.state

    def stages(self) -> list[ReviewState]:
        """Return the stages this review passes through, in order (withdrawal is an end, not a stage)."""
        return [s for s in ReviewState if s != ReviewState.WITHDRAWN and (self.is_scr or s not in SCR_ONLY)]

    def departs_from_criterion_a(self) -> bool:
        return self.referral.decision.departs_from_criterion_a
