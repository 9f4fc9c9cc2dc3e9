"""A case review from "IMRs submitted" to closed through its pages, each step by the person who does it:
never offered Ofsted and GOL."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from reviews import services
from reviews.models import IMR, ActionItem, Review, ReviewState
from reviews.sample_pdf import text_pdf

S = ReviewState
TODAY = timezone.localdate


def date_fields(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


class Steps:
    def __init__(self, client, cast, review):
        self.client, self.cast, self.review = client, cast, review

    def as_(self, username):
        self.client.force_login(self.cast[username])
        return self

    def post(self, name, data=None, *args, expect=302):
        url = reverse(f"reviews:{name}", args=[self.review.pk, *args])
        response = self.client.post(url, data or {})
        assert response.status_code == expect, (name, response.status_code, response.content.decode()[-3000:])
        return response

    def move(self, name):
        self.post("review-move", {"note": ""}, name)
        self.review.refresh_from_db()

    def state(self):
        return Review.objects.get(pk=self.review.pk).state

    def page(self):
        return self.client.get(reverse("reviews:review-detail", args=[self.review.pk])).content.decode()


@pytest.mark.django_db
def test_a_case_review_goes_from_imrs_submitted_to_closed_in_its_pages_without_ofsted(client, walk, cast):
    review = walk.at(S.IMRS_SUBMITTED, review_type="case")
    steps = Steps(client, cast, review)

    # The business manager commissions the overview author, who signs the declaration.
    steps.as_("manager").post("overview-commission", {"author": cast["overview"].pk})
    steps.as_("overview").post("overview-declaration", {"confirm": "on"})
    steps.as_("manager").move("start_overview")
    assert steps.state() == S.OVERVIEW

    # The overview author accepts each IMR, uploads the report and records a recommendation.
    client.force_login(cast["overview"])
    for imr in IMR.objects.filter(participation__review=review):
        url = reverse("reviews:imr-move", args=[imr.pk, "accept"])
        assert client.post(url, {"note": ""}).status_code == 302
    steps.post("overview-report", {"file": SimpleUploadedFile("overview.pdf", text_pdf("Overview report"))})
    steps.post("overview-recommendation-add", {"text": "Share information about new adults in the home."})
    steps.move("send_to_board")
    assert steps.state() == S.AT_BOARD

    # The board approves it.
    steps.as_("board").move("board_approve")
    assert steps.state() == S.ACTION_PLAN

    # The business manager builds the LSCB action plan; a case review is never offered Ofsted.
    steps.as_("manager")
    recommendation = review.recommendations.get(imr__isnull=True)
    steps.post(
        "lscb-action-add",
        {
            "recommendation": recommendation.pk,
            "description": "Write the information-sharing protocol.",
            "owner_agency": "lscb",
            "owner": "LSCB Business Manager",
            **date_fields("due_on", TODAY() + datetime.timedelta(days=90)),
            "success_measure": "The protocol is in use in every agency.",
        },
    )
    page = steps.page()
    assert "Send the report and action plan to Ofsted and GOL" not in page
    assert client.get(reverse("reviews:ofsted", args=[review.pk])).status_code == 404
    steps.move("prepare_executive_summary")
    assert steps.state() == S.EXECUTIVE_SUMMARY

    # The summary: written, published for a window, sent to staff.
    steps.post("summary-edit", {"title": "Child L", "text": "A child was injured. Agencies did not share."})
    steps.post(
        "summary-publish",
        {
            **date_fields("publish_from", TODAY()),
            **date_fields("publish_until", TODAY() + datetime.timedelta(days=365)),
        },
    )
    steps.post("summary-sent", date_fields("sent_on", TODAY()))

    # Closing waits for the actions and the end-of-review support meeting.
    steps.post("review-move", {"note": ""}, "close", expect=400)
    # (The owners' progress pages come with the QA sub-group's monitoring: here through the service.)
    for item in ActionItem.objects.filter(plan__review=review).select_related("plan"):
        owner = (
            cast["manager"]
            if item.plan.is_lscb_plan
            else cast["author" if item.plan.agency == cast["hospital"] else "author2"]
        )
        services.action_item_move(actor=owner, item=item, move="start")
        services.action_item_move(actor=owner, item=item, move="complete", evidence="In use.")
    steps.post("support-meeting-add", {"kind": "end", **date_fields("held_on", TODAY()), "notes": ""})
    steps.move("close")
    assert steps.state() == S.CLOSED
    # Its stages, in order: never "Sent to Ofsted and GOL".
    states = list(StateLog.objects.for_(review).order_by("timestamp", "pk").values_list("state", flat=True))
    assert states[states.index(S.OVERVIEW) :] == [
        S.OVERVIEW,
        S.AT_BOARD,
        S.ACTION_PLAN,
        S.EXECUTIVE_SUMMARY,
        S.CLOSED,
    ]
    # Its summary is on the public page, signed out.
    client.logout()
    assert "Child L" in client.get(reverse("reviews:public-summary-list")).content.decode()
