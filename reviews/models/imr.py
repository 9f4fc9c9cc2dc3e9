from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField

from reviews import permissions as perms
from reviews.preconditions import move, precondition


class IMRState(models.TextChoices):
    NOMINATED = "nominated", "Author nominated"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for more work"
    ACCEPTED = "accepted", "Accepted"


EDITABLE = (IMRState.NOMINATED, IMRState.IN_PROGRESS, IMRState.RETURNED)
SUBMITTED = (IMRState.SUBMITTED, IMRState.ACCEPTED)


@precondition
def declaration_signed(imr):
    if imr.declaration_signed_at is None:
        yield f"{imr.author} has not signed the independence declaration."


@precondition
def review_has_started_imrs(imr):
    # The business manager starts the IMRs together, once every agency is ready (files secured,
    # authors signed up); an author who is ready first waits for the others.
    review = imr.participation.review
    if review.state == "agencies_engaged" or review.state in ("tor_drafting", "tor_agreed"):
        yield (
            f"The business manager has not started the IMRs of {review} yet: they start once every agency "
            "has secured its files and its author has signed the declaration."
        )


@precondition
def imr_complete(imr):
    from reviews.models.documents import Document

    if not imr.chronology_entries.exists():
        yield "Add the chronology: it has no entries."
    if not imr.documents.filter(kind=Document.Kind.IMR_REPORT).exists():
        yield "Upload the IMR report."
    numbers = list(imr.recommendations.values_list("number", flat=True))
    if not numbers:
        yield "Record the IMR's recommendations."
    unanswered = list(imr.recommendations.filter(actions__isnull=True).values_list("number", flat=True))
    if unanswered:
        yield f"Add an action to the agency action plan for {_numbered('recommendation', unanswered)}."


def _numbered(noun: str, numbers) -> str:
    numbers = [str(n) for n in numbers]
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    return f"{noun}s {', '.join(numbers[:-1])} and {numbers[-1]}"


class IMRQuerySet(models.QuerySet):
    def with_progress(self):
        """What each IMR has towards submission, and when the review's IMRs are due: a few subqueries, no loop."""
        from reviews.models.action_plan import Recommendation
        from reviews.models.chronology import ChronologyEntry
        from reviews.models.documents import Document
        from reviews.models.timetable import Milestone

        recommendations = Recommendation.objects.filter(imr=models.OuterRef("pk"))
        return self.annotate(
            has_chronology=models.Exists(ChronologyEntry.objects.filter(imr=models.OuterRef("pk"))),
            has_report=models.Exists(
                Document.objects.filter(imr=models.OuterRef("pk"), kind=Document.Kind.IMR_REPORT)
            ),
            has_recommendations=models.Exists(recommendations),
            unanswered_recommendations=models.Exists(recommendations.filter(actions__isnull=True)),
            imrs_due_on=models.Subquery(
                Milestone.objects.filter(
                    review=models.OuterRef("participation__review"), kind=Milestone.Kind.IMRS_SUBMITTED
                ).values("due_on")[:1]
            ),
        )


class IMR(ConcurrentTransitionMixin, models.Model):
    """One agency's individual management review, written by an author independent of the case."""

    State = IMRState

    participation = models.OneToOneField(
        "reviews.AgencyParticipation", on_delete=models.PROTECT, related_name="imr"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imrs")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imr_nominations"
    )
    nominated_at = models.DateTimeField()
    declaration_signed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the current author signed the independence declaration; cleared when the author changes.",
    )
    state = FSMField(
        max_length=20,
        choices=IMRState.choices,
        default=IMRState.NOMINATED,
        protected=True,
        db_index=True,
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    feedback_meeting_on = models.DateField(
        null=True, blank=True, help_text="When the author fed back the findings to the agency's staff."
    )
    overview_critique = models.TextField(
        blank=True,
        help_text="The overview author's short assessment of the IMR; written by imr_critique_record, each change audited.",
    )
    critiqued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the assessment was last written."
    )
    critiqued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="imr_critiques",
        null=True,
        blank=True,
    )
    chronology_version = models.PositiveIntegerField(
        default=0, help_text="Counts the changes to the chronology; raised by every chronology service."
    )

    objects = IMRQuerySet.as_manager()

    class Meta:
        verbose_name = "IMR"
        verbose_name_plural = "IMRs"
        ordering = ["participation__agency__name"]
        constraints = [
            models.CheckConstraint(
                name="imr_submitted_has_date",
                condition=Q(state__in=["nominated", "in_progress"]) | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"IMR of {self.participation.agency} for {self.participation.review}"

    @move(
        field=state,
        source=IMRState.NOMINATED,
        target=IMRState.IN_PROGRESS,
        conditions=[declaration_signed, review_has_started_imrs],
        permission=lambda imr, user: perms.can_write_imr(user, imr),
        label="Start the IMR",
    )
    def start(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=[IMRState.IN_PROGRESS, IMRState.RETURNED],
        target=IMRState.SUBMITTED,
        conditions=[declaration_signed, imr_complete],
        permission=lambda imr, user: perms.can_write_imr(user, imr),
        label="Submit the IMR",
    )
    def submit(self, by=None, description=None, at=None):
        self.submitted_at = at

    @move(
        field=state,
        source=IMRState.SUBMITTED,
        target=IMRState.RETURNED,
        permission=lambda imr, user: perms.can_critique_imr(user, imr),
        label="Return the IMR for more work",
    )
    def return_for_work(self, by=None, description=None):
        pass

    @move(
        field=state,
        source=IMRState.SUBMITTED,
        target=IMRState.ACCEPTED,
        permission=lambda imr, user: perms.can_critique_imr(user, imr),
        label="Accept the IMR",
    )
    def accept(self, by=None, description=None):
        pass

    @staticmethod
    def get_state_label(state) -> str:
        return IMRState(state).label

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def is_submitted(self) -> bool:
        return self.state in SUBMITTED

    @property
    def is_accepted(self) -> bool:
        return self.state == IMRState.ACCEPTED

    def still_missing(self) -> list[str]:
        """What the author must still add before submitting, from `with_progress()`'s annotations."""
        if not self.is_editable:
            return []
        missing = []
        if not self.declaration_signed_at:
            missing.append("the independence declaration")
        if not self.has_chronology:
            missing.append("the chronology")
        if not self.has_report:
            missing.append("the report")
        if not self.has_recommendations:
            missing.append("the recommendations")
        elif self.unanswered_recommendations:
            missing.append("an action for each recommendation")
        return missing


class Interview(models.Model):
    """An IMR author's interview with a member of staff involved."""

    imr = models.ForeignKey(IMR, on_delete=models.CASCADE, related_name="interviews")
    staff = models.ForeignKey("reviews.InvolvedStaff", on_delete=models.PROTECT, related_name="interviews")
    held_on = models.DateField()
    tor_shared_on = models.DateField(
        help_text="When the terms of reference were shared with the interviewee (before or at the interview)."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="interview_tor_shared_first",
                condition=Q(tor_shared_on__lte=models.F("held_on")),
            ),
        ]

    def __str__(self):
        return f"Interview with {self.staff} on {self.held_on}"
