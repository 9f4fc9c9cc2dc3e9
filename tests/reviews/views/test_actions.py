"""An action's page: its owner starts it and completes it with evidence; the QA sub-group verifies or reopens it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import IMR, ActionItem, AuditEvent
from tests.reviews.views.test_chronology import started_imr
from tests.reviews.views.test_pages import errors

TODAY = timezone.localdate


def agency_action(walk, cast):
    imr = started_imr(walk)
    review = imr.participation.review
    recommendation = services.recommendation_add(
        actor=cast["author"], review=review, imr=imr, text="Train staff."
    )
    return services.action_item_add(
        actor=cast["author"],
        review=review,
        agency=imr.participation.agency,
        description="Run the training.",
        owner="Named nurse",
        due_on=TODAY() + datetime.timedelta(days=30),
        success_measure="Audit of case files.",
        recommendation=recommendation,
    )


@pytest.mark.django_db
def test_the_owner_starts_and_completes_an_action_and_qa_verifies_it(client, walk, cast):
    item = agency_action(walk, cast)
    detail = reverse("reviews:action-detail", args=[item.pk])
    client.force_login(cast["agencymanager"])
    page = client.get(detail).content.decode()
    assert "Run the training." in page and "Audit of case files." in page
    assert f'href="{reverse("reviews:action-move", args=[item.pk, "start"])}"' in page
    assert (
        client.post(reverse("reviews:action-move", args=[item.pk, "start"]), {"note": ""}).status_code == 302
    )
    complete = reverse("reviews:action-move", args=[item.pk, "complete"])
    # Completing is offered at once: its page asks for the evidence.
    assert f'href="{complete}"' in client.get(detail).content.decode()
    assert "What shows the action is complete?" in client.get(complete).content.decode()
    response = client.post(complete, {"evidence": "  "})
    assert response.status_code == 400
    assert errors(response) == ["Record the evidence that the action is complete"]
    assert ActionItem.objects.get(pk=item.pk).state == "in_progress"
    assert client.post(complete, {"evidence": "40 staff trained on 3 March."}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.evidence, item.completed_on) == (
        "completed",
        "40 staff trained on 3 March.",
        TODAY(),
    )
    # The owner cannot verify their own action; the QA sub-group can, or reopen it with a reason.
    assert client.get(reverse("reviews:action-move", args=[item.pk, "verify"])).status_code == 404
    # The QA sub-group monitors an agency's plan once its IMR is submitted.
    IMR.objects.filter(participation__review=item.plan.review).update(
        state="submitted", submitted_at=timezone.now()
    )
    client.force_login(cast["qa"])
    reopen = reverse("reviews:action-move", args=[item.pk, "reopen"])
    response = client.post(reopen, {"note": ""})
    assert response.status_code == 400 and errors(response) == ["Say why the action is reopened"]
    assert (
        client.post(reverse("reviews:action-move", args=[item.pk, "verify"]), {"note": ""}).status_code == 302
    )
    item.refresh_from_db()
    assert item.state == "verified"
    moved = AuditEvent.objects.filter(action="moved", object_type="reviews.actionitem").order_by("pk")
    assert list(moved.values_list("actor__username", flat=True)) == ["agencymanager", "agencymanager", "qa"]


@pytest.mark.django_db
def test_another_agency_gets_404_and_a_denied_row(client, walk, cast):
    item = agency_action(walk, cast)
    client.force_login(cast["author2"])
    assert client.get(reverse("reviews:action-detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("reviews:action-move", args=[item.pk, "start"]), {}).status_code == 404
    denied = AuditEvent.objects.filter(action="denied", actor=cast["author2"])
    assert denied.count() == 2
    assert ActionItem.objects.get(pk=item.pk).state == "open"
