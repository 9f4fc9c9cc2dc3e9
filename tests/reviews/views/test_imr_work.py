"""The IMR author's work beyond the chronology: the report, recommendations, the action plan, submission,
the overview author's return or accept, and the feedback meeting with staff."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reviews import deadlines, services
from reviews.models import IMR, ActionItem, AuditEvent, Document, DocumentVersion, Recommendation
from reviews.sample_pdf import text_pdf
from tests.reviews.views.test_chronology import contact, started_imr
from tests.reviews.views.test_pages import errors

TODAY = timezone.localdate
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes() -> bytes:
    """A minimal Word document, zipped in the order Word writes it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def upload(client, imr, name, content):
    return client.post(
        reverse("reviews:imr-report", args=[imr.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def versions(imr):
    return list(
        DocumentVersion.objects.filter(document__imr=imr)
        .order_by("number")
        .values_list("number", "original_filename", "content_type")
    )


@pytest.mark.django_db
def test_the_author_uploads_a_pdf_then_a_docx_as_versions_none_overwritten(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    response = upload(client, imr, "IMR report.pdf", text_pdf("Report"))
    assert response.status_code == 302 and response.url.endswith("#report")
    # Named .pdf but a Word document inside: stored under the name of what it is.
    response = upload(client, imr, "report-v2.pdf", docx_bytes())
    assert response.status_code == 302
    assert versions(imr) == [
        (1, "IMR report.pdf", "application/pdf"),
        (2, "report-v2.docx", DOCX),
    ]
    page = client.get(reverse("reviews:imr-report", args=[imr.pk])).content.decode()
    assert "report-v2.docx" in page and "IMR report.pdf" in page
    created = AuditEvent.objects.filter(action="created", object_type="reviews.documentversion")
    assert list(created.values_list("summary", flat=True).order_by("pk")) == [
        f"IMR report, {imr.participation.agency} version 1 uploaded",
        f"IMR report, {imr.participation.agency} version 2 uploaded",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200,
            "The selected file must be a PDF or a Word document (DOCX): “report.pdf” is another kind of file (EXE)",
        ),
        (
            "report.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "The selected file must be a PDF or a Word document (DOCX): “report.pdf” is neither",
        ),
        (
            "report.docx",
            b"PK\x03\x04" + b"\x00" * 100,
            "The selected file must be a PDF or a Word document (DOCX): “report.docx” is another kind of file (ZIP)",
        ),
        ("report.pdf", b"", "The selected file is empty"),
    ],
    ids=["renamed-executable", "html-called-pdf", "broken-zip", "empty"],
)
def test_a_report_that_is_not_a_pdf_or_docx_is_refused_and_nothing_is_saved(
    client, walk, cast, name, content, message
):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    response = upload(client, imr, name, content)
    assert response.status_code == 400
    assert errors(response) == [message]
    assert not Document.objects.filter(imr=imr).exists()
    assert not DocumentVersion.objects.exists()


@pytest.mark.django_db
def test_an_oversize_report_is_refused_before_it_is_read(client, walk, cast, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1000
    imr = started_imr(walk)
    client.force_login(cast["author"])
    response = upload(client, imr, "big.pdf", text_pdf("x" * 40) + b"%" * 2000)
    assert response.status_code == 400
    assert errors(response) == ["The selected file must be smaller than 1000 bytes"]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_an_oversize_report_too(walk, cast, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1000
    imr = started_imr(walk)
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.imr_report_upload(
            actor=cast["author"], imr=imr, content=text_pdf("x") + b"%" * 2000, filename="big.pdf"
        )
    assert refused.value.by_field() == {"file": ["The selected file must be smaller than 1000 bytes"]}


@pytest.mark.django_db
def test_recommendations_are_numbered_and_actions_answer_them(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    add = reverse("reviews:recommendation-add", args=[imr.pk])
    assert client.post(add, {"text": "Train staff on bruising in babies."}).status_code == 302
    assert client.post(add, {"text": "Share records with GPs."}).status_code == 302
    response = client.post(add, {"text": "   "})
    assert response.status_code == 400 and errors(response) == ["Enter the recommendation"]
    assert list(imr.recommendations.values_list("number", "text")) == [
        (1, "Train staff on bruising in babies."),
        (2, "Share records with GPs."),
    ]
    change = reverse("reviews:recommendation-change", args=[imr.pk, 2])
    assert client.post(change, {"text": "Share records with GPs within a week."}).status_code == 302
    assert imr.recommendations.get(number=2).text == "Share records with GPs within a week."
    assert client.get(reverse("reviews:recommendation-change", args=[imr.pk, 9])).status_code == 404

    first = imr.recommendations.get(number=1)
    action = reverse("reviews:imr-action-add", args=[imr.pk])
    due = TODAY() + datetime.timedelta(days=90)
    fields = {
        "recommendation": first.pk,
        "description": "Run bruising training.",
        "owner": "Named Nurse",
        "due_on_day": due.day,
        "due_on_month": due.month,
        "due_on_year": due.year,
        "success_measure": "Audit of 20 case files in March.",
    }
    # The form preselects the recommendation it was opened for.
    page = client.get(f"{action}?recommendation=1").content.decode()
    assert f'<option value="{first.pk}" selected>1. Train staff on bruising in babies.</option>' in page
    assert client.post(action, fields).status_code == 302
    item = ActionItem.objects.get()
    assert (item.recommendation, item.plan.agency, item.success_measure) == (
        first,
        imr.participation.agency,
        "Audit of 20 case files in March.",
    )
    # Refused: no success measure, a date decades away, another agency's recommendation.
    other = walk_other_recommendation(walk)
    response = client.post(
        action,
        fields | {"success_measure": "", "due_on_year": due.year + 30, "recommendation": other.pk},
    )
    assert response.status_code == 400
    assert errors(response) == [
        "Select the recommendation the action answers",
        "Say how you will know the action worked",
    ]
    response = client.post(action, fields | {"due_on_year": due.year + 30})
    assert response.status_code == 400
    latest = deadlines.add_months(TODAY(), 60)
    assert errors(response) == [f"Due date must be on or before 5 years from today, {latest:%-d %B %Y}"]
    assert ActionItem.objects.count() == 1


def walk_other_recommendation(walk) -> Recommendation:
    """A recommendation of the police's IMR on the same review."""
    imr = IMR.objects.get(participation__agency=walk.cast["police"])
    author = imr.author
    imr = services.imr_move(actor=author, imr=imr, move="start")
    return services.recommendation_add(
        actor=author, review=imr.participation.review, imr=imr, text="Police one."
    )


@pytest.mark.django_db
def test_each_task_links_to_the_page_where_it_is_done(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    for name, url in (
        ("Build the chronology", reverse("reviews:chronology", args=[imr.pk])),
        ("Upload the report", reverse("reviews:imr-report", args=[imr.pk])),
    ):
        assert f'href="{url}" aria-describedby="task-' in page and f">{name}</a>" in page
    # Signed already, so there is nowhere to go: the task is shown without a link.
    assert "<div>Sign the independence declaration</div>" in page
    assert reverse("reviews:imr-declaration", args=[imr.pk]) not in page


@pytest.mark.django_db
def test_submit_lists_what_is_missing_until_everything_is_there(client, walk, cast):
    imr = started_imr(walk)
    author = cast["author"]
    client.force_login(author)
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    for reason in (
        "Add the chronology: it has no entries.",
        "Upload the IMR report.",
        "Record the IMR&#x27;s recommendations.",
    ):
        assert f"<li>{reason}</li>" in page
    assert page.count("Still to do") == 4
    home = client.get(reverse("home")).content.decode()
    assert "Still to add before you can submit: the chronology, the report, the recommendations." in home

    client.post(reverse("reviews:chronology-entry-add", args=[imr.pk]), contact())
    upload(client, imr, "report.pdf", text_pdf("Report"))
    client.post(reverse("reviews:recommendation-add", args=[imr.pk]), {"text": "One."})
    client.post(reverse("reviews:recommendation-add", args=[imr.pk]), {"text": "Two."})
    response = client.post(reverse("reviews:imr-move", args=[imr.pk, "submit"]), {"note": ""})
    assert response.status_code == 400
    assert errors(response) == ["Add an action to the agency action plan for recommendations 1 and 2."]
    home = client.get(reverse("home")).content.decode()
    assert "Still to add before you can submit: an action for each recommendation." in home

    for number in (1, 2):
        services.action_item_add(
            actor=author,
            review=imr.participation.review,
            agency=imr.participation.agency,
            description=f"Action {number}",
            owner="Named Nurse",
            due_on=TODAY() + datetime.timedelta(days=30),
            success_measure="Audit.",
            recommendation=imr.recommendations.get(number=number),
        )
    assert "Ready to submit." in client.get(reverse("home")).content.decode()
    response = client.post(reverse("reviews:imr-move", args=[imr.pk, "submit"]), {"note": ""})
    assert response.status_code == 302
    imr.refresh_from_db()
    assert imr.state == IMR.State.SUBMITTED
    # Submitted: read-only for its author.
    for name in ("recommendation-add", "imr-action-add", "chronology-entry-add", "interview-add"):
        assert client.get(reverse(f"reviews:{name}", args=[imr.pk])).status_code == 403
    assert upload(client, imr, "report.pdf", text_pdf("Again")).status_code == 403
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert "Upload a new version" not in page and "Add a recommendation" not in page


@pytest.mark.django_db
def test_the_overview_author_returns_with_a_note_the_author_sees_then_accepts(client, walk, cast):
    imr = started_imr(walk)
    walk.complete_imr(imr, feedback=False)
    review = imr.participation.review
    services.overview_author_commission(actor=cast["manager"], review=review, author=cast["overview"])
    client.force_login(cast["overview"])
    home = client.get(reverse("home")).content.decode()
    assert "Submitted IMRs to read" in home
    assert f'<a class="govuk-link" href="{reverse("reviews:imr-detail", args=[imr.pk])}">' in home
    # The review page lists the submitted IMR for the overview author to read, and links it.
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert "Submitted IMRs to read, then return for more work or accept:" in page
    assert f'<li><a class="govuk-link" href="{reverse("reviews:imr-detail", args=[imr.pk])}">' in page
    move = reverse("reviews:imr-move", args=[imr.pk, "return_for_work"])
    # The note is needed, so the page does not call it optional, and says who reads it.
    page = client.get(move).content.decode()
    assert "What more work does the IMR need?" in page and "Note (optional)" not in page
    assert "The IMR&#x27;s author reads this note at the top of their IMR page." in page
    response = client.post(move, {"note": ""})
    assert response.status_code == 400 and errors(response) == ["Say what more work the IMR needs"]
    assert client.post(move, {"note": "Say more about supervision.\nAnd the GP's role."}).status_code == 302
    imr.refresh_from_db()
    assert imr.state == IMR.State.RETURNED

    client.force_login(cast["author"])
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert "Returned for more work" in page
    assert "Say more about supervision.<br>And the GP&#x27;s role." in page
    # Returned: editable again, and submitted again.
    assert client.get(reverse("reviews:recommendation-add", args=[imr.pk])).status_code == 200
    assert (
        client.post(reverse("reviews:imr-move", args=[imr.pk, "submit"]), {"note": "Done."}).status_code
        == 302
    )

    client.force_login(cast["overview"])
    accept = reverse("reviews:imr-move", args=[imr.pk, "accept"])
    assert "Note (optional)" in client.get(accept).content.decode()
    assert client.post(accept, {"note": ""}).status_code == 302
    imr.refresh_from_db()
    assert imr.state == IMR.State.ACCEPTED


@pytest.mark.django_db
def test_the_feedback_meeting_is_recorded_after_submission(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    feedback = reverse("reviews:imr-feedback", args=[imr.pk])
    today = TODAY()
    fields = {"held_on_day": today.day, "held_on_month": today.month, "held_on_year": today.year}
    response = client.post(feedback, fields)
    assert response.status_code == 400 and errors(response) == [
        "Feed back to staff once the IMR is submitted."
    ]
    walk.complete_imr(imr, feedback=False)
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(
        feedback,
        {"held_on_day": tomorrow.day, "held_on_month": tomorrow.month, "held_on_year": tomorrow.year},
    )
    assert response.status_code == 400
    assert errors(response) == ["Date of the feedback meeting must be today or in the past"]
    assert client.post(feedback, fields).status_code == 302
    imr.refresh_from_db()
    assert imr.feedback_meeting_on == today
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert "The findings were fed back to the staff involved on" in page
    # The panel reads the IMR but does not record the author's meeting.
    client.force_login(cast["chair"])
    assert client.post(feedback, fields).status_code == 403


@pytest.mark.django_db
def test_home_tells_the_author_of_a_return_and_of_the_feedback_meeting_still_to_record(client, walk, cast):
    imr = started_imr(walk)
    walk.complete_imr(imr, feedback=False)
    client.force_login(cast["author"])
    home = client.get(reverse("home")).content.decode()
    assert "Submitted; record the feedback meeting with the staff involved." in home
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert f'<a class="govuk-button" href="{reverse("reviews:imr-feedback", args=[imr.pk])}">' in page
    services.imr_move(actor=cast["chair"], imr=imr, move="return_for_work", note="More on supervision.")
    home = client.get(reverse("home")).content.decode()
    assert "Returned for more work: read the note on the IMR page." in home
    assert "Ready to submit." not in home


@pytest.mark.django_db
def test_a_reader_is_told_why_a_page_is_refused(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["chair"])
    response = client.get(reverse("reviews:recommendation-add", args=[imr.pk]))
    assert response.status_code == 403
    assert (
        "Only the IMR&#x27;s author records its recommendations, until it is submitted."
        in response.content.decode()
    )


@pytest.mark.django_db
def test_the_return_form_asks_what_more_work_is_needed(client, walk, cast):
    imr = started_imr(walk)
    walk.complete_imr(imr, feedback=False)
    client.force_login(cast["chair"])
    page = client.get(reverse("reviews:imr-move", args=[imr.pk, "return_for_work"])).content.decode()
    assert "What more work does the IMR need?" in page
    assert "The IMR&#x27;s author reads this note at the top of their IMR page." in page
    assert "Its author can change it and submit it again." in page and "This cannot be undone" not in page


@pytest.mark.django_db
def test_the_author_interviews_only_their_own_agencys_staff(client, walk, cast):
    imr = started_imr(walk)
    review = imr.participation.review
    police_staff = review.involved_staff.filter(agency=cast["police"]).first()
    assert police_staff is not None
    client.force_login(cast["author"])
    page = client.get(reverse("reviews:interview-add", args=[imr.pk])).content.decode()
    assert police_staff.pseudonym not in page
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.interview_record(
            actor=cast["author"], imr=imr, staff=police_staff, held_on=TODAY(), tor_shared_on=TODAY()
        )
    assert refused.value.by_field() == {
        "staff": [f"{police_staff} is not {imr.participation.agency}'s staff: interview your own agency's"]
    }


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("Report.PDF", "Report.PDF"),
        ("A" * 400 + ".pdf", "A" * 247 + ".pdf"),
        ("..\\..\\etc\\report.pdf", "report.pdf"),
        ("evil\u202egnp.pdf", "evilgnp.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("no-extension", "no-extension.pdf"),
        (".pdf", ".pdf.pdf"),
    ],
)
def test_a_report_is_stored_under_a_safe_name_ending_in_what_it_is(name, stored):
    from reviews.uploads import check_report

    assert check_report(name, text_pdf("x")).filename == stored


@pytest.mark.django_db
def test_the_author_corrects_and_deletes_an_interview(client, walk, cast):
    imr = started_imr(walk)
    staff = imr.participation.review.involved_staff.get(pseudonym="Health Visitor 1")
    interview = services.interview_record(
        actor=cast["author"],
        imr=imr,
        staff=staff,
        held_on=TODAY(),
        tor_shared_on=TODAY(),
        notes="First notes.",
    )
    client.force_login(cast["author"])
    change = reverse("reviews:interview-change", args=[imr.pk, interview.pk])
    page = client.get(change).content.decode()
    assert "First notes." in page and f'value="{TODAY().day}"' in page
    fields = {
        "staff": staff.pk,
        "held_on_day": TODAY().day,
        "held_on_month": TODAY().month,
        "held_on_year": TODAY().year,
        "tor_shared_on_day": TODAY().day,
        "tor_shared_on_month": TODAY().month,
        "tor_shared_on_year": TODAY().year,
        "notes": "Corrected notes.",
    }
    # The terms of reference after the interview: refused, nothing changed.
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client.post(
        change,
        fields
        | {
            "tor_shared_on_day": tomorrow.day,
            "tor_shared_on_month": tomorrow.month,
            "tor_shared_on_year": tomorrow.year,
        },
    )
    assert response.status_code == 400
    interview.refresh_from_db()
    assert interview.notes == "First notes."
    assert client.post(change, fields).status_code == 302
    interview.refresh_from_db()
    assert interview.notes == "Corrected notes."
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert "Corrected notes." in page
    delete = reverse("reviews:interview-delete", args=[imr.pk, interview.pk])
    assert "Delete this interview?" in client.get(delete).content.decode()
    assert client.post(delete, {}).status_code == 302
    assert not imr.interviews.exists()
    assert AuditEvent.objects.filter(action="deleted", object_type="reviews.interview").get().summary == (
        f"Interview with {staff} on {TODAY():%-d %B %Y} deleted"
    )
    assert client.get(delete).status_code == 404
