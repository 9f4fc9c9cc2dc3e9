"""The pages of issue "panel and business manager in the browser": bad input, access and query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from reviews import services
from reviews.models import (
    ActionItem,
    ActionPlan,
    AuditEvent,
    ChronologyEntry,
    Extension,
    Interview,
    InvolvedStaff,
    PanelDecision,
    PoliceAdvice,
    Recommendation,
    Referral,
    Review,
    ReviewState,
)
from reviews.sample_pdf import text_pdf

TODAY = timezone.localdate()


def errors(response) -> list[str]:
    """The messages in the GOV.UK error summary, in order."""
    from html.parser import HTMLParser

    class Summary(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth, self.items, self.inside = 0, [], False

        def handle_starttag(self, tag, attrs):
            classes = dict(attrs).get("class", "")
            if "govuk-error-summary__list" in classes:
                self.inside = True
            if self.inside and tag == "li":
                self.items.append("")

        def handle_endtag(self, tag):
            if tag == "ul":
                self.inside = False

        def handle_data(self, data):
            if self.inside and self.items:
                self.items[-1] += data

    parser = Summary()
    parser.feed(response.content.decode())
    return [" ".join(item.split()) for item in parser.items]


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


# Referral form


@pytest.mark.django_db
def test_empty_referral_is_refused_with_every_message(client, cast):
    client.force_login(cast["referrer"])
    response = client.post(reverse("reviews:referral-create"), {"child_name": ""})
    assert response.status_code == 400
    assert errors(response) == [
        "Enter the child's full name",
        "Enter the date of the incident",
        "Select what happened to the child",
        "Enter a summary of the incident",
        "Select the agencies involved with the child or family",
        "Select whether the police are investigating",
    ]
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dob", "incident", "unborn", "expected"),
    [
        (
            {"child_date_of_birth_day": "14", "child_date_of_birth_year": "2022"},
            date_fields("incident_date", TODAY),
            False,
            ["Child's date of birth must include a month"],
        ),
        (
            {
                "child_date_of_birth_day": "31",
                "child_date_of_birth_month": "2",
                "child_date_of_birth_year": "2022",
            },
            date_fields("incident_date", TODAY),
            False,
            ["Child's date of birth must be a real date"],
        ),
        (
            {
                "child_date_of_birth_day": "x",
                "child_date_of_birth_month": "2",
                "child_date_of_birth_year": "22",
            },
            date_fields("incident_date", TODAY),
            False,
            ["Child's date of birth must be a real date"],
        ),
        (
            date_fields("child_date_of_birth", datetime.date(2022, 1, 1)),
            date_fields("incident_date", TODAY + datetime.timedelta(days=1)),
            False,
            ["Date of the incident must be today or in the past"],
        ),
        (
            date_fields("child_date_of_birth", datetime.date(2022, 1, 1)),
            date_fields("incident_date", TODAY),
            True,
            ["Leave the date of birth empty for an unborn child"],
        ),
    ],
)
def test_referral_dates_are_checked_and_nothing_saved(client, cast, dob, incident, unborn, expected):
    client.force_login(cast["referrer"])
    data = {
        "referring_agency": cast["referrer"].agency_id,
        "child_name": "Sam Taylor",
        "incident_kind": "serious_injury",
        "summary": "Head injury.",
        "agencies_involved": [cast["hospital"].pk],
        "police_investigating": "no",
        **dob,
        **incident,
    }
    if unborn:
        data["child_unborn"] = "on"
    response = client.post(reverse("reviews:referral-create"), data)
    assert (response.status_code, errors(response)) == (400, expected)
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_good_referral_is_logged_and_queues_notification_1(client, cast):
    client.force_login(cast["referrer"])
    data = {
        "referring_agency": cast["referrer"].agency_id,
        "child_name": "Sam Taylor",
        "child_unborn": "on",
        "incident_kind": "other",
        "summary": "Mother's drug use in pregnancy.",
        "agencies_involved": [cast["hospital"].pk],
        "police_investigating": "no",
        **date_fields("incident_date", TODAY),
    }
    response = client.post(reverse("reviews:referral-create"), data)
    referral = Referral.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("reviews:referral-detail", args=[referral.pk]),
    )
    assert (referral.child_unborn, referral.child_date_of_birth, referral.referred_by) == (
        True,
        None,
        cast["referrer"],
    )
    assert referral.notifications.count() == 2


# Panel decision form


def decision_data(**overrides):
    data = {
        **date_fields("held_on", TODAY),
        "outcome": "case",
        "rationale": "Lessons about information sharing.",
        **dict.fromkeys(PanelDecision.CRITERIA, "no"),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_criterion_a_without_scr_needs_justification_on_the_page(client, walk, cast):
    referral = walk.referral()
    client.force_login(cast["chair"])
    response = client.post(
        reverse("reviews:referral-decide", args=[referral.pk]),
        decision_data(criterion_a="yes", attendees=[cast["chair"].pk]),
    )
    assert (response.status_code, errors(response)) == (
        400,
        ["Explain why there is no serious case review when the child died and abuse or neglect is suspected"],
    )
    assert not PanelDecision.objects.exists() and not Review.objects.exists()


@pytest.mark.django_db
def test_empty_decision_lists_each_criterion(client, walk, cast):
    referral = walk.referral()
    client.force_login(cast["chair"])
    response = client.post(reverse("reviews:referral-decide", args=[referral.pk]), {})
    assert errors(response) == [
        "Enter the date of the panel meeting",
        "Select the panel members who attended",
        "Select whether the child died with abuse or neglect known or suspected to be a factor",
        "Select whether the child suffered a potentially life-threatening injury",
        "Select whether the child suffered serious and permanent impairment of health or development",
        "Select whether the child suffered serious sexual abuse",
        "Select whether the child was killed by a parent with a mental illness",
        "Select whether the case raises concerns about how agencies worked together",
        "Select the panel's decision",
        "Enter the panel's rationale",
    ]


@pytest.mark.django_db
def test_decision_with_justification_opens_a_flagged_review(client, walk, cast):
    referral = walk.referral()
    client.force_login(cast["chair"])
    response = client.post(
        reverse("reviews:referral-decide", args=[referral.pk]),
        decision_data(
            criterion_a="yes", attendees=[cast["chair"].pk], criterion_a_justification="Coroner: illness."
        ),
    )
    review = Review.objects.get()
    assert response["Location"] == reverse("reviews:review-detail", args=[review.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Criterion (a) applies" in page and "Coroner: illness." in page


@pytest.mark.django_db
def test_only_the_panel_may_open_the_decision_page(client, walk, cast):
    referral = walk.referral()
    client.force_login(cast["manager"])
    assert client.get(reverse("reviews:referral-decide", args=[referral.pk])).status_code == 403
    client.force_login(cast["author"])
    assert client.get(reverse("reviews:referral-decide", args=[referral.pk])).status_code == 404


# Terms of reference, staff, agencies


@pytest.mark.django_db
def test_tor_period_must_be_in_order(client, walk, cast):
    review = walk.at(ReviewState.TOR_DRAFTING)
    client.force_login(cast["chair"])
    response = client.post(
        reverse("reviews:tor-edit", args=[review.pk]),
        {
            **date_fields("period_start", TODAY - datetime.timedelta(days=3)),
            **date_fields("period_end", TODAY - datetime.timedelta(days=4)),
            "focus_areas": "Was the bruising recognised?",
            "agencies": [cast["hospital"].pk],
        },
    )
    assert errors(response) == ["End of the period under review must be after its start"]
    tor = Review.objects.get(pk=review.pk).terms_of_reference
    assert (tor.period_start, tor.focus_areas.count()) == (None, 0)


@pytest.mark.django_db
def test_tor_saves_ordered_focus_areas(client, walk, cast):
    review = walk.at(ReviewState.TOR_DRAFTING)
    client.force_login(cast["chair"])
    client.post(
        reverse("reviews:tor-edit", args=[review.pk]),
        {
            **date_fields("period_start", datetime.date(2025, 1, 1)),
            **date_fields("period_end", TODAY - datetime.timedelta(days=3)),
            "focus_areas": "Second?\n\nFirst?\n",
            "agencies": [cast["hospital"].pk],
        },
    )
    tor = Review.objects.get(pk=review.pk).terms_of_reference
    assert list(tor.focus_areas.values_list("position", "question")) == [(1, "Second?"), (2, "First?")]
    assert list(review.participations.values_list("agency__name", flat=True)) == ["Leeds Teaching Hospitals"]


@pytest.mark.django_db
def test_duplicate_pseudonym_is_refused(client, walk, cast):
    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    client.force_login(cast["manager"])
    response = client.post(
        reverse("reviews:involved-staff-add", args=[review.pk]),
        {
            "agency": cast["hospital"].pk,
            "role_title": "Nurse",
            "pseudonym": "health visitor 1",
            "real_name": "A N Other",
        },
    )
    assert errors(response) == ["The pseudonym “health visitor 1” is already used in this review"]
    assert InvolvedStaff.objects.filter(review=review).count() == 2


@pytest.mark.django_db
def test_nominating_involved_staff_as_author_is_refused_with_the_reason(client, walk, cast):
    review = walk.at(ReviewState.AGENCIES_ENGAGED)
    author = cast["author"]
    InvolvedStaff.objects.filter(review=review, pseudonym="Health Visitor 1").update(
        real_name=author.get_full_name()
    )
    participation = review.participations.get(agency=cast["hospital"])
    client.force_login(cast["agencymanager"])
    response = client.post(
        reverse("reviews:participation-nominate", args=[review.pk, participation.pk]), {"author": author.pk}
    )
    assert errors(response) == [
        "Grace Adeyemi is recorded as staff involved in this case (Health Visitor 1), so cannot be an author: "
        "choose someone with no direct involvement."
    ]
    assert not hasattr(review.participations.get(pk=participation.pk), "imr")


@pytest.mark.django_db
def test_files_secured_needs_a_location(client, walk, cast):
    review = walk.at(ReviewState.AGENCIES_ENGAGED)
    participation = review.participations.get(agency=cast["hospital"])
    client.force_login(cast["agencymanager"])
    url = reverse("reviews:participation-secure-files", args=[review.pk, participation.pk])
    response = client.post(url, {"originals_location": " "})
    assert errors(response) == [
        "Enter where the original case files are locked away",
        "Select whether copies were made so that work with the family can continue",
    ]
    assert review.participations.get(pk=participation.pk).files_secured_at is None


@pytest.mark.django_db
def test_agency_manager_cannot_engage_another_agency(client, walk, cast):
    review = walk.at(ReviewState.AGENCIES_ENGAGED)
    police = review.participations.get(agency=cast["police"])
    client.force_login(cast["agencymanager"])
    assert (
        client.get(reverse("reviews:participation-secure-files", args=[review.pk, police.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("reviews:participation-nominate", args=[review.pk, police.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_unticked_declaration_is_refused(client, walk, cast):
    review = walk.at(ReviewState.AGENCIES_ENGAGED)
    participation = review.participations.get(agency=cast["hospital"])
    imr = services.imr_nominate_author(
        actor=cast["agencymanager"], participation=participation, author=cast["author"]
    )
    client.force_login(cast["author"])
    response = client.post(reverse("reviews:imr-declaration", args=[imr.pk]), {})
    assert errors(response) == ["Confirm the declaration to sign it"]
    imr.refresh_from_db()
    assert imr.declaration_signed_at is None
    client.force_login(cast["author2"])
    assert client.get(reverse("reviews:imr-declaration", args=[imr.pk])).status_code == 404


# Moves, extensions, police advice


@pytest.mark.django_db
def test_blocked_move_shows_reasons_and_changes_nothing(client, walk, cast):
    review = walk.at(ReviewState.AGENCIES_ENGAGED)
    client.force_login(cast["manager"])
    url = reverse("reviews:review-move", args=[review.pk, "start_imrs"])
    page = client.get(url).content.decode()
    assert "Leeds Teaching Hospitals has not nominated an IMR author." in page
    response = client.post(url, {"note": ""})
    assert response.status_code == 400
    assert "Leeds Teaching Hospitals has not nominated an IMR author." in errors(response)
    assert Review.objects.get(pk=review.pk).state == ReviewState.AGENCIES_ENGAGED


@pytest.mark.django_db
def test_moves_need_post_and_the_right_person(client, walk, cast):
    review = walk.ready(walk.at(ReviewState.TOR_AGREED))
    url = reverse("reviews:review-move", args=[review.pk, "engage_agencies"])
    client.force_login(cast["manager"])
    assert client.get(url).status_code == 200
    assert Review.objects.get(pk=review.pk).state == ReviewState.TOR_AGREED
    client.force_login(cast["board"])
    assert client.post(url).status_code == 404
    assert Review.objects.get(pk=review.pk).state == ReviewState.TOR_AGREED
    client.force_login(cast["manager"])
    assert client.post(url, {"note": "Letters sent."}).status_code == 302
    assert Review.objects.get(pk=review.pk).state == ReviewState.AGENCIES_ENGAGED


@pytest.mark.django_db
def test_extension_page_refuses_an_earlier_date(client, walk, cast):
    review = walk.at(ReviewState.TOR_DRAFTING)
    client.force_login(cast["manager"])
    response = client.post(
        reverse("reviews:review-extend", args=[review.pk]),
        {
            **date_fields("new_due_date", review.due_date),
            "reason": "Waiting for the police.",
            "agreed_by": "Chair",
        },
    )
    assert errors(response) == [
        f"The new due date must be after the current one, {review.due_date:%-d %B %Y}"
    ]
    page = response.content.decode()
    assert 'href="#id_new_due_date_day"' in page
    assert 'govuk-input--width-2 govuk-input--error" id="id_new_due_date_day"' in page
    assert not Extension.objects.exists()


@pytest.mark.django_db
def test_police_advice_shows_on_every_page_of_the_review(client, walk, cast):
    review = walk.at(ReviewState.AGENCIES_ENGAGED, police_investigating=True)
    client.force_login(cast["manager"])
    response = client.post(
        reverse("reviews:police-advice-add", args=[review.pk]),
        {
            **date_fields("given_on", TODAY),
            "source": "SIO",
            "advice": "Do not discuss the night of the admission.",
        },
    )
    assert response.status_code == 302
    for url in [
        reverse("reviews:review-detail", args=[review.pk]),
        reverse("reviews:review-extend", args=[review.pk]),
        reverse("reviews:review-move", args=[review.pk, "start_imrs"]),
    ]:
        assert "Do not discuss the night of the admission." in client.get(url).content.decode(), url
    response = client.post(
        reverse("reviews:police-advice-add", args=[review.pk]), {"source": "", "advice": ""}
    )
    assert errors(response) == [
        "Enter the date the advice was given",
        "Enter who gave the advice",
        "Enter the advice",
    ]
    assert PoliceAdvice.objects.count() == 1


# Access to the pages


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "tracker", "review"),
    [
        ("manager", 200, 200),
        ("chair", 200, 200),
        ("board", 200, 200),
        ("qa", 200, 200),
        ("author", 200, 404),
        ("referrer", 404, 404),
        ("agencymanager", 200, 200),
        ("overview", 200, 404),
    ],
)
def test_tracker_and_review_by_role(client, walk, cast, who, tracker, review):
    """The tracker lists exactly the open reviews the person may open; a referrer has no tracker."""
    item = walk.at(ReviewState.TOR_AGREED)
    client.force_login(cast[who])
    response = client.get(reverse("reviews:tracker"))
    assert response.status_code == tracker
    if tracker == 200:
        assert [row.review for row in response.context["rows"]] == ([item] if review == 200 else [])
    assert client.get(reverse("reviews:review-detail", args=[item.pk])).status_code == review


@pytest.mark.django_db
def test_review_page_names_staff_by_pseudonym_only(client, walk, cast):
    review = walk.at(ReviewState.TOR_AGREED)
    for who in ["manager", "chair", "board", "qa", "agencymanager"]:
        client.force_login(cast[who])
        page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
        assert "Health Visitor 1" in page and "Sandra Bell" not in page, who


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("manager", 200),
        ("chair", 200),
        ("author", 200),
        ("author2", 200),
        ("overview", 404),
        ("board", 404),
        ("qa", 404),
        ("agencymanager", 404),
        ("referrer", 404),
    ],
)
def test_identity_register_is_for_the_few_and_every_view_is_audited(client, walk, cast, who, status):
    review = walk.ready(walk.at(ReviewState.AGENCIES_ENGAGED))
    client.force_login(cast[who])
    response = client.get(reverse("reviews:identity-register", args=[review.pk]))
    assert response.status_code == status
    assert ("Sandra Bell" in response.content.decode()) is (status == 200)
    views = AuditEvent.objects.filter(action="viewed", object_type="reviews.review", review=review)
    assert list(views.values_list("actor__username", flat=True)) == ([who] if status == 200 else [])


@pytest.mark.django_db
def test_tor_pdf(client, walk, cast, django_capture_on_commit_callbacks):
    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    client.force_login(cast["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:tor-pdf-page", args=[review.pk]))
    response = client.get(reverse("reviews:tor-pdf", args=[review.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(cast["referrer"])
    assert client.get(reverse("reviews:tor-pdf", args=[review.pk])).status_code == 404


# Queries do not grow with rows


def _grow_review(review, walk, n):
    cast = walk.cast
    for i in range(n):
        services.police_advice_record(
            actor=cast["manager"], review=review, given_on=TODAY, source=f"SIO {i}", advice="No."
        )
        services.involved_staff_add(
            actor=cast["manager"],
            review=review,
            agency=cast["hospital"],
            pseudonym=f"Nurse {i}",
            real_name=f"Ann Person{i}",
            role_title="Nurse",
        )
        services.review_extend(
            actor=cast["manager"],
            review=review,
            new_due_date=review.current_due_date + datetime.timedelta(days=i + 1),
            reason="More time.",
            agreed_by="Chair",
        )
        StateLog.objects.create(
            content_object=review,
            source_state="tor_drafting",
            state="tor_agreed",
            transition="agree_terms_of_reference",
            by=cast["chair"],
        )
        services.support_meeting_record(actor=cast["manager"], review=review, kind="other", held_on=TODAY)
    review.refresh_from_db()


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 49])
def test_review_page_queries_do_not_grow(client, walk, cast, django_assert_max_num_queries, extra):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS, police_investigating=True)
    _grow_review(review, walk, extra + 1)
    client.force_login(cast["manager"])
    # 21, and the review's first e-mails and their count for the business manager.
    with django_assert_max_num_queries(23):
        response = client.get(reverse("reviews:review-detail", args=[review.pk]))
    assert response.status_code == 200
    # Each piece of advice in the history, and the current one again in the banner.
    assert response.content.decode().count("SIO ") == extra + 2


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 49])
def test_imr_page_queries_do_not_grow(client, walk, cast, django_assert_max_num_queries, extra):
    """Contacts, interviews, report versions, recommendations and their actions: the same queries for 1 or 50."""
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    author = cast["author"]
    imr = services.imr_move(
        actor=author, imr=review.participations.get(agency=cast["hospital"]).imr, move="start"
    )
    count = extra + 1
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            imr=imr,
            date=TODAY - datetime.timedelta(days=i),
            contact_type="home visit",
            with_whom="mother",
            practitioner="Health Visitor 1",
            summary=f"Visit {i}.",
        )
        for i in range(count)
    )
    staff = review.involved_staff.filter(agency=cast["hospital"]).first()
    Interview.objects.bulk_create(
        Interview(imr=imr, staff=staff, held_on=TODAY, tor_shared_on=TODAY) for _ in range(count)
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(review=review, imr=imr, number=n, text=f"Recommendation text {n}.")
        for n in range(1, count + 1)
    )
    plan = ActionPlan.objects.create(review=review, agency=cast["hospital"])
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan, recommendation=r, description=f"Action {r.number}.", owner="Named nurse", due_on=TODAY
        )
        for r in recommendations
    )
    for n in range(min(count, 3)):
        services.imr_report_upload(
            actor=author, imr=imr, content=text_pdf(f"Report {n}"), filename="report.pdf"
        )
    client.force_login(author)
    # One of them reads every recommendation's themes at once.
    with django_assert_max_num_queries(27):
        response = client.get(reverse("reviews:imr-detail", args=[imr.pk]))
    page = response.content.decode()
    # The IMR page counts the contacts; the chronology's own page lists them, 50 a page.
    assert f"{count} contact{'s' if count > 1 else ''} on the standard template" in page
    assert len(re.findall(r'">Action \d+\.</a></td>', page)) == count
    assert f"all {min(count, 3)} version" in page
    shown = min(count, 20)
    assert page.count(f'<td class="govuk-table__cell">{staff.pseudonym}</td>') == shown


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 50])
def test_tracker_queries_do_not_grow(client, walk, cast, django_assert_max_num_queries, count):
    for _ in range(count):
        walk.decided("scr")
    client.force_login(cast["manager"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reviews:tracker"), {"sort": "status"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == count


@pytest.mark.django_db
def test_tracker_filters_and_sorts(client, walk, cast):
    scr = walk.at(ReviewState.TOR_AGREED)
    case = walk.decided("case")
    client.force_login(cast["manager"])
    rows = client.get(reverse("reviews:tracker"), {"type": "case"}).context["rows"]
    assert [row.review for row in rows] == [case]
    rows = client.get(reverse("reviews:tracker"), {"stage": "tor_agreed"}).context["rows"]
    assert [row.review for row in rows] == [scr]
    rows = client.get(reverse("reviews:tracker"), {"sort": "reference", "order": "desc"}).context["rows"]
    assert [row.review.reference for row in rows] == sorted([scr.reference, case.reference], reverse=True)
    rows = client.get(reverse("reviews:tracker"), {"status": "red", "sort": "nonsense"}).context["rows"]
    assert rows == []


@pytest.mark.django_db
def test_business_manager_marks_notification_1_sent_from_the_referral(client, walk, cast):
    referral = walk.referral()
    notification = referral.notifications.get(body__name="Ofsted")
    url = reverse("reviews:notification-sent", args=[notification.pk])
    client.force_login(cast["chair"])
    assert client.post(url).status_code == 404
    client.force_login(cast["manager"])
    # While its e-mail is on its way, the outbox is the record: marking it by hand is refused.
    refused = client.post(url, follow=True).content.decode()
    assert "goes by e-mail (queued): the outbox records when it went." in refused
    notification.refresh_from_db()
    assert notification.status == "queued"
    # Once the e-mail has failed, the business manager may send it another way and record that.
    notification.message.status = "failed"
    notification.message.save(update_fields=["status"])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert (
        "Confirm that you sent notification “1. Referral will go to the panel” to Ofsted (ofsted@example.org)."
        in (confirm.content.decode())
    )
    notification.refresh_from_db()
    assert notification.status == "queued"
    response = client.post(url)
    assert response["Location"] == reverse("reviews:referral-detail", args=[referral.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.sent_by) == ("sent", cast["manager"])
    response = client.post(url, follow=True)
    assert "was already sent" in response.content.decode()
