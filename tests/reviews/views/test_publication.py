"""After the board: the submission to Ofsted and GOL, the executive summary with its name check, the
public page of summaries, and closing."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reviews import services
from reviews.models import (
    ActionItem,
    AuditEvent,
    Document,
    ExecutiveSummary,
    Notification,
    Review,
    ReviewState,
    StaffSupportMeeting,
    SummaryRecipient,
)
from tests.reviews.views.test_pages import errors

S = ReviewState
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def latest(review, kind):
    return Document.objects.get(review=review, kind=kind).versions.order_by("-number").first()


def at_summary(walk, text="A child was injured. Lessons were learnt.") -> Review:
    review = walk.at(S.EXECUTIVE_SUMMARY)
    services.summary_save(actor=walk.cast["manager"], review=review, text=text)
    return review


# Ofsted and GOL


@pytest.mark.django_db
def test_the_pack_holds_the_cover_sheets_dates_every_extension_and_the_report_and_is_tagged(
    client, walk, cast
):
    review = walk.at(S.ACTION_PLAN)
    manager = cast["manager"]
    first = review.current_due_date + 14 * DAY
    services.review_extend(
        actor=manager,
        review=review,
        new_due_date=first,
        reason="Police asked for a pause.",
        agreed_by="Chair",
    )
    services.review_extend(
        actor=manager,
        review=Review.objects.get(pk=review.pk),
        new_due_date=first + 21 * DAY,
        reason="A late IMR from the police.",
        agreed_by="Chair",
    )
    walk.ready(review)
    client.force_login(manager)
    response = client.post(reverse("reviews:ofsted", args=[review.pk]))
    assert response.status_code == 302
    pack = latest(review, Document.Kind.OFSTED_PACK)
    assert pack.number == 2  # the walk prepared the first; the page prepared the second
    content = pack.file.read()
    text = pdf_text(content)
    review.refresh_from_db()
    for shown in (
        review.reference,
        "Serious case review",
        f"{review.decision_date:%-d %B %Y}",
        f"Due (four months) {review.due_date:%-d %B %Y}",
        f"Due now {review.current_due_date:%-d %B %Y}",
        f"{review.due_date:%-d %B %Y} {first:%-d %B %Y} Police asked for a pause.",
        f"{first:%-d %B %Y} {first + 21 * DAY:%-d %B %Y} A late IMR from the police.",
        "Publish guidance on bruising.",  # the overview recommendation
        "Publish the guidance.",  # its action in the LSCB action plan
    ):
        assert shown in text, shown
    reader = PdfReader(io.BytesIO(content))
    # The overview report (a one-page PDF reading "Overview") is appended after the pack's own pages.
    assert (reader.pages[-1].extract_text() or "").strip() == "Overview"
    assert f"from page {len(reader.pages)} of this pack" in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"]


@pytest.mark.django_db
def test_sending_to_ofsted_queues_notification_3_with_the_pack_to_grade_and_for_information(
    client, walk, cast
):
    review = walk.ready(walk.at(S.ACTION_PLAN))
    client.force_login(cast["manager"])
    response = client.post(reverse("reviews:review-move", args=[review.pk, "send_to_ofsted"]))
    assert response.status_code == 302
    pack = latest(review, Document.Kind.OFSTED_PACK)
    sent = Notification.objects.filter(review=review, kind="report").select_related("body")
    assert sorted((n.body.name, n.attachment_id) for n in sent) == [
        ("Government Office for London", pack.pk),
        ("Ofsted", pack.pk),
    ]
    page = client.get(reverse("reviews:ofsted", args=[review.pk])).content.decode()
    assert "Ofsted (to grade)" in page and "Government Office for London (for information)" in page


@pytest.mark.django_db
def test_the_move_to_ofsted_waits_for_the_pack_and_for_a_new_one_after_an_extension(walk, cast):
    review = walk.ready(walk.at(S.ACTION_PLAN))
    services.review_extend(
        actor=cast["manager"],
        review=review,
        new_due_date=review.current_due_date + 7 * DAY,
        reason="Board met late.",
        agreed_by="Chair",
    )
    with pytest.raises(services.ActionNotAllowed) as refusal:
        services.review_move(actor=cast["manager"], review=review, move="send_to_ofsted")
    assert refusal.value.reasons == [
        "The overview report or the due date has changed since the submission pack was prepared: prepare it again."
    ]
    services.ofsted_pack_prepare(actor=cast["manager"], review=review)
    assert (
        services.review_move(actor=cast["manager"], review=review, move="send_to_ofsted").state
        == S.WITH_OFSTED
    )


@pytest.mark.django_db
def test_ofsteds_grade_is_recorded_and_bad_input_saves_nothing(client, walk, cast):
    review = walk.at(S.WITH_OFSTED)
    client.force_login(cast["manager"])
    url = reverse("reviews:ofsted-grade", args=[review.pk])
    for data, expected in [
        ({}, ["Select Ofsted's grade", "Enter the date of Ofsted's grade"]),
        (
            {"grade": "superb", "graded_on_day": "31", "graded_on_month": "2", "graded_on_year": "2026"},
            ["Select Ofsted's grade", "Date of Ofsted's grade must be a real date"],
        ),
        (
            {
                "grade": "good",
                **dict(
                    zip(
                        ("graded_on_day", "graded_on_month", "graded_on_year"),
                        f"{TODAY() + DAY:%d %m %Y}".split(),
                        strict=True,
                    )
                ),
            },
            ["Date of Ofsted's grade must be today or in the past"],
        ),
        (
            {"grade": "good", "graded_on_day": "1", "graded_on_month": "1", "graded_on_year": "2001"},
            [
                # Not before the day it was sent to Ofsted (today, in this walk).
                f"Date of Ofsted's grade must be on or after the day the review was sent to Ofsted, {TODAY():%-d %B %Y}"
            ],
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert errors(response) == expected
    review.refresh_from_db()
    assert review.ofsted_grade == ""
    day, month, year = f"{TODAY():%d %m %Y}".split()
    response = client.post(
        url,
        {
            "grade": "adequate",
            "graded_on_day": day,
            "graded_on_month": month,
            "graded_on_year": year,
            "feedback": "Thorough.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.ofsted_grade, review.ofsted_graded_on, review.ofsted_feedback) == (
        "adequate",
        TODAY(),
        "Thorough.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("review_type", ["case", "management"])
def test_a_case_or_management_review_is_never_offered_ofsted(client, walk, cast, review_type):
    review = walk.ready(walk.at(S.ACTION_PLAN, review_type))
    client.force_login(cast["manager"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert reverse("reviews:ofsted", args=[review.pk]) not in page
    for step in ("submission pack", "Send the report and action plan to Ofsted", "Ofsted's grade"):
        assert step not in page
    assert "With Ofsted" not in [stage.label for stage in review.stages()]
    for name in ("reviews:ofsted", "reviews:ofsted-grade"):
        assert client.get(reverse(name, args=[review.pk])).status_code == 404
    assert client.get(reverse("reviews:review-move", args=[review.pk, "send_to_ofsted"])).status_code == 404
    with pytest.raises(services.ActionNotAllowed):
        services.ofsted_pack_prepare(actor=cast["manager"], review=review)
    # Its next step is the executive summary, straight from the action plan.
    assert (
        client.post(reverse("reviews:review-move", args=[review.pk, "prepare_executive_summary"])).status_code
        == 302
    )
    assert Review.objects.get(pk=review.pk).state == S.EXECUTIVE_SUMMARY


@pytest.mark.django_db
def test_a_serious_case_reviews_page_offers_the_pack_at_the_action_plan(client, walk, cast):
    review = walk.at(S.ACTION_PLAN)
    client.force_login(cast["manager"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert reverse("reviews:ofsted", args=[review.pk]) in page
    assert "Prepare the submission pack for Ofsted and GOL" in page


# The executive summary and its name check


@pytest.mark.django_db
def test_the_overview_author_writes_the_summary_and_sees_the_names_it_holds(client, walk, cast):
    review = walk.at(S.ACTION_PLAN)
    client.force_login(cast["overview"])
    url = reverse("reviews:summary-edit", args=[review.pk])
    response = client.post(url, {"title": "", "text": ""})
    assert response.status_code == 400 and errors(response) == ["Enter the executive summary"]
    assert not ExecutiveSummary.objects.filter(review=review).exists()
    response = client.post(
        url, {"title": "Child E", "text": "ELLIE was taken to hospital.\n\nShe recovered."}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "names the child (Ellie Carter) as “Ellie” in paragraph 1" in page


@pytest.mark.django_db
def test_publication_is_refused_with_each_name_and_where_then_allowed_once_fixed(client, walk, cast):
    text = (
        "The family lived in a flat.\n\n"
        "The health visitor, sandra  BELL, saw a bruise; the Annual review missed it.\n\n"
        "Łiam Carter was not seen. Dawn Cartér was."
    )
    review = at_summary(walk, text)
    services.involved_staff_add(
        actor=cast["manager"],
        review=review,
        agency=cast["hospital"],
        pseudonym="Social Worker 1",
        real_name="Łukasz Nowak",
        role_title="Social worker",
        email="",
    )
    services.summary_save(actor=cast["manager"], review=review, text=text + " Lukasz Nowak phoned.")
    client.force_login(cast["manager"])
    url = reverse("reviews:summary-publish", args=[review.pk])
    day, month, year = f"{TODAY():%d %m %Y}".split()
    data = {"publish_from_day": day, "publish_from_month": month, "publish_from_year": year}
    response = client.post(url, data)
    assert response.status_code == 400
    assert errors(response) == [
        "The executive summary names a member of staff (Health Visitor 1) as “Sandra Bell” in paragraph 2 "
        "(“The health visitor, sandra BELL, saw a bruise; the Annual review missed…”): replace the name "
        "before publishing.",
        "The executive summary names a family member as “Liam Carter” in paragraph 3 "
        "(“Łiam Carter was not seen. Dawn Cartér was. Lukasz…”): replace the name before publishing.",
        "The executive summary names a family member as “Dawn Carter” in paragraph 3 "
        "(“Łiam Carter was not seen. Dawn Cartér was. Lukasz Nowak phoned.”): replace the name before publishing.",
        "The executive summary names a member of staff (Social Worker 1) as “Łukasz Nowak” in paragraph 3 "
        "(“…Carter was not seen. Dawn Cartér was. Lukasz Nowak phoned.”): replace the name before publishing.",
    ]
    summary = ExecutiveSummary.objects.get(review=review)
    assert summary.publish_from is None
    assert not Document.objects.filter(review=review, kind=Document.Kind.EXECUTIVE_SUMMARY).exists()

    fixed = (
        "The family lived in a flat.\n\nThe health visitor saw a bruise; the Annual review missed it.\n\n"
        "The father was not seen."
    )
    services.summary_save(actor=cast["manager"], review=review, text=fixed)
    response = client.post(url, data)
    assert response.status_code == 302
    summary.refresh_from_db()
    assert (summary.publish_from, summary.publish_until, summary.published_by) == (
        TODAY(),
        None,
        cast["manager"],
    )
    assert "the Annual review missed it. The father was not seen." in pdf_text(
        latest(review, Document.Kind.EXECUTIVE_SUMMARY).file.read()
    )
    assert AuditEvent.objects.filter(summary=f"Executive summary published from {TODAY():%-d %B %Y}").exists()


@pytest.mark.django_db
def test_publishing_records_a_copy_due_to_each_member_of_staff_with_an_address(walk, cast):
    review = at_summary(walk)
    staff = review.involved_staff.get(pseudonym="Health Visitor 1")
    services.involved_staff_correct(
        actor=cast["manager"],
        staff=staff,
        agency=staff.agency,
        pseudonym=staff.pseudonym,
        real_name=staff.real_name,
        role_title=staff.role_title,
        email="hv1@example.org",
        reason="Address given.",
    )
    services.summary_publish(actor=cast["manager"], review=review, publish_from=TODAY(), publish_until=None)
    copies = SummaryRecipient.objects.filter(summary__review=review)
    assert list(copies.values_list("staff__pseudonym", "email", "status")) == [
        ("Health Visitor 1", "hv1@example.org", "due")
    ]
    # The copy goes through the outbox, with the published PDF attached.
    from reviews.models import OutboxMessage

    message = OutboxMessage.objects.get(kind="staff_copy", review=review)
    assert message.to == ["hv1@example.org"]
    assert message.subject == f"{review.reference}: the published executive summary"
    assert message.attachment == review.documents.get(kind="executive_summary").versions.get()
    assert "learning, not blame" in message.body_text
    services.summary_mark_sent_to_staff(actor=cast["manager"], review=review, sent_on=TODAY())
    assert list(copies.values_list("status", "sent_on")) == [("sent", TODAY())]


@pytest.mark.django_db
def test_bad_publication_windows_are_refused_and_nothing_is_published(client, walk, cast):
    review = at_summary(walk)
    client.force_login(cast["manager"])
    url = reverse("reviews:summary-publish", args=[review.pk])

    def date(prefix, value):
        return dict(
            zip(
                (f"{prefix}_day", f"{prefix}_month", f"{prefix}_year"),
                f"{value:%d %m %Y}".split(),
                strict=True,
            )
        )

    for data, expected in [
        ({}, ["Enter the first day of publication"]),
        (
            {"publish_from_day": "x", "publish_from_month": "1", "publish_from_year": "2026"},
            ["First day of publication must be a real date"],
        ),
        (
            {**date("publish_from", TODAY()), **date("publish_until", TODAY())},
            ["The end of the publication window must be after its start"],
        ),
        (
            {**date("publish_from", TODAY() + 400 * DAY)},
            [
                f"First day of publication must be on or before a year from today, {TODAY() + 365 * DAY:%-d %B %Y}"
            ],
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert errors(response) == expected
    assert ExecutiveSummary.objects.get(review=review).publish_from is None


@pytest.mark.django_db
def test_rewriting_a_published_summary_takes_it_off_the_public_page(client, walk, cast):
    review = at_summary(walk)
    services.summary_publish(actor=cast["manager"], review=review, publish_from=TODAY(), publish_until=None)
    summary = ExecutiveSummary.objects.get(review=review)
    assert client.get(reverse("reviews:public-summary", args=[summary.pk])).status_code == 200
    services.summary_save(actor=cast["overview"], review=review, text="Ellie was hurt.")
    assert client.get(reverse("reviews:public-summary", args=[summary.pk])).status_code == 404


# The public page


def published(walk, cast, *, publish_from, publish_until):
    review = at_summary(walk, "A baby was injured at home.\n\nAgencies did not share what they knew.")
    services.summary_save(
        actor=cast["manager"],
        review=review,
        title="Child E",
        text=ExecutiveSummary.objects.get(review=review).text,
    )
    services.summary_publish(actor=cast["manager"], review=review, publish_from=TODAY(), publish_until=None)
    # The window is moved into the past or future directly: the service bounds it from today.
    ExecutiveSummary.objects.filter(review=review).update(
        publish_from=publish_from, publish_until=publish_until
    )
    return ExecutiveSummary.objects.get(review=review)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("publish_from", "publish_until", "shown"),
    [
        (0, None, True),
        (-10, 0, True),  # its last day
        (-10, 10, True),
        (1, None, False),  # not yet
        (-10, -1, False),  # over
    ],
)
def test_the_public_page_shows_a_summary_only_inside_its_window(
    client, walk, cast, publish_from, publish_until, shown
):
    summary = published(
        walk,
        cast,
        publish_from=TODAY() + publish_from * DAY,
        publish_until=None if publish_until is None else TODAY() + publish_until * DAY,
    )
    listing = client.get(reverse("reviews:public-summary-list"))
    assert listing.status_code == 200
    assert ("Child E" in listing.content.decode()) == shown
    expected = 200 if shown else 404
    assert client.get(reverse("reviews:public-summary", args=[summary.pk])).status_code == expected
    assert client.get(reverse("reviews:public-summary-pdf", args=[summary.pk])).status_code == expected


@pytest.mark.django_db
def test_a_signed_out_visitor_reads_the_summary_and_its_pdf_and_no_confidential_field(client, walk, cast):
    summary = published(walk, cast, publish_from=TODAY(), publish_until=None)
    review = summary.review
    referral = review.referral
    listing = client.get(reverse("reviews:public-summary-list")).content.decode()
    page = client.get(reverse("reviews:public-summary", args=[summary.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Agencies did not share what they knew." in html
    pdf = client.get(reverse("reviews:public-summary-pdf", args=[summary.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pdf_shown = pdf_text(b"".join(pdf.streaming_content))
    assert "Agencies did not share what they knew." in pdf_shown
    staff = list(review.involved_staff.all())
    confidential = [
        review.reference,
        referral.child_name,
        *referral.child_name.split(),
        "Dawn",
        "Liam",
        referral.summary,
        *(person.real_name for person in staff),
        *(person.pseudonym for person in staff),
        str(review.overview_author.get_full_name()),
        str(cast["manager"].get_full_name()),
        "Confidential",
        "Sign out",
    ]
    for shown in (listing, html, pdf_shown):
        for secret in confidential:
            assert secret not in shown, secret


# Closing


@pytest.mark.django_db
def test_closing_is_refused_with_the_reasons_then_allowed(client, walk, cast):
    review = at_summary(walk)
    client.force_login(cast["chair"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    for reason in (
        "Publish the executive summary on the LSCB website.",
        "Send the executive summary to the staff involved.",
        f"{ActionItem.objects.filter(plan__review=review).count()} actions are not yet complete.",
        "Hold the closing staff support meeting and record it.",
    ):
        assert reason in page
    move_url = reverse("reviews:review-move", args=[review.pk, "close"])
    assert client.post(move_url).status_code == 400
    assert Review.objects.get(pk=review.pk).state == S.EXECUTIVE_SUMMARY

    walk.ready(review)
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert f'href="{move_url}"' in page
    assert client.post(move_url).status_code == 302
    assert Review.objects.get(pk=review.pk).state == S.CLOSED


@pytest.mark.django_db
def test_closing_waits_for_the_end_support_meeting_alone(walk, cast):
    review = at_summary(walk)
    walk.ready(review)
    review.support_meetings.filter(kind=StaffSupportMeeting.Kind.END).delete()
    with pytest.raises(services.ActionNotAllowed) as refusal:
        services.review_move(actor=cast["chair"], review=review, move="close")
    assert refusal.value.reasons == ["Hold the closing staff support meeting and record it."]


@pytest.mark.django_db
def test_the_sent_to_staff_form_refuses_a_future_date(client, walk, cast):
    review = at_summary(walk)
    services.summary_publish(actor=cast["manager"], review=review, publish_from=TODAY(), publish_until=None)
    client.force_login(cast["manager"])
    day, month, year = f"{TODAY() + DAY:%d %m %Y}".split()
    response = client.post(
        reverse("reviews:summary-sent", args=[review.pk]),
        {"sent_on_day": day, "sent_on_month": month, "sent_on_year": year},
    )
    assert response.status_code == 400
    assert errors(response) == ["Date it was sent must be today or in the past"]
    assert ExecutiveSummary.objects.get(review=review).sent_to_staff_on is None


@pytest.mark.django_db
def test_a_word_overview_report_is_listed_as_enclosed_not_appended(walk, cast):
    from tests.reviews.views.test_imr_work import docx_bytes

    review = walk.at(S.ACTION_PLAN)
    report = Document.objects.get(review=review, kind=Document.Kind.OVERVIEW_REPORT)
    services.document_add_version(
        actor=cast["overview"], document=report, content=docx_bytes(), filename="overview.docx"
    )
    pack = services.ofsted_pack_prepare(actor=cast["manager"], review=review)
    with pack.file.open("rb") as stored:
        content = stored.read()
    text = pdf_text(content)
    assert "The overview report, version 2 (overview.docx), enclosed as a separate file" in text
    assert len(PdfReader(io.BytesIO(content)).pages) == 2


PUBLICATION_JUNK = [
    {},
    {"grade": "superb", "graded_on_day": "١٢", "graded_on_month": "-1", "graded_on_year": "1e9"},
    {"publish_from_day": "\x00", "publish_until_year": "99999", "sent_on_day": "31", "sent_on_month": "2"},
    # Longer than every field's bound; the text invisible but for its length.
    {"title": "x" * 201, "text": "é" * 50_001, "feedback": "é" * 20_001},
    {"text": "\u200b \t", "title": "\x00"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("junk", PUBLICATION_JUNK)
def test_junk_on_the_publication_forms_never_gives_a_500_and_saves_nothing(client, walk, cast, junk):
    summarised = at_summary(walk)
    graded = walk.at(S.WITH_OFSTED)
    writes = AuditEvent.objects.exclude(action__in=["viewed", "denied", *AuditEvent.SIGNING_IN]).count()
    for who, url in [
        ("overview", reverse("reviews:summary-edit", args=[summarised.pk])),
        ("manager", reverse("reviews:summary-publish", args=[summarised.pk])),
        ("manager", reverse("reviews:summary-sent", args=[summarised.pk])),
        ("manager", reverse("reviews:ofsted-grade", args=[graded.pk])),
    ]:
        client.force_login(cast[who])
        response = client.post(url, junk)
        assert response.status_code == 400, (url, response.status_code)
        assert "There is a problem" in response.content.decode(), url
    summary = ExecutiveSummary.objects.get(review=summarised)
    assert (summary.text, summary.publish_from, summary.sent_to_staff_on) == (
        "A child was injured. Lessons were learnt.",
        None,
        None,
    )
    assert Review.objects.get(pk=graded.pk).ofsted_grade == ""
    assert (
        AuditEvent.objects.exclude(action__in=["viewed", "denied", *AuditEvent.SIGNING_IN]).count() == writes
    )


@pytest.mark.django_db
def test_the_summary_is_not_recorded_as_sent_before_the_review_reached_it(client, walk, cast):
    review = at_summary(walk)
    walk.ready(review)
    client.force_login(cast["manager"])
    before = TODAY() - DAY
    response = client.post(
        reverse("reviews:summary-sent", args=[review.pk]),
        {"sent_on_day": before.day, "sent_on_month": before.month, "sent_on_year": before.year},
    )
    assert response.status_code == 400
    assert errors(response) == [
        f"Date it was sent must be on or after the day the review reached its executive summary, {TODAY():%-d %B %Y}"
    ]


def _give_address(cast, staff, email):
    services.involved_staff_correct(
        actor=cast["manager"],
        staff=staff,
        agency=staff.agency,
        pseudonym=staff.pseudonym,
        real_name=staff.real_name,
        role_title=staff.role_title,
        email=email,
        reason="Address given.",
    )


@pytest.mark.django_db
def test_a_delivered_copy_marks_its_member_of_staff_sent_and_the_last_one_the_summary(
    walk, cast, mailoutbox, django_capture_on_commit_callbacks
):
    review = at_summary(walk)
    staff = list(review.involved_staff.current().order_by("pk"))
    assert len(staff) >= 2
    _give_address(cast, staff[0], "first@example.org")
    review.involved_staff.current().exclude(pk=staff[0].pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.summary_publish(
            actor=cast["manager"], review=review, publish_from=TODAY(), publish_until=None
        )
    assert [m.to for m in mailoutbox] == [["first@example.org"]]
    copies = SummaryRecipient.objects.filter(summary__review=review)
    assert list(copies.values_list("email", "status", "sent_on")) == [("first@example.org", "sent", TODAY())]
    # Others have no address: their copies go by hand, so the summary is not yet recorded as sent.
    review.executive_summary.refresh_from_db()
    assert review.executive_summary.sent_to_staff_on is None

    # Once every member of staff has an address, publishing again sends the rest and completes it.
    for number, member in enumerate(staff[1:], start=2):
        _give_address(cast, member, f"staff{number}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.summary_publish(
            actor=cast["manager"], review=review, publish_from=TODAY(), publish_until=None
        )
    assert copies.filter(status="due").count() == 0
    review.executive_summary.refresh_from_db()
    assert review.executive_summary.sent_to_staff_on == TODAY()
    assert (
        AuditEvent.objects.filter(
            summary=f"Executive summary sent by e-mail to every member of staff involved, the last on {TODAY():%-d %B %Y}"
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_the_sent_to_staff_page_lists_each_copy_and_who_gets_one_by_hand(client, walk, cast):
    review = at_summary(walk)
    staff = list(review.involved_staff.current().order_by("pk"))
    _give_address(cast, staff[0], "first@example.org")
    review.involved_staff.current().exclude(pk=staff[0].pk).update(email="")
    services.summary_publish(actor=cast["manager"], review=review, publish_from=TODAY(), publish_until=None)
    client.force_login(cast["manager"])
    page = client.get(reverse("reviews:summary-sent", args=[review.pk])).content.decode()
    assert (
        f'<td class="govuk-table__cell">{staff[0].pseudonym}</td><td class="govuk-table__cell">first@example.org</td><td class="govuk-table__cell">Due to be sent</td>'
        in page
    )
    others = ", ".join(member.pseudonym for member in staff[1:])
    assert f"get{'s' if len(staff) == 2 else ''} a copy by hand: {others}." in page
