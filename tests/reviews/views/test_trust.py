"""What people must be able to trust: bounded input, corrections that keep the record, the activity log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import (
    AuditEvent,
    InvolvedStaff,
    InvolvedStaffRevision,
    Notification,
    OutboxMessage,
    PanelDecision,
    PanelDecisionRevision,
    Referral,
    Review,
    ReviewState,
    StaffSupportMeeting,
)

S = ReviewState
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def errors(response):
    return [str(e) for form_errors in response.context["form"].errors.values() for e in form_errors]


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def referral_post(cast, **overrides):
    incident = TODAY - 3 * DAY
    return {
        "child_name": "Ellie Carter",
        **date_fields("child_date_of_birth", datetime.date(2024, 2, 29)),
        **date_fields("incident_date", incident),
        "incident_kind": "serious_injury",
        "summary": "Admitted with a fractured skull.",
        "agencies_involved": [cast["hospital"].pk],
        "police_investigating": "no",
        **overrides,
    }


# Bounded input: every typed date and text has its range, said in the message.


@pytest.mark.django_db
def test_a_huge_number_in_a_date_box_is_not_a_real_date(client, cast):
    client.force_login(cast["referrer"])
    response = client.post(
        reverse("reviews:referral-create"), referral_post(cast, incident_date_day="99999999999999999999")
    )
    assert response.status_code == 400
    assert errors(response) == ["Date of the incident must be a real date"]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_a_date_of_birth_after_the_incident_is_refused(client, cast):
    client.force_login(cast["referrer"])
    response = client.post(
        reverse("reviews:referral-create"),
        referral_post(cast, **date_fields("child_date_of_birth", TODAY - DAY)),
    )
    assert errors(response) == [
        f"Child's date of birth must be on or before the date of the incident, {TODAY - 3 * DAY:%-d %B %Y}"
    ]
    response = client.post(
        reverse("reviews:referral-create"),
        referral_post(cast, **date_fields("child_date_of_birth", datetime.date(1989, 12, 31))),
    )
    assert errors(response) == ["Child's date of birth must be on or after 1 January 1990"]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_a_referral_submitted_twice_asks_before_logging_another(client, cast):
    client.force_login(cast["referrer"])
    url = reverse("reviews:referral-create")
    assert client.post(url, referral_post(cast)).status_code == 302
    first = Referral.objects.get()
    again = client.post(url, referral_post(cast))
    assert again.status_code == 400
    received = timezone.localtime(first.received_at)
    assert errors(again) == [
        f"Beeston Primary School logged a referral for Ellie Carter on {received:%-d %B %Y at %H:%M} "
        f"({first.reference}). "
        "If this is a different referral, confirm you want to log another"
    ]
    assert 'name="log_another"' in again.content.decode()
    assert Referral.objects.count() == 1
    assert client.post(url, referral_post(cast, log_another="on")).status_code == 302
    assert Referral.objects.count() == 2


@pytest.mark.django_db
def test_a_referral_is_logged_in_the_referrers_own_agency(client, cast):
    client.force_login(cast["referrer"])
    client.post(reverse("reviews:referral-create"), referral_post(cast, referring_agency=cast["police"].pk))
    assert Referral.objects.get().referring_agency == cast["referrer"].agency


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["chair", "panel", "manager"])
def test_only_referrers_log_referrals(client, cast, who):
    client.force_login(cast[who])
    assert client.post(reverse("reviews:referral-create"), referral_post(cast)).status_code == 403
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_an_extension_to_9999_is_refused_with_the_range(client, walk):
    review = walk.at(S.TOR_DRAFTING)
    client.force_login(walk.cast["manager"])
    response = client.post(
        reverse("reviews:review-extend", args=[review.pk]),
        {
            **date_fields("new_due_date", datetime.date(9999, 12, 31)),
            "reason": "Police.",
            "agreed_by": "Chair",
        },
    )
    latest = review.due_date.replace(year=review.due_date.year + 3)
    assert errors(response) == [
        f"New due date must be on or before the date 3 years after the current due date, {latest:%-d %B %Y}"
    ]
    assert Review.objects.get(pk=review.pk).current_due_date == review.due_date
    assert client.get(reverse("reviews:tracker")).status_code == 200


@pytest.mark.django_db
def test_a_308_character_email_is_refused_not_a_500(client, walk):
    review = walk.at(S.TOR_DRAFTING)
    client.force_login(walk.cast["manager"])
    response = client.post(
        reverse("reviews:involved-staff-add", args=[review.pk]),
        {
            "agency": walk.cast["hospital"].pk,
            "role_title": "Midwife",
            "pseudonym": "Midwife 1",
            "real_name": "Jo Bloggs",
            "email": "a" * 296 + "@example.org",
        },
    )
    assert response.status_code == 400
    assert "Email address must be 254 characters or fewer" in errors(response)
    assert not InvolvedStaff.objects.filter(pseudonym="Midwife 1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("pseudonym", ["Grace Adeyemi", "Nurse Grace", "adeyemi 1"])
def test_a_pseudonym_with_any_part_of_the_name_is_refused(client, walk, pseudonym):
    review = walk.at(S.TOR_DRAFTING)
    client.force_login(walk.cast["manager"])
    response = client.post(
        reverse("reviews:involved-staff-add", args=[review.pk]),
        {
            "agency": walk.cast["hospital"].pk,
            "role_title": "Nurse",
            "pseudonym": pseudonym,
            "real_name": "Grace Adeyemi",
        },
    )
    assert errors(response) == [
        "The pseudonym must not contain any part of the person's name: use their role and a number, "
        "for example “Health Visitor 1”"
    ]
    assert not review.involved_staff.exists()


@pytest.mark.django_db
def test_a_decision_with_no_attendees_is_refused(walk):
    referral = walk.referral()
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.referral_decide(
            actor=walk.cast["chair"],
            referral=referral,
            held_on=TODAY,
            attendees=[],
            criteria=dict.fromkeys(PanelDecision.CRITERIA, False),
            outcome="none",
            rationale="No lessons.",
        )
    assert refused.value.by_field() == {"attendees": ["Select the panel members who attended"]}
    assert not PanelDecision.objects.exists()


@pytest.mark.django_db
def test_a_tor_period_ending_after_the_referral_is_refused(client, walk):
    review = walk.at(S.TOR_DRAFTING)
    client.force_login(walk.cast["chair"])
    received = timezone.localdate(review.referral.received_at)
    response = client.post(
        reverse("reviews:tor-edit", args=[review.pk]),
        {
            **date_fields("period_start", TODAY - 300 * DAY),
            **date_fields("period_end", TODAY + DAY),
            "focus_areas": "Was the bruise recognised?",
            "agencies": [walk.cast["hospital"].pk],
        },
    )
    assert errors(response) == [
        f"End of the period under review must be on or before the day the referral was received, "
        f"{received:%-d %B %Y}"
    ]
    assert Review.objects.get(pk=review.pk).terms_of_reference.period_end is None


@pytest.mark.django_db
def test_the_end_support_meeting_waits_for_the_imrs(walk):
    review = walk.at(S.IMRS_IN_PROGRESS)
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.support_meeting_record(
            actor=walk.cast["manager"], review=review, kind=StaffSupportMeeting.Kind.END, held_on=TODAY
        )
    assert refused.value.by_field() == {
        "kind": [
            "The meeting at the end of the review is held once the IMRs are submitted: "
            "record this one as during the review"
        ]
    }


# Corrections keep the record.


@pytest.mark.django_db
def test_correcting_staff_keeps_the_earlier_values(client, walk):
    review = walk.ready(walk.at(S.TOR_DRAFTING))
    staff = review.involved_staff.get(pseudonym="Health Visitor 1")
    client.force_login(walk.cast["manager"])
    response = client.post(
        reverse("reviews:involved-staff-correct", args=[review.pk, staff.pk]),
        {
            "agency": walk.cast["hospital"].pk,
            "role_title": "Health visitor",
            "pseudonym": "Health Visitor 1",
            "real_name": "Sandra Belle",
            "email": "",
            "reason": "Surname misspelt.",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.real_name == "Sandra Belle"
    revision = InvolvedStaffRevision.objects.get(staff=staff)
    assert (revision.real_name, revision.reason, revision.corrected_by) == (
        "Sandra Bell",
        "Surname misspelt.",
        walk.cast["manager"],
    )
    assert AuditEvent.objects.filter(review=review, action="corrected", object_id=str(staff.pk)).count() == 1


@pytest.mark.django_db
def test_withdrawing_a_wrong_entry_frees_the_author_it_blocked(walk, second_hospital_author):
    review = walk.ready(walk.at(S.TOR_DRAFTING))
    wrong = services.involved_staff_add(
        actor=walk.cast["manager"],
        review=review,
        agency=walk.cast["hospital"],
        pseudonym="Nurse 2",
        real_name="Nina Patel",
        role_title="Nurse",
    )
    review = walk.move(walk.move(review))
    participation = review.participations.get(agency=walk.cast["hospital"])
    with pytest.raises(services.ActionNotAllowed):
        services.imr_nominate_author(
            actor=walk.cast["agencymanager"], participation=participation, author=second_hospital_author
        )
    services.involved_staff_withdraw(
        actor=walk.cast["manager"], staff=wrong, reason="Never worked on the case."
    )
    imr = services.imr_nominate_author(
        actor=walk.cast["agencymanager"], participation=participation, author=second_hospital_author
    )
    assert imr.author == second_hospital_author
    wrong.refresh_from_db()
    assert (wrong.is_withdrawn, wrong.withdrawn_reason) == (True, "Never worked on the case.")


@pytest.mark.django_db
def test_the_panel_corrects_its_decision_and_the_original_is_kept(client, walk):
    review = walk.decided("case")
    client.force_login(walk.cast["chair"])
    response = client.post(
        reverse("reviews:referral-decision-correct", args=[review.referral_id]),
        {
            **{name: "yes" if name == "criterion_b" else "no" for name in PanelDecision.CRITERIA},
            "outcome": "scr",
            "rationale": "The injury was life-threatening.",
            "reason": "Recorded as a case review by mistake.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.review_type == "scr"
    revision = PanelDecisionRevision.objects.get()
    assert (revision.outcome, revision.reason) == ("case", "Recorded as a case review by mistake.")


@pytest.mark.django_db
def test_a_decision_cannot_be_corrected_once_at_the_board(walk):
    review = walk.at(S.AT_BOARD)
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.referral_decision_correct(
            actor=walk.cast["chair"],
            decision=review.referral.decision,
            criteria=dict.fromkeys(PanelDecision.CRITERIA, False),
            outcome="scr",
            rationale="x",
            reason="y",
        )
    assert refused.value.reasons == [
        f"{review} has reached the board: the panel's decision can no longer be corrected."
    ]


@pytest.mark.django_db
def test_mark_as_sent_is_confirmed_and_can_be_undone(client, walk):
    notification = walk.referral().notifications.get(body__name="Ofsted")
    # Its e-mail failed: the business manager sent it another way, and records that.
    OutboxMessage.objects.filter(notification=notification).update(status="failed", attempts=6)
    client.force_login(walk.cast["manager"])
    sent_url = reverse("reviews:notification-sent", args=[notification.pk])
    assert client.get(sent_url).status_code == 200
    assert Notification.objects.get(pk=notification.pk).status == "queued"
    client.post(sent_url)
    undo_url = reverse("reviews:notification-undo", args=[notification.pk])
    response = client.post(undo_url, {"note": ""})
    assert errors(response) == ["Say why the notification was not sent after all"]
    client.post(undo_url, {"note": "The e-mail bounced."})
    notification.refresh_from_db()
    assert (notification.status, notification.sent_at, notification.sent_by) == ("queued", None, None)
    assert (
        AuditEvent.objects.filter(action="undone", object_id=str(notification.pk))
        .get()
        .summary.endswith(": The e-mail bounced.")
    )


@pytest.mark.django_db
def test_closing_the_police_investigation_asks_first(client, walk):
    review = walk.decided(police_investigating=True)
    client.force_login(walk.cast["manager"])
    url = reverse("reviews:police-investigation", args=[review.pk])
    page = client.get(url)
    assert "Mark the police investigation closed?" in page.content.decode()
    assert Review.objects.get(pk=review.pk).police_investigation_open is True
    assert 'name="open" value="no"' in page.content.decode()
    client.post(url, {"open": "no"})
    assert Review.objects.get(pk=review.pk).police_investigation_open is False
    # The same confirmation posted again (a second tab, a double click) does not open it again.
    again = client.post(url, {"open": "no"})
    assert errors(again) == ["The police investigation is already marked closed."]
    assert Review.objects.get(pk=review.pk).police_investigation_open is False


# The activity log, and who sees what.


@pytest.mark.django_db
def test_the_activity_log_lists_the_reviews_rows_and_denied_attempts(client, walk):
    review = walk.at(S.IMRS_IN_PROGRESS)
    police_imr = review.participations.get(agency=walk.cast["police"]).imr
    client.force_login(walk.cast["author"])
    assert client.get(reverse("reviews:imr-detail", args=[police_imr.pk])).status_code == 404
    client.force_login(walk.cast["chair"])
    url = reverse("reviews:review-activity", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200
    rows = list(page.context["page"].object_list)
    looked = AuditEvent.objects.get(review=review, summary=f"Viewed the activity log of {review}")
    assert rows == list(AuditEvent.objects.filter(review=review, pk__lt=looked.pk).order_by("at", "pk")[:50])
    denied = client.get(url, {"kind": "denied"}).context["page"].object_list
    assert [(e.actor, e.summary) for e in denied] == [(walk.cast["author"], f"Tried to open {police_imr}")]
    client.force_login(walk.cast["agencymanager"])
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(
        review=review,
        action="denied",
        actor=walk.cast["agencymanager"],
        summary__startswith="Tried to open the activity",
    ).exists()


@pytest.mark.django_db
def test_the_agreed_tor_pdf_is_frozen_and_a_draft_says_so(client, walk, django_capture_on_commit_callbacks):
    review = walk.ready(walk.at(S.TOR_DRAFTING))
    client.force_login(walk.cast["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:tor-pdf-page", args=[review.pk]))
    draft = b"".join(client.get(reverse("reviews:tor-pdf", args=[review.pk])).streaming_content)
    assert draft.startswith(b"%PDF-")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_move(actor=walk.cast["chair"], review=review, move="agree_terms_of_reference")
    agreed = client.get(reverse("reviews:tor-pdf", args=[review.pk])).content
    services.review_extend(
        actor=walk.cast["manager"],
        review=review,
        new_due_date=review.due_date + 30 * DAY,
        reason="Police.",
        agreed_by="Chair",
    )
    assert client.get(reverse("reviews:tor-pdf", args=[review.pk])).content == agreed
    assert draft != agreed


@pytest.mark.django_db
def test_the_referrer_learns_the_outcome_not_the_review(client, walk):
    review = walk.decided()
    client.force_login(walk.cast["referrer"])
    page = client.get(reverse("reviews:referral-detail", args=[review.referral_id])).content.decode()
    assert "The panel decided on" in page and "serious case review" in page
    assert reverse("reviews:review-detail", args=[review.pk]) not in page


@pytest.mark.django_db
def test_a_board_return_note_is_shown_only_to_those_who_see_the_report(client, walk):
    # Back with its author, the report is the panel's and the author's; the board sees it again at the board.
    review = walk.at(S.AT_BOARD)
    services.review_move(
        actor=walk.cast["board"], review=review, move="board_return", note="Say more on supervision."
    )
    for who, shown in [
        ("chair", True),
        ("overview", True),
        ("board", False),
        ("agencymanager", False),
        ("author", False),
        ("qa", False),
    ]:
        client.force_login(walk.cast[who])
        page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
        assert ("Say more on supervision." in page) is shown, who


@pytest.mark.django_db
def test_moves_keep_their_capitals_and_a_management_review_is_never_offered_ofsted(client, walk):
    review = walk.ready(walk.at(S.ACTION_PLAN, "management"))
    client.force_login(walk.cast["manager"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert "Send the report and action plan to Ofsted and GOL" not in page
    response = client.post(
        reverse("reviews:review-move", args=[review.pk, "prepare_executive_summary"]),
        {"note": ""},
        follow=True,
    )
    assert "Done: Prepare the executive summary." in response.content.decode()


@pytest.mark.django_db
def test_the_boards_return_button_is_a_warning(client, walk):
    review = walk.at(S.AT_BOARD)
    client.force_login(walk.cast["board"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    url = reverse("reviews:review-move", args=[review.pk, "board_return"])
    assert f'class="govuk-button govuk-button--warning" href="{url}"' in page


@pytest.mark.django_db
def test_a_refused_decision_leaves_no_panel_meeting_behind(client, walk):
    from reviews.models import PanelMeeting

    referral = walk.referral()
    client.force_login(walk.cast["chair"])
    response = client.post(
        reverse("reviews:referral-decide", args=[referral.pk]),
        {
            **date_fields("held_on", TODAY),
            "attendees": [walk.cast["chair"].pk],
            **{name: "yes" if name == "criterion_a" else "no" for name in PanelDecision.CRITERIA},
            "outcome": "case",
            "rationale": "Lessons for two agencies.",
            "criterion_a_justification": "",
        },
    )
    assert errors(response) == [
        "Explain why there is no serious case review when the child died and abuse or neglect is suspected"
    ]
    assert (PanelMeeting.objects.count(), PanelDecision.objects.count(), Review.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_an_imr_waits_for_the_business_manager_to_start_the_imrs(walk):
    review = walk.ready(walk.at(S.AGENCIES_ENGAGED))
    imr = review.participations.get(agency=walk.cast["hospital"]).imr
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.imr_move(actor=walk.cast["author"], imr=imr, move="start")
    assert refused.value.reasons == [
        f"The business manager has not started the IMRs of {review} yet: they start once every agency "
        "has secured its files and its author has signed the declaration."
    ]
    walk.move(review)
    assert services.imr_move(actor=walk.cast["author"], imr=imr, move="start").state == "in_progress"


@pytest.mark.django_db
def test_deciding_twice_shows_the_decision_already_recorded(client, walk):
    review = walk.decided()
    client.force_login(walk.cast["chair"])
    response = client.post(reverse("reviews:referral-decide", args=[review.referral_id]), {}, follow=True)
    assert response.redirect_chain == [(reverse("reviews:referral-detail", args=[review.referral_id]), 302)]
    page = response.content.decode()
    assert f"The panel&#x27;s decision on {review.referral.reference} is already recorded." in page
    assert "Potentially life-threatening injury." in page  # the rationale recorded
    assert PanelDecision.objects.count() == 1


@pytest.mark.django_db
def test_the_earlier_decision_is_shown_whole_and_the_log_says_what_changed(client, walk):
    review = walk.decided("case")
    services.referral_decision_correct(
        actor=walk.cast["chair"],
        decision=review.referral.decision,
        criteria={name: name in ("criterion_b", "criterion_c") for name in PanelDecision.CRITERIA},
        outcome="scr",
        rationale="Life-threatening injury with lasting harm.",
        reason="Recorded as a case review by mistake.",
    )
    row = AuditEvent.objects.get(action="corrected")
    assert row.summary == (
        f"{review.referral}: decision corrected (Case review to Serious case review; "
        "criterion (c) now applies; rationale rewritten)"
    )
    client.force_login(walk.cast["manager"])
    page = client.get(reverse("reviews:referral-detail", args=[review.referral_id])).content.decode()
    assert "Potentially life-threatening injury." in page  # the original rationale, kept
    assert "Life-threatening injury with lasting harm." in page
    assert "Recorded as a case review by mistake." in page


@pytest.mark.django_db
def test_the_activity_log_pages_with_numbers_and_keeps_its_filter(client, walk):
    review = walk.decided()
    for n in range(60):
        services.confidential_view_record(
            actor=walk.cast["chair"], obj=review, review=review, summary=f"Look {n}"
        )
    client.force_login(walk.cast["manager"])
    url = reverse("reviews:review-activity", args=[review.pk])
    page = client.get(url, {"kind": "viewed", "page": 2})
    assert [e.summary for e in page.context["page"].object_list] == [f"Look {n}" for n in range(50, 60)]
    html = page.content.decode()
    assert 'href="?kind=viewed&amp;page=1"' in html and 'aria-current="page">2</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pseudonym",
    [
        "Nurse Sandra_Bell",
        "SandraBell Nurse",
        "Nurse S\u200bandra",
        "\uff33\uff41\uff4e\uff44\uff52\uff41 Nurse",
        "Nurse BELL",
    ],
)
def test_a_name_disguised_in_a_pseudonym_is_still_refused(walk, pseudonym):
    review = walk.at(S.TOR_DRAFTING)
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.involved_staff_add(
            actor=walk.cast["manager"],
            review=review,
            agency=walk.cast["hospital"],
            pseudonym=pseudonym,
            real_name="Sandra Bell",
            role_title="Nurse",
        )
    assert list(refused.value.by_field()) == ["pseudonym"]


@pytest.mark.django_db
def test_invisible_text_is_no_answer(client, walk):
    review = walk.ready(walk.at(S.TOR_DRAFTING))
    staff = review.involved_staff.first()
    client.force_login(walk.cast["manager"])
    response = client.post(
        reverse("reviews:involved-staff-withdraw", args=[review.pk, staff.pk]),
        {"reason": "\u200b\u200e \u2060"},
    )
    assert errors(response) == ["Enter the reason"]
    assert not InvolvedStaff.objects.filter(withdrawn_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_choice_beyond_any_key_is_refused_not_a_500(client, cast):
    client.force_login(cast["referrer"])
    response = client.post(
        reverse("reviews:referral-create"), referral_post(cast, agencies_involved=["99999999999999999999999"])
    )
    assert response.status_code == 400
    assert errors(response) == ["“99999999999999999999999” is not a valid value."]


@pytest.mark.django_db
def test_another_agencys_referral_is_no_duplicate(walk, hospital):
    from agencies.roles import Role
    from tests.factories import UserFactory

    walk.referral()
    hospital_lead = UserFactory(username="lead", agency=hospital, roles=[Role.REFERRER])
    referral = services.referral_log(
        actor=hospital_lead,
        child_name="ellie carter",
        child_date_of_birth=datetime.date(2024, 2, 29),
        child_unborn=False,
        family_members="",
        incident_date=TODAY - 3 * DAY,
        incident_kind="serious_injury",
        summary="Seen in the emergency department.",
        agencies_involved=[hospital],
        police_investigating=False,
    )
    assert referral.referring_agency == hospital


@pytest.mark.django_db
def test_the_terms_of_reference_take_at_most_30_focus_areas(walk):
    review = walk.at(S.TOR_DRAFTING)
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.tor_update(
            actor=walk.cast["chair"],
            review=review,
            period_start=TODAY - 300 * DAY,
            period_end=TODAY - 3 * DAY,
            focus_areas=[f"Question {n}?" for n in range(31)],
            agencies=[walk.cast["hospital"]],
        )
    assert refused.value.by_field() == {"focus_areas": ["Enter at most 30 focus areas, one per line"]}


@pytest.mark.django_db
def test_the_agency_manager_sees_their_agencys_work_among_the_next_steps(client, walk):
    review = walk.at(S.AGENCIES_ENGAGED)
    client.force_login(walk.cast["agencymanager"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk]))
    assert [p.agency for p in page.context["engagement_due"]] == [walk.cast["hospital"]]
    assert "Nothing for you to move at this stage." not in page.content.decode()
    walk.ready(review)
    page = client.get(reverse("reviews:review-detail", args=[review.pk]))
    assert page.context["engagement_due"] == []
