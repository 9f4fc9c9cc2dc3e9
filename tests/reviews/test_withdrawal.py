"""Withdrawing a review: the panel chair's, with a reason; everything kept and still read, nothing changed after."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from reviews import permissions as perms
from reviews import services
from reviews.models import (
    IMR,
    ActionItem,
    AuditEvent,
    ChronologyEntry,
    Document,
    DocumentVersion,
    OutboxMessage,
    Recommendation,
    Review,
    ReviewState,
)
from reviews.sample_pdf import text_pdf
from reviews.services import ActionNotAllowed
from tests.html import parse

pytestmark = pytest.mark.django_db

S = ReviewState
DAY = datetime.timedelta(days=1)
REASON = "The case is to be reviewed by the national panel instead."


@pytest.fixture
def review(walk):
    """A review with its IMRs under way: reports, a chronology entry, a recommendation and an action each."""
    review = walk.at(S.IMRS_IN_PROGRESS)
    for participation in review.participations.select_related("imr__author", "agency"):
        imr = services.imr_move(actor=participation.imr.author, imr=participation.imr, move="start")
        services.imr_report_upload(
            actor=imr.author, imr=imr, content=text_pdf("IMR report"), filename="imr.pdf"
        )
        services.chronology_entry_add(
            actor=imr.author,
            imr=imr,
            date=timezone.localdate() - 40 * DAY,
            contact_type="home visit",
            with_whom="mother",
            practitioner="Health Visitor 1",
            summary="Routine visit.",
        )
        answered = services.recommendation_add(actor=imr.author, review=review, imr=imr, text="Share sooner.")
        services.action_item_add(
            actor=imr.author,
            review=review,
            agency=participation.agency,
            description="Agree a protocol.",
            owner="Named lead",
            due_on=timezone.localdate() + 30 * DAY,
            success_measure="Audit.",
            recommendation=answered,
        )
    return Review.objects.get(pk=review.pk)


def _withdraw(walk, review, *, captured=None):
    return services.review_move(actor=walk.cast["chair"], review=review, move="withdraw", note=REASON)


def _counts(review):
    return {
        "imrs": IMR.objects.filter(participation__review=review).count(),
        "entries": ChronologyEntry.objects.filter(imr__participation__review=review).count(),
        "documents": Document.objects.filter(review=review).count(),
        "versions": DocumentVersion.objects.filter(document__review=review).count(),
        "recommendations": Recommendation.objects.filter(review=review).count(),
        "actions": ActionItem.objects.filter(plan__review=review).count(),
        "participations": review.participations.count(),
        "milestones": review.milestones.count(),
        "staff": review.involved_staff.count(),
    }


def test_withdrawing_keeps_every_row_and_document(walk, review, client):
    before = _counts(review)
    audit_before = AuditEvent.objects.filter(review=review).count()
    history_before = StateLog.objects.for_(review).count()

    _withdraw(walk, review)

    assert Review.objects.filter(pk=review.pk, state=S.WITHDRAWN, withdrawn_from=S.IMRS_IN_PROGRESS).exists()
    assert (
        _counts(review)
        == before
        == {
            "imrs": 2,
            "entries": 2,
            "documents": 2,
            "versions": 2,
            "recommendations": 2,
            "actions": 2,
            "participations": 2,
            "milestones": 5,
            "staff": before["staff"],
        }
    )
    # The log only grows: the move, and the e-mail queued about it.
    assert AuditEvent.objects.filter(review=review).count() == audit_before + 2
    assert StateLog.objects.for_(review).count() == history_before + 1
    moved = AuditEvent.objects.filter(review=review, action=AuditEvent.Action.MOVED).latest("at")
    assert (moved.actor, moved.summary) == (
        walk.cast["chair"],
        "Withdraw the review: from “IMRs in progress” to “Withdrawn”",
    )

    # The documents are read as before, by those who read them before, and each download is logged.
    version = DocumentVersion.objects.get(document__imr__author=walk.cast["author"])
    for who, status in (("panel", 200), ("author", 200), ("author2", 404), ("board", 404)):
        client.force_login(walk.cast[who])
        response = client.get(reverse("reviews:document-download", args=[version.pk]))
        assert response.status_code == status, who
        if status == 200:
            assert b"".join(response.streaming_content) == text_pdf("IMR report")
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOADED, object_id=str(version.pk))
    assert sorted(downloads.values_list("actor__username", flat=True)) == ["author", "panel"]


def test_nothing_on_a_withdrawn_review_changes(walk, review):
    _withdraw(walk, review)
    imr = IMR.objects.get(participation__review=review, author=walk.cast["author"])
    item = ActionItem.objects.get(plan__review=review, plan__agency=walk.cast["hospital"])
    imr_refusal = ["The review has been withdrawn: its IMRs can no longer be changed."]
    plan_refusal = ["The review has been withdrawn: its action plans can no longer be changed."]
    attempts = [
        (
            lambda: services.chronology_entry_add(
                actor=walk.cast["author"],
                imr=imr,
                date=timezone.localdate() - 20 * DAY,
                contact_type="home visit",
                with_whom="mother",
                practitioner="Health Visitor 1",
                summary="Another visit.",
            ),
            imr_refusal,
        ),
        (
            lambda: services.imr_report_upload(
                actor=walk.cast["author"], imr=imr, content=text_pdf("Later"), filename="imr.pdf"
            ),
            imr_refusal,
        ),
        (lambda: services.imr_move(actor=walk.cast["author"], imr=imr, move="submit"), imr_refusal),
        (
            lambda: services.recommendation_add(
                actor=walk.cast["author"], review=review, imr=imr, text="Another."
            ),
            imr_refusal,
        ),
        (
            lambda: services.action_progress_record(
                actor=walk.cast["agencymanager"], item=item, note="Begun."
            ),
            plan_refusal,
        ),
        (
            lambda: services.action_item_move(actor=walk.cast["agencymanager"], item=item, move="start"),
            plan_refusal,
        ),
        (
            lambda: services.action_item_add(
                actor=walk.cast["agencymanager"],
                review=review,
                agency=walk.cast["hospital"],
                description="Another action.",
                owner="Named lead",
                due_on=timezone.localdate() + 30 * DAY,
            ),
            plan_refusal,
        ),
        (
            lambda: services.review_extend(
                actor=walk.cast["manager"],
                review=review,
                new_due_date=review.current_due_date + 30 * DAY,
                reason="More time.",
                agreed_by="The chair",
            ),
            ["A withdrawn review cannot be extended."],
        ),
    ]
    before = _counts(review)
    for attempt, reasons in attempts:
        with pytest.raises(ActionNotAllowed) as refused:
            attempt()
        assert refused.value.reasons == reasons
    assert _counts(review) == before
    assert IMR.objects.get(pk=imr.pk).state == IMR.State.IN_PROGRESS
    assert ActionItem.objects.get(pk=item.pk).state == ActionItem.State.OPEN


def test_a_withdrawn_review_cannot_be_withdrawn_again_or_moved_on(walk, review):
    _withdraw(walk, review)
    for move in ("withdraw", "complete_imrs", "close"):
        with pytest.raises(ActionNotAllowed):
            services.review_move(actor=walk.cast["chair"], review=review, move=move, note="Again.")
    assert Review.objects.get(pk=review.pk).state == S.WITHDRAWN


def test_those_taking_part_are_emailed_a_link_and_no_content(
    walk, review, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw(walk, review)
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.REVIEW_NEWS)
    assert message.to == [
        "agencymanager@example.org",
        "author2@example.org",
        "author@example.org",
        "manager@example.org",
        "policemanager@example.org",
    ]
    assert message.subject == f"{review.reference}: the review has been withdrawn"
    assert message.idempotency_key == f"review-withdrawn:{review.pk}"
    (email,) = mail.outbox
    assert email.subject == message.subject
    assert f"/reviews/{review.pk}/" in email.body
    # The reason and the case stay behind the sign-in.
    assert "national panel" not in email.body and "Ellie" not in email.body


def test_no_reminders_for_a_withdrawn_review(walk, review, django_capture_on_commit_callbacks):
    imrs_due = review.milestones.get(kind="imrs_submitted").due_on
    item = ActionItem.objects.filter(plan__review=review).first()
    _withdraw(walk, review)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(on=imrs_due) == 0
        assert services.reminders_queue(on=item.due_on) == 0
        assert services.reminders_queue(on=item.due_on + 7 * DAY) == 0
    assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REMINDER).exists()


def test_withdrawing_shows_nobody_anything_new(walk):
    """The board reads the overview report once it has gone to the board: a report withdrawn before, never."""
    review = walk.at(S.OVERVIEW)
    board = walk.cast["board"]
    assert not perms.can_view_overview_report(board, review)
    withdrawn = Review.objects.get(pk=_withdraw(walk, review).pk)
    assert not perms.can_view_overview_report(board, withdrawn)
    assert not perms.can_read_assessments(board, withdrawn)
    assert not perms.can_view_lscb_action_plan(walk.cast["qa"], withdrawn)


# The pages


def test_the_chair_withdraws_from_the_review_page_with_a_reason(walk, review, client):
    url = reverse("reviews:review-move", args=[review.pk, "withdraw"])
    client.force_login(walk.cast["chair"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert f'href="{url}">Withdraw the review</a>' in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    label = parse(confirm.content).one("label", **{"for": "id_note"}).text()
    assert label == "Why is the review being withdrawn?"
    assert "without the reason" in parse(confirm.content).one(id="id_note-hint").text()

    refused = client.post(url, {"note": ""})
    assert refused.status_code == 400  # a refused form answers 400, as every form page does
    assert "Say why the review is withdrawn" in refused.content.decode()
    assert Review.objects.get(pk=review.pk).state == S.IMRS_IN_PROGRESS

    done = client.post(url, {"note": REASON}, follow=True)
    assert [str(m) for m in done.context["messages"]] == [
        "The review is withdrawn. Those taking part are e-mailed a link to it."
    ]
    today = timezone.localdate()
    for who in ("chair", "manager", "author", "policemanager"):
        client.force_login(walk.cast[who])
        page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
        assert f"This review was withdrawn on {today:%-d %B %Y} by Margaret Osei: {REASON}" in page, who
    assert "Withdrawn at this stage" in page


@pytest.mark.parametrize("who", ["panel", "manager", "board", "author"])
def test_no_one_but_the_chair_is_offered_the_withdrawal(walk, review, client, who):
    client.force_login(walk.cast[who])
    url = reverse("reviews:review-move", args=[review.pk, "withdraw"])
    assert url not in client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": REASON}).status_code == 404
    assert Review.objects.get(pk=review.pk).state == S.IMRS_IN_PROGRESS


def test_the_tracker_lists_withdrawn_reviews_apart_and_marked(walk, review, client):
    still_open = walk.at(S.TOR_DRAFTING)
    _withdraw(walk, review)
    client.force_login(walk.cast["manager"])
    tracker = reverse("reviews:tracker")
    page = client.get(tracker).content.decode()
    assert still_open.reference in page and review.reference not in page
    assert '<option value="withdrawn">Withdrawn</option>' in page

    page = client.get(tracker, {"status": "withdrawn"}).content.decode()
    assert "Withdrawn reviews" in page
    assert review.reference in page and still_open.reference not in page
    assert '<strong class="govuk-tag govuk-tag--grey">Withdrawn</strong>' in page
    assert "Overdue" not in page.split('id="tracker-table"')[1].split("</table>")[0]


def test_a_withdrawn_reviews_actions_leave_the_monitoring_list_and_charts_but_stay_on_its_pages(walk, client):
    from reviews import action_progress
    from reviews.monitoring import monitored_actions

    review = walk.at(S.ACTION_PLAN)
    manager, today = walk.cast["manager"], timezone.localdate()
    item = services.action_item_add(
        actor=manager,
        review=review,
        agency=None,
        description="Publish bruising guidance.",
        owner="LSCB business manager",
        due_on=today + 30 * DAY,
    )
    ActionItem.objects.filter(pk=item.pk).update(due_on=today - DAY)

    def seen():
        return (
            item.pk in set(monitored_actions(walk.cast["qa"], today=today).values_list("pk", flat=True)),
            [row.count for row in action_progress.overdue_by_agency(today=today)],
            review.reference in [row.label for row in action_progress.status_by_review()],
            action_progress.reviews_with_outstanding_actions(),
        )

    assert seen() == (True, [1], True, 1)
    _withdraw(walk, review)
    assert seen() == (False, [], False, 0)
    # Kept: the action is still there, and its page still opens for the business manager.
    assert ActionItem.objects.filter(pk=item.pk).exists()
    client.force_login(manager)
    assert client.get(reverse("reviews:action-detail", args=[item.pk])).status_code == 200


def test_the_authors_imr_page_offers_no_more_work_once_withdrawn(walk, review, client):
    imr = IMR.objects.filter(participation__review=review).select_related("author").first()
    client.force_login(imr.author)
    work = [
        reverse("reviews:chronology-entry-add", args=[imr.pk]),
        reverse("reviews:chronology-import", args=[imr.pk]),
        reverse("reviews:interview-add", args=[imr.pk]),
        reverse("reviews:recommendation-add", args=[imr.pk]),
    ]

    def offered():
        page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
        return [url for url in work if f'href="{url}' in page] + ["upload"] * ("Upload a new version" in page)

    assert offered() == [*work, "upload"]
    _withdraw(walk, review)
    assert offered() == []
    assert client.get(reverse("reviews:imr-detail", args=[imr.pk])).status_code == 200


def test_a_withdrawn_reviews_recommendations_take_no_new_themes(walk, review):
    theme = services.theme_add(actor=walk.cast["qa"], name="Hearing the child")
    recommendation = Recommendation.objects.filter(review=review).first()
    _withdraw(walk, review)
    with pytest.raises(ActionNotAllowed) as refused:
        services.recommendation_themes_set(
            actor=walk.cast["manager"], recommendation=recommendation, themes=[theme]
        )
    assert refused.value.reasons == [
        "The review has been withdrawn: its recommendations can no longer be changed."
    ]
    assert recommendation.themes.count() == 0


def test_the_authors_list_and_the_review_page_say_the_review_was_withdrawn(walk, review, client):
    imr = IMR.objects.filter(participation__review=review).select_related("author").first()
    _withdraw(walk, review)
    client.force_login(imr.author)
    rows = parse(client.get(reverse("reviews:imr-list")).content).one("tbody").all("tr")
    assert [row.all("td")[2].text() for row in rows] == ["In progress Review withdrawn"]
    page = parse(client.get(reverse("reviews:review-detail", args=[review.pk])).content)
    days_left = [row for row in page.all(cls="govuk-summary-list__row") if "Days left" in row.text()]
    assert days_left[0].one("dd").text() == "None: the review was withdrawn"
