"""PDFs prepared in the background: asked for on a page, offered when ready, never stale, downloads audited."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import AuditEvent, RenderedPdf, ReviewState
from reviews.tasks import render_pdf

A = AuditEvent.Action
TODAY = timezone.localdate


def started_imr(walk, agency="hospital", author="author"):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS) if agency == "hospital" else walk.review
    imr = review.participations.get(agency=walk.cast[agency]).imr
    imr = services.imr_move(actor=walk.cast[author], imr=imr, move="start")
    walk.review = review
    add_entry(walk.cast[author], imr, f"Seen by {agency}.")
    return imr


def add_entry(author, imr, summary, days=10):
    return services.chronology_entry_add(
        actor=author,
        imr=imr,
        date=TODAY() - datetime.timedelta(days=days),
        contact_type="home visit",
        with_whom="mother",
        practitioner="Health Visitor 1",
        summary=summary,
    )


def ask(client, url, capture, *, run=True):
    with capture(execute=run):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    return client.get(url)


@pytest.mark.django_db
def test_the_author_asks_for_the_chronology_pdf_and_downloads_it(
    client, walk, django_capture_on_commit_callbacks
):
    imr = started_imr(walk)
    author = walk.cast["author"]
    client.force_login(author)
    url = reverse("reviews:chronology-pdf", args=[imr.pk])
    before = client.get(url).content.decode()
    assert "Prepare the PDF" in before and "Download the PDF" not in before
    page = ask(client, url, django_capture_on_commit_callbacks).content.decode()
    assert "Download the PDF" in page
    download = client.get(reverse("reviews:chronology-pdf-download", args=[imr.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")
    rows = AuditEvent.objects.filter(actor=author, object_type="reviews.renderedpdf")
    assert list(rows.order_by("pk").values_list("action", flat=True)) == [
        A.REQUESTED,
        A.PREPARED,
        A.DOWNLOADED,
    ]
    assert rows.get(action=A.DOWNLOADED).summary == f"Downloaded the PDF of the agency chronology of {imr}"


@pytest.mark.django_db
def test_asking_again_for_the_same_chronology_queues_nothing_new(
    client, walk, django_capture_on_commit_callbacks
):
    imr = started_imr(walk)
    client.force_login(walk.cast["author"])
    url = reverse("reviews:chronology-pdf", args=[imr.pk])
    queued = ask(client, url, django_capture_on_commit_callbacks, run=False).content.decode()
    assert "The PDF is being prepared" in queued
    assert '<meta http-equiv="refresh" content="3">' in queued
    assert f'<a class="govuk-link" href="{url}">Check again</a>' in queued
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url)
    assert callbacks == []  # one is queued already: nothing new
    assert RenderedPdf.objects.count() == 1
    render_pdf.delay(RenderedPdf.objects.get().pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url)
    assert callbacks == []
    assert RenderedPdf.objects.get().state == RenderedPdf.State.READY


@pytest.mark.django_db
def test_a_changed_chronology_is_never_served_from_the_old_pdf(
    client, walk, django_capture_on_commit_callbacks
):
    imr = started_imr(walk)
    client.force_login(walk.cast["author"])
    url = reverse("reviews:chronology-pdf", args=[imr.pk])
    download = reverse("reviews:chronology-pdf-download", args=[imr.pk])
    ask(client, url, django_capture_on_commit_callbacks)
    add_entry(walk.cast["author"], imr, "Another visit.")
    assert "Prepare the PDF" in client.get(url).content.decode()
    assert client.get(download)["Location"] == url
    old = RenderedPdf.objects.get(imr=imr)
    assert old.file.storage.exists(old.file.name)
    ask(client, url, django_capture_on_commit_callbacks)
    # The new PDF replaces the old one: its row and its file are gone.
    assert list(RenderedPdf.objects.filter(imr=imr).values_list("state", flat=True)) == ["ready"]
    assert RenderedPdf.objects.get(imr=imr).pk != old.pk
    assert not old.file.storage.exists(old.file.name)
    assert client.get(download).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["add", "change", "delete", "import"])
def test_every_chronology_service_makes_the_pdf_stale(walk, change):
    imr = started_imr(walk)
    author = walk.cast["author"]
    before = type(imr).objects.get(pk=imr.pk).chronology_version
    entry = imr.chronology_entries.get()
    if change == "add":
        add_entry(author, imr, "More.")
    elif change == "change":
        services.chronology_entry_change(actor=author, entry=entry, summary="Changed.")
    elif change == "delete":
        services.chronology_entry_delete(actor=author, entry=entry)
    else:
        content = b"date,contact_type,with_whom,practitioner,summary\n01/02/2024,phone call,mother,Health Visitor 1,Called.\n"
        services.chronology_import(actor=author, imr=imr, filename="c.csv", content=content)
    assert type(imr).objects.get(pk=imr.pk).chronology_version == before + 1


@pytest.mark.django_db
def test_a_failed_render_says_so_and_can_be_asked_again(
    client, walk, django_capture_on_commit_callbacks, monkeypatch
):
    imr = started_imr(walk)
    client.force_login(walk.cast["author"])
    url = reverse("reviews:chronology-pdf", args=[imr.pk])

    def broken(*args):
        raise RuntimeError("Pango fell over")

    monkeypatch.setattr("reviews.services.pdfs.render_kind", broken)
    page = ask(client, url, django_capture_on_commit_callbacks).content.decode()
    assert "The PDF could not be prepared" in page and "Try again" in page
    assert RenderedPdf.objects.get().error == "RuntimeError: Pango fell over"
    assert client.get(reverse("reviews:chronology-pdf-download", args=[imr.pk]))["Location"] == url
    monkeypatch.undo()
    page = ask(client, url, django_capture_on_commit_callbacks).content.decode()
    assert "Download the PDF" in page
    assert RenderedPdf.objects.get().state == RenderedPdf.State.READY


@pytest.mark.django_db
def test_the_task_run_twice_renders_once(walk, django_capture_on_commit_callbacks):
    imr = started_imr(walk)
    with django_capture_on_commit_callbacks(execute=False):
        rendered = services.pdf_request(
            actor=walk.cast["author"], kind="chronology", review=imr.participation.review, imr=imr
        )
    render_pdf.delay(rendered.pk)
    rendered.refresh_from_db()
    name = rendered.file.name
    render_pdf.delay(rendered.pk)
    rendered.refresh_from_db()
    assert rendered.file.name == name and name.startswith(f"pdfs/{rendered.review_id}/")
    assert AuditEvent.objects.filter(action=A.PREPARED).count() == 1
    assert render_pdf.acks_late is True


@pytest.mark.django_db
def test_another_agencys_author_gets_404_and_a_denied_row(client, walk):
    imr = started_imr(walk)
    other = walk.cast["author2"]
    client.force_login(other)
    for name in ("reviews:chronology-pdf", "reviews:chronology-pdf-download"):
        assert client.get(reverse(name, args=[imr.pk])).status_code == 404
        assert client.post(reverse(name, args=[imr.pk])).status_code == 404
    assert (
        AuditEvent.objects.filter(actor=other, action=A.DENIED, summary=f"Tried to open {imr}").count() == 4
    )
    assert not RenderedPdf.objects.exists()


@pytest.mark.django_db
def test_the_integrated_chronology_pdf_merges_every_agency(client, walk, django_capture_on_commit_callbacks):
    hospital = started_imr(walk)
    police = started_imr(walk, "police", "author2")
    review = hospital.participation.review
    url = reverse("reviews:integrated-chronology-pdf", args=[review.pk])
    client.force_login(walk.cast["author"])
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(
        actor=walk.cast["author"],
        action=A.DENIED,
        summary=f"Tried to open the integrated chronology of {review}",
    ).exists()
    client.force_login(walk.cast["chair"])
    assert "Download the PDF" in ask(client, url, django_capture_on_commit_callbacks).content.decode()
    rendered = RenderedPdf.objects.get(kind="integrated_chronology")
    # A change to any agency's chronology makes it stale.
    add_entry(walk.cast["author2"], police, "Police again.")
    assert "Prepare the PDF" in client.get(url).content.decode()
    assert rendered.imr is None


@pytest.mark.django_db
def test_the_draft_tor_pdf_is_prepared_in_the_background(client, walk, django_capture_on_commit_callbacks):
    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    client.force_login(walk.cast["board"])
    pdf_url = reverse("reviews:tor-pdf", args=[review.pk])
    page_url = reverse("reviews:tor-pdf-page", args=[review.pk])
    assert client.get(pdf_url)["Location"] == page_url
    ask(client, page_url, django_capture_on_commit_callbacks)
    download = client.get(pdf_url)
    assert download["Content-Disposition"].startswith("attachment;")
    assert pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content))).trailer["/Root"][
        "/StructTreeRoot"
    ]
    # A change to what the ToR shows makes the prepared one stale.
    services.involved_staff_add(
        actor=walk.cast["manager"],
        review=review,
        agency=walk.cast["hospital"],
        pseudonym="Nurse 2",
        real_name="Ann Other",
        role_title="Nurse",
    )
    assert client.get(pdf_url)["Location"] == page_url
