"""Take a review through its stages the way people do: through the services.

`ReviewWalk.at(state)` returns a review that has just arrived at `state`;
`ready(review)` then meets every precondition of the review's next move.
"""

import datetime

from django.utils import timezone

from reviews import scenarios, services
from reviews.models import (
    Review,
    ReviewState,
    StaffSupportMeeting,
)

S = ReviewState
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)

# The move out of each state on the main path, and who makes it.
NEXT_MOVE = {
    S.TOR_DRAFTING: ("agree_terms_of_reference", "chair"),
    S.TOR_AGREED: ("engage_agencies", "manager"),
    S.AGENCIES_ENGAGED: ("start_imrs", "manager"),
    S.IMRS_IN_PROGRESS: ("complete_imrs", "manager"),
    S.IMRS_SUBMITTED: ("start_overview", "manager"),
    S.OVERVIEW: ("send_to_board", "overview"),
    S.AT_BOARD: ("board_approve", "board"),
    S.ACTION_PLAN: ("send_to_ofsted", "manager"),
    S.WITH_OFSTED: ("prepare_executive_summary", "manager"),
    S.EXECUTIVE_SUMMARY: ("close", "chair"),
}


class ReviewWalk:
    def __init__(self, cast):
        self.cast = cast

    def referral(self, *, police_investigating=False):
        return scenarios.log_referral(
            referrer=self.cast["referrer"],
            child_name="Ellie Carter",
            child_date_of_birth=datetime.date(2024, 2, 29),
            family_members="Dawn Carter, mother\nLiam Carter, father",
            incident_date=TODAY() - 3 * DAY,
            incident_kind="serious_injury",
            summary="Admitted with a fractured skull.",
            agencies=[self.cast["hospital"], self.cast["police"]],
            police_investigating=police_investigating,
            received_at=timezone.now() - 2 * DAY,
            # Tests log many referrals for the same invented child: each is meant.
            log_another=True,
        )

    def decided(self, review_type="scr", *, criteria=("criterion_b",), justification="", **kwargs) -> Review:
        return scenarios.decide(
            chair=self.cast["chair"],
            referral=self.referral(**kwargs),
            held_on=TODAY() - DAY,
            attendees=[self.cast["chair"], self.cast["panel"]],
            outcome=review_type,
            criteria=criteria,
            rationale="Potentially life-threatening injury.",
            justification=justification,
        )

    def at(self, state, review_type="scr", **kwargs) -> Review:
        if state == S.WITHDRAWN:
            # Withdrawn by the panel chair while the IMRs are being written.
            review = self.at(S.IMRS_IN_PROGRESS, review_type, **kwargs)
            return services.review_move(
                actor=self.cast["chair"], review=review, move="withdraw", note="The family has moved abroad."
            )
        review = self.decided(review_type, **kwargs)
        while review.state != state:
            self.ready(review)
            review = self.move(review)
        return Review.objects.get(pk=review.pk)

    def move(self, review: Review) -> Review:
        name, who = NEXT_MOVE[review.state]
        if review.state == S.ACTION_PLAN and not review.is_scr:
            name = "prepare_executive_summary"
        return services.review_move(actor=self.cast[who], review=review, move=name)

    def ready(self, review: Review) -> Review:
        """Meet every precondition of the review's next move, without making it."""
        getattr(self, f"_ready_{review.state}", lambda r: None)(review)
        return Review.objects.get(pk=review.pk)

    # What each stage needs before the review can leave it.

    def _ready_tor_drafting(self, review):
        cast = self.cast
        scenarios.record_staff(
            actor=cast["manager"],
            review=review,
            rows=[
                (cast["hospital"], "Health Visitor 1", "Sandra Bell", "Health visitor"),
                (cast["police"], "Police Officer 1", "Mark Tennant", "Police constable"),
            ],
        )
        scenarios.draft_tor(
            chair=cast["chair"],
            review=review,
            period_start=TODAY() - 400 * DAY,
            period_end=TODAY() - 3 * DAY,
            questions=["Were the earlier injuries recognised?", "How was information shared?"],
            agencies=[cast["hospital"], cast["police"]],
        )
        scenarios.support_meeting(
            manager=cast["manager"], review=review, kind=StaffSupportMeeting.Kind.BEGINNING, held_on=TODAY()
        )

    def _ready_agencies_engaged(self, review):
        by_agency = {
            self.cast["hospital"].pk: (self.cast["agencymanager"], self.cast["author"]),
            self.cast["police"].pk: (self.cast["policemanager"], self.cast["author2"]),
        }
        for participation in review.participations.all():
            manager, author = by_agency[participation.agency_id]
            scenarios.secure_and_nominate(
                by=manager,
                participation=participation,
                author=author,
                originals_location="Records office, cabinet 2",
            )

    def _ready_imrs_in_progress(self, review):
        for participation in review.participations.select_related("imr", "agency"):
            self.complete_imr(participation.imr)

    def complete_imr(self, imr, *, feedback=True):
        scenarios.write_chronology(
            imr=imr,
            entries=[
                {
                    "date": TODAY() - 30 * DAY,
                    "contact_type": "home visit",
                    "with_whom": "mother",
                    "practitioner": "Health Visitor 1",
                    "summary": "Routine visit; bruise seen on the child's arm.",
                }
            ],
        )
        scenarios.submit_imr(
            imr=imr,
            report="IMR report",
            recommendation="Train staff on bruising in babies.",
            action="Run bruising training.",
            action_owner="Named nurse",
            action_due=TODAY() + 60 * DAY,
            feedback_on=TODAY() if feedback else None,
        )

    def _ready_imrs_submitted(self, review):
        scenarios.commission_overview(
            manager=self.cast["manager"], review=review, author=self.cast["overview"]
        )

    def _ready_overview(self, review):
        scenarios.write_overview(
            review=review, report="Overview", recommendation="Publish guidance on bruising."
        )

    def _ready_action_plan(self, review):
        for recommendation in review.recommendations.filter(imr__isnull=True):
            services.action_item_add(
                actor=self.cast["manager"],
                review=review,
                agency=None,
                recommendation=recommendation,
                description="Publish the guidance.",
                owner="LSCB business manager",
                due_on=TODAY() + 30 * DAY,
            )
        if review.is_scr:
            services.ofsted_pack_prepare(actor=self.cast["manager"], review=review)

    def _ready_with_ofsted(self, review):
        services.review_record_ofsted_grade(
            actor=self.cast["manager"],
            review=review,
            grade="good",
            feedback="A clear report.",
            graded_on=TODAY(),
        )

    def _ready_executive_summary(self, review):
        manager = self.cast["manager"]
        services.summary_save(actor=manager, review=review, text="A child was injured. Lessons were learnt.")
        services.summary_publish(
            actor=manager, review=review, publish_from=TODAY(), publish_until=TODAY() + 365 * DAY
        )
        services.summary_mark_sent_to_staff(actor=manager, review=review, sent_on=TODAY())
        from reviews.models import ActionItem

        for item in ActionItem.objects.filter(plan__review=review).select_related("plan"):
            actor = (
                manager
                if item.plan.is_lscb_plan
                else self.cast["author" if item.plan.agency == self.cast["hospital"] else "author2"]
            )
            services.action_item_move(actor=actor, item=item, move="start")
            services.action_item_move(
                actor=actor, item=item, move="complete", evidence="Training delivered to 40 staff."
            )
        services.support_meeting_record(
            actor=manager, review=review, kind=StaffSupportMeeting.Kind.END, held_on=TODAY()
        )
