from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from reviews import permissions as perms
from reviews.preconditions import precondition


class ReviewType(models.TextChoices):
    SCR = "scr", "Serious case review"
    CASE_REVIEW = "case", "Case review"
    MANAGEMENT_REVIEW = "management", "Management review"


class ReviewState(models.TextChoices):
    TOR_DRAFTING = "tor_drafting", "Terms of reference drafted"
    TOR_AGREED = "tor_agreed", "Terms of reference agreed and shared"
    AGENCIES_ENGAGED = "agencies_engaged", "Agencies engaged"
    IMRS_IN_PROGRESS = "imrs_in_progress", "IMRs in progress"
    IMRS_SUBMITTED = "imrs_submitted", "IMRs submitted"
    OVERVIEW = "overview", "Overview report"
    AT_BOARD = "at_board", "With the board"
    ACTION_PLAN = "action_plan", "LSCB action plan"
    WITH_OFSTED = "with_ofsted", "Sent to Ofsted and GOL"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    CLOSED = "closed", "Closed"


# Status groups, named once.
TERMINAL = (ReviewState.CLOSED,)
OPEN = tuple(state for state in ReviewState if state not in TERMINAL)
SCR_ONLY = (ReviewState.WITH_OFSTED,)
# Stages at which every agency is still expected to be producing its IMR.
AWAITING_AGENCIES = (
    ReviewState.TOR_AGREED,
    ReviewState.AGENCIES_ENGAGED,
    ReviewState.IMRS_IN_PROGRESS,
)


class ReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN)

    def closed(self):
        return self.filter(state__in=TERMINAL)

    def overdue(self, *, on):
        return self.open().filter(current_due_date__lt=on)

    def for_agency(self, agency):
        return self.filter(participations__agency=agency).distinct()

    def visible_to(self, user):
        """Reviews whose summary `user` may see (access.md): the queryset twin of can_view_review."""
        from guardian.shortcuts import get_objects_for_user

        from agencies.roles import SEES_ALL_REVIEWS, Role

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(*SEES_ALL_REVIEWS):
            return self
        visible = Q(pk__in=[])
        if user.has_role(Role.OVERVIEW_AUTHOR):
            visible |= Q(overview_author=user)
        if user.has_role(Role.AGENCY_SENIOR_MANAGER) and user.agency_id:
            visible |= Q(participations__agency_id=user.agency_id)
        if user.has_role(Role.IMR_AUTHOR):
            granted = get_objects_for_user(user, perms.VIEW_REVIEW, klass=Review, accept_global_perms=False)
            visible |= Q(pk__in=granted.values("pk"))
        return self.filter(visible).distinct()


# Preconditions: each yields one sentence per unmet requirement.


@precondition
def terms_of_reference_complete(review):
    tor = getattr(review, "terms_of_reference", None)
    if tor is None:
        yield "Draft the terms of reference."
        return
    if not tor.focus_areas.exists():
        yield "Add at least one focus area to the terms of reference."
    if tor.period_start is None or tor.period_end is None:
        yield "Set the period under review in the terms of reference."
    if not review.participations.exists():
        yield "Choose the agencies asked to take part."
    if not review.involved_staff.exists():
        yield "Record the staff involved in the case, so the terms of reference can be shared with them."


@precondition
def terms_of_reference_shared(review):
    tor = getattr(review, "terms_of_reference", None)
    if tor is None or tor.shared_with_staff_at is None:
        yield "Share the agreed terms of reference with the staff involved."


@precondition
def agencies_ready(review):
    participations = review.participations.select_related("agency", "imr__author")
    if not participations:
        yield "No agency has been asked to take part."
    for participation in participations:
        agency = participation.agency
        if participation.files_secured_at is None:
            yield f"{agency} has not confirmed that its case files are secured."
        imr = getattr(participation, "imr", None)
        if imr is None:
            yield f"{agency} has not nominated an IMR author."
        elif imr.declaration_signed_at is None:
            yield f"{imr.author}, {agency}'s IMR author, has not signed the independence declaration."


@precondition
def imrs_all_submitted(review):
    for participation in review.participations.select_related("agency", "imr"):
        imr = getattr(participation, "imr", None)
        if imr is None:
            yield f"{participation.agency} has not nominated an IMR author."
            continue
        if not imr.is_submitted:
            yield f"{participation.agency}'s IMR has not been submitted."
        if imr.feedback_meeting_on is None:
            yield f"{participation.agency}'s IMR author has not recorded the feedback meeting with staff."


@precondition
def overview_author_commissioned(review):
    if review.overview_author_id is None:
        yield "Commission an independent overview author."
    elif review.overview_declaration_signed_at is None:
        yield f"{review.overview_author}, the overview author, has not signed the independence declaration."


@precondition
def overview_report_ready(review):
    from reviews.models.documents import Document

    if not review.documents.filter(kind=Document.Kind.OVERVIEW_REPORT).exists():
        yield "Upload the overview report."
    if not review.recommendations.filter(imr__isnull=True).exists():
        yield "Record the overview report's recommendations."
    for participation in review.participations.select_related("agency", "imr"):
        imr = getattr(participation, "imr", None)
        if imr is None or not imr.is_accepted:
            yield f"{participation.agency}'s IMR has not been accepted by the overview author."


@precondition
def lscb_action_plan_ready(review):
    plan = review.action_plans.filter(agency__isnull=True).first()
    if plan is None or not plan.items.exists():
        yield "Add the actions of the LSCB action plan."
        return
    uncovered = review.recommendations.filter(imr__isnull=True, actions__isnull=True).order_by("number")
    for recommendation in uncovered:
        yield f"Overview recommendation {recommendation.number} has no action in the LSCB action plan."


@precondition
def is_serious_case_review(review):
    if review.review_type != ReviewType.SCR:
        yield (
            f"A {review.get_review_type_display().lower()} is not sent to Ofsted or GOL: "
            "only serious case reviews are."
        )


@precondition
def ofsted_done_if_scr(review):
    if review.review_type != ReviewType.SCR:
        return
    if review.state != ReviewState.WITH_OFSTED:
        yield "A serious case review is sent to Ofsted and GOL before its executive summary."
    elif not review.ofsted_grade:
        yield "Record Ofsted's grade and feedback."


@precondition
def ready_to_close(review):
    from reviews.models.action_plan import ActionItem

    summary = getattr(review, "executive_summary", None)
    if summary is None or summary.publish_from is None:
        yield "Publish the executive summary on the LSCB website."
    if summary is None or summary.sent_to_staff_on is None:
        yield "Send the executive summary to the staff involved."
    open_actions = ActionItem.objects.filter(plan__review=review).exclude(state__in=ActionItem.DONE)
    count = open_actions.count()
    if count:
        yield f"{count} action{'s are' if count > 1 else ' is'} not yet complete."
    kinds = set(review.support_meetings.values_list("kind", flat=True))
    if "beginning" not in kinds:
        yield "No staff support meeting has been recorded at the beginning of the review."
    if "end" not in kinds:
        yield "Hold the closing staff support meeting and record it."


class Review(ConcurrentTransitionMixin, models.Model):
    """One review of a referred case, from the panel's decision to its close."""

    Type = ReviewType
    State = ReviewState
    BEFORE_BOARD = (
        ReviewState.TOR_DRAFTING,
        ReviewState.TOR_AGREED,
        ReviewState.AGENCIES_ENGAGED,
        ReviewState.IMRS_IN_PROGRESS,
        ReviewState.IMRS_SUBMITTED,
        ReviewState.OVERVIEW,
    )

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

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.TOR_DRAFTING,
        target=ReviewState.TOR_AGREED,
        conditions=[terms_of_reference_complete],
        permission=lambda review, user: perms.can_write_tor(user, review),
        custom={"label": "Agree and share the terms of reference"},
    )
    def agree_terms_of_reference(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.TOR_AGREED,
        target=ReviewState.AGENCIES_ENGAGED,
        conditions=[terms_of_reference_shared],
        permission=lambda review, user: perms.can_manage_review(user, review),
        custom={"label": "Ask the agencies to secure files and nominate IMR authors"},
    )
    def engage_agencies(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.AGENCIES_ENGAGED,
        target=ReviewState.IMRS_IN_PROGRESS,
        conditions=[agencies_ready],
        permission=lambda review, user: perms.can_manage_review(user, review),
        custom={"label": "Start the IMRs"},
    )
    def start_imrs(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.IMRS_IN_PROGRESS,
        target=ReviewState.IMRS_SUBMITTED,
        conditions=[imrs_all_submitted],
        permission=lambda review, user: perms.can_manage_review(user, review),
        custom={"label": "Record that every IMR is submitted"},
    )
    def complete_imrs(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.IMRS_SUBMITTED,
        target=ReviewState.OVERVIEW,
        conditions=[overview_author_commissioned],
        permission=lambda review, user: perms.can_manage_review(user, review),
        custom={"label": "Start the overview"},
    )
    def start_overview(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.OVERVIEW,
        target=ReviewState.AT_BOARD,
        conditions=[overview_report_ready],
        permission=lambda review, user: perms.can_send_to_board(user, review),
        custom={"label": "Send the overview report to the board"},
    )
    def send_to_board(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.AT_BOARD,
        target=ReviewState.ACTION_PLAN,
        permission=lambda review, user: perms.can_board_decide(user, review),
        custom={"label": "Approve the overview report"},
    )
    def board_approve(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.AT_BOARD,
        target=ReviewState.OVERVIEW,
        permission=lambda review, user: perms.can_board_decide(user, review),
        custom={"label": "Return the overview report to its author"},
    )
    def board_return(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.ACTION_PLAN,
        target=ReviewState.WITH_OFSTED,
        conditions=[is_serious_case_review, lscb_action_plan_ready],
        permission=lambda review, user: perms.can_manage_review(user, review),
        custom={"label": "Send the report and action plan to Ofsted and GOL", "scr_only": True},
    )
    def send_to_ofsted(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[ReviewState.ACTION_PLAN, ReviewState.WITH_OFSTED],
        target=ReviewState.EXECUTIVE_SUMMARY,
        conditions=[ofsted_done_if_scr, lscb_action_plan_ready],
        permission=lambda review, user: perms.can_manage_review(user, review),
        custom={"label": "Prepare the executive summary"},
    )
    def prepare_executive_summary(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReviewState.EXECUTIVE_SUMMARY,
        target=ReviewState.CLOSED,
        conditions=[ready_to_close],
        permission=lambda review, user: perms.can_manage_review(user, review),
        custom={"label": "Close the review"},
    )
    def close(self, by=None, description=None):
        pass

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

    def stages(self) -> list[ReviewState]:
        """Return the stages this review passes through, in order."""
        return [s for s in ReviewState if self.is_scr or s not in SCR_ONLY]

    def departs_from_criterion_a(self) -> bool:
        return self.referral.decision.departs_from_criterion_a


class Milestone(models.Model):
    """A dated step of a review's timetable, computed from the decision date and stored."""

    class Kind(models.TextChoices):
        TOR_AGREED = "tor_agreed", "Terms of reference agreed"
        AUTHORS_NOMINATED = "authors_nominated", "IMR authors nominated, files secured"
        IMRS_SUBMITTED = "imrs_submitted", "IMRs submitted"
        OVERVIEW_TO_BOARD = "overview_to_board", "Overview report to the board"
        REVIEW_COMPLETE = "review_complete", "Review complete"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="milestones")
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


class Extension(models.Model):
    """An agreed extension of a review's due date; the earlier dates stay on record."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="extensions")
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


class InvolvedStaff(models.Model):
    """A practitioner whose work is part of the review, known in documents only by pseudonym."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="involved_staff")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="involved_staff")
    pseudonym = models.CharField(max_length=100, help_text='Role and number, e.g. "Health Visitor 1".')
    real_name = models.CharField(max_length=200)
    role_title = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="involvements",
        null=True,
        blank=True,
        help_text="The person's account, if they have one: they may not author an IMR or the overview.",
    )

    class Meta:
        ordering = ["agency__name", "pseudonym"]
        verbose_name_plural = "involved staff"
        constraints = [
            models.UniqueConstraint(fields=["review", "pseudonym"], name="involved_staff_pseudonym_unique"),
        ]

    def __str__(self):
        return self.pseudonym


class StaffSupportMeeting(models.Model):
    """A support meeting the LSCB hosts for the staff involved (guide §6.5)."""

    class Kind(models.TextChoices):
        BEGINNING = "beginning", "At the beginning of the review"
        END = "end", "At the end of the review"
        OTHER = "other", "During the review"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="support_meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    attendees = models.ManyToManyField(InvolvedStaff, related_name="support_meetings", blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_meetings_recorded"
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.review}: support meeting {self.held_on}"


class CounsellingOffer(models.Model):
    """Counselling or other support offered to a member of staff involved."""

    class Response(models.TextChoices):
        AWAITING = "awaiting", "Awaiting reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    staff = models.ForeignKey(InvolvedStaff, on_delete=models.PROTECT, related_name="counselling_offers")
    offered_on = models.DateField()
    offered_by = models.CharField(max_length=200, help_text="The agency or service that offered it.")
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)

    class Meta:
        ordering = ["offered_on", "pk"]

    def __str__(self):
        return f"Counselling offered to {self.staff} on {self.offered_on}"


class PoliceAdvice(models.Model):
    """The police's advice on what staff may discuss; each change is a new row."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="police_advice")
    given_on = models.DateField()
    source = models.CharField(
        max_length=200, help_text="Who gave the advice, e.g. the senior investigating officer."
    )
    advice = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="police_advice_recorded"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        verbose_name_plural = "police advice"

    def __str__(self):
        return f"{self.review}: police advice of {self.given_on}"


class BoardDecision(models.Model):
    """The strategic leadership board's approval or return of the overview report."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned to the overview author"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="board_decisions")
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

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="overview_shares")
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="overview_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="overview_shares_made"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "shared_with"], name="overview_share_once"),
        ]

    def __str__(self):
        return f"{self.review}: overview report shared with {self.shared_with}"


class ExecutiveSummary(models.Model):
    """The anonymised public summary and its publication window."""

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="executive_summary")
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
