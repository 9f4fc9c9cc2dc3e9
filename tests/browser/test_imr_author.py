"""An IMR author's whole job in a browser, then the overview author's return of it with a note."""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import User
from reviews import services
from reviews.chronology_import import COLUMNS, EXAMPLE
from reviews.models import IMR, Review
from reviews.sample_pdf import text_pdf

pytestmark = pytest.mark.django_db(transaction=True)

HOSPITAL = "Northbridge Teaching Hospitals NHS Trust"
RETURN_NOTE = (
    "The chronology leaves out the school nurse's contacts in the spring: add them and say what they show."
)


@pytest.fixture
def reviews(demo):
    """The demo's review with IMRs in progress, its overview author commissioned, and the one whose IMRs are in."""
    in_progress = Review.objects.get(referral__child_name="Ellie Carter")
    services.overview_author_commission(
        actor=User.objects.get(username="manager"),
        review=in_progress,
        author=User.objects.get(username="overview"),
    )
    return in_progress, Review.objects.get(referral__child_name="Leo Marsh")


def filled_template(downloaded, path, *, base: datetime.date):
    """The downloaded template with its example row replaced by two contacts."""
    workbook = load_workbook(downloaded)
    sheet = workbook["Chronology"]
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert sheet.cell(row=2, column=COLUMNS.index("summary") + 1).value == EXAMPLE["summary"]
    sheet.delete_rows(2)
    contacts = [
        {
            "date": (base - datetime.timedelta(days=60)).strftime("%d/%m/%Y"),
            "time": "11:15",
            "contact_type": "home visit",
            "with_whom": "mother",
            "practitioner": "Health Visitor 1",
            "summary": "Visit after the domestic incident; Ellie seen asleep, not woken.",
            "outcome": "Mother given the domestic abuse helpline number.",
            "source": "Electronic patient record",
            "comment": "Ellie was not seen awake or undressed.",
            "key_practice_episode": "yes",
        },
        {
            "date": (base - datetime.timedelta(days=45)).strftime("%m/%Y"),
            "time": "",
            "contact_type": "phone call",
            "with_whom": "professional",
            "practitioner": "School Nurse 1",
            "summary": "School nurse asked the health visitor about Ellie's older brother's absences.",
            "outcome": "",
            "source": "Electronic patient record",
            "comment": "",
            "key_practice_episode": "no",
        },
    ]
    for contact in contacts:
        sheet.append([contact[name] for name in COLUMNS])
    workbook.save(path)


def test_imr_author_completes_and_submits_then_overview_author_returns_it(walk, axe, reviews, tmp_path):
    in_progress, submitted = reviews
    page = walk.page
    today = timezone.localdate()
    imr = IMR.objects.get(participation__review=in_progress, participation__agency__name=HOSPITAL)
    imr_link = f"{HOSPITAL}, {in_progress.reference}"
    contacts = imr.chronology_entries.count()

    # The hospital's author sees on their home page what is missing, and opens the IMR.
    walk.sign_in("author")
    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=imr_link))
    assert "Still to add before you can submit: the report" in item.inner_text()
    walk.click("link", imr_link)
    assert walk.h1() == f"IMR: {HOSPITAL}"
    assert f"{contacts} contacts on the standard template." in page.content()

    # The template, downloaded, filled in with two contacts and uploaded; the same file again adds nothing.
    walk.click("link", "Import from a spreadsheet")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template as XLSX").click()
    template = tmp_path / download.value.suggested_filename
    assert template.suffix == ".xlsx"
    download.value.save_as(template)
    filled = tmp_path / "hospital-chronology.xlsx"
    filled_template(template, filled, base=in_progress.referral.incident_date)
    walk.upload("Upload a filled-in template", filled, "Import the contacts")
    assert walk.success().endswith("\n2 contacts imported.")
    assert imr.chronology_entries.count() == contacts + 2
    walk.screenshot("1-chronology-imported")
    walk.goto(f"/imrs/{imr.pk}/chronology/import/")
    walk.upload("Upload a filled-in template", filled, "Import the contacts")
    assert "0 contacts imported. 2 were already in the chronology and not added again." in walk.success()
    assert imr.chronology_entries.count() == contacts + 2

    # An interview: the terms of reference were agreed today, and shared with the interviewee today.
    walk.goto(f"/imrs/{imr.pk}/")
    walk.click("link", "Record an interview")
    page.get_by_label("Who was interviewed").select_option(label=f"Health Visitor 1 ({HOSPITAL})")
    walk.date("held_on", today)
    walk.date("tor_shared_on", today)
    walk.click("button", "Record the interview")
    assert "Interview with Health Visitor 1 recorded." in walk.success()

    # The report: an HTML file called report.pdf is refused; a real PDF becomes version 1.
    # The task list's "Upload the report" jumps to the section; its button opens the upload page.
    page.locator("#report ~ a.govuk-button", has_text="Upload the report").click()
    walk.checked()
    html = tmp_path / "report.pdf"
    html.write_text("<!doctype html><html><body><h1>IMR report</h1></body></html>", encoding="utf-8")
    walk.upload("Upload the report", html, "Upload")
    assert (
        "The selected file must be a PDF or a Word document (DOCX): “report.pdf” is neither" in walk.errors()
    )
    pdf = tmp_path / "hospital-imr-report.pdf"
    pdf.write_bytes(text_pdf("IMR report", f"{HOSPITAL}, {in_progress.reference}"))
    walk.upload("Upload the report", pdf, "Upload")
    assert "Report uploaded as version 1." in walk.success()

    # A recommendation and the action that answers it.
    walk.click("link", "Add a recommendation")
    page.get_by_label("Recommendation").fill(
        "Health visitors should see every child awake and undressed after a domestic abuse call."
    )
    walk.click("button", "Add the recommendation")
    assert "Recommendation 1 recorded." in walk.success()
    walk.click("link", "Add an action for recommendation 1")
    chosen = page.get_by_label("Which recommendation does it answer?").locator("option:checked")
    assert chosen.inner_text().startswith("1. Health visitors should see every child")
    page.get_by_label("What will be done").fill(
        "Audit 20 health visiting records after domestic abuse calls."
    )
    page.get_by_label("Owner").fill("Named Nurse for Safeguarding")
    walk.date("due_on", today + datetime.timedelta(days=60))
    page.get_by_label("How you will know it worked").fill("The audit finds every child seen within a week.")
    walk.click("button", "Add the action")
    assert "Action added to the action plan." in walk.success()

    # Every task is done: the author submits, and can no longer add to the IMR.
    statuses = page.locator(".govuk-task-list__status").all_inner_texts()
    assert statuses == ["Completed"] * 5
    walk.screenshot("2-imr-ready-to-submit")
    walk.click("link", "Submit the IMR")
    walk.click("button", "Submit the IMR")
    assert "Done: Submit the IMR." in walk.success()
    assert page.locator(".govuk-summary-list__row", has_text="Status").inner_text().endswith("Submitted")
    assert page.get_by_role("link", name="Add a recommendation").count() == 0
    walk.sign_out()

    # The overview author opens the review, then the IMR from its status, and returns it with a note.
    walk.sign_in("overview")
    walk.click("link", "Tracker")
    walk.click("link", in_progress.reference)
    # The hidden words are a block of their own to the accessibility tree: a space before the colon.
    walk.click("link", re.compile(rf"^Submitted\W+open {HOSPITAL}'s IMR$"))
    walk.click("link", "Return the IMR for more work")
    walk.click("button", "Return the IMR for more work")
    assert "Say what more work the IMR needs" in walk.errors()
    # Needed, so not labelled optional.
    page.get_by_label("What more work does the IMR need?").fill(RETURN_NOTE)
    walk.click("button", "Return the IMR for more work")
    assert "Done: Return the IMR for more work." in walk.success()
    assert (
        page.locator(".govuk-summary-list__row", has_text="Status")
        .inner_text()
        .endswith("Returned for more work")
    )

    # The integrated chronology of the review whose IMRs are in, and its PDF, prepared on request.
    walk.goto("/")
    walk.click("link", "Tracker")
    walk.click("link", submitted.reference)
    walk.click("link", "Integrated chronology")
    assert walk.h1().endswith("Integrated chronology")
    walk.click("link", re.compile("PDF"))
    walk.click("button", "Prepare the PDF")
    for _ in range(5):
        if page.get_by_role("link", name="Download the PDF").count():
            break
        walk.click("link", "Check again")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"{submitted.reference}-integrated-chronology.pdf"
    with open(download.value.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"
    walk.sign_out()

    # The author sees the note on their IMR, and may add to it again.
    walk.sign_in("author")
    walk.click("link", imr_link)
    banner = page.get_by_role("region", name="Returned for more work")
    assert RETURN_NOTE in banner.inner_text()
    assert page.get_by_role("link", name="Add a recommendation").count() == 1
    walk.screenshot("3-imr-returned")

    assert IMR.objects.get(pk=imr.pk).state == IMR.State.RETURNED
    assert len(axe.pages) > 25
    assert axe.violations == []
