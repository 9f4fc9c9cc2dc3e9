"""Text with markup and template syntax shows as the text typed: in pages, in e-mails, in PDFs.

A referral, a chronology entry, an action and a recommendation are written with a script, a bold
tag and Django template syntax in them. The pages show them escaped (the script never reaches the
page as markup, and the template syntax is not evaluated); the e-mails carry links and no content,
so none of the text reaches them at all; the PDFs print the characters as they were typed.
"""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import pdf, services
from reviews.models import OutboxMessage, ReviewState

MARKUP = "<script>alert(1)</script><b>x</b>"
TEMPLATE = "{{ 7*7 }}"
TYPED = f"{MARKUP} {TEMPLATE}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"


@pytest.fixture
def hostile_review(walk):
    """A review at "IMRs in progress" whose referral, chronology, action and recommendation carry the markup."""
    cast = walk.cast
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    author = cast["author"]
    imr = services.imr_move(
        actor=author, imr=review.participations.get(agency=cast["hospital"]).imr, move="start"
    )
    entry = services.chronology_entry_add(
        actor=author,
        imr=imr,
        date=timezone.localdate() - datetime.timedelta(days=3),
        contact_type="home visit",
        with_whom="mother",
        practitioner=f"Health Visitor 1 {MARKUP}",
        summary=TYPED,
        outcome=TYPED,
        comment=TYPED,
    )
    recommendation = services.recommendation_add(actor=author, review=review, imr=imr, text=TYPED)
    action = services.action_item_add(
        actor=author,
        review=review,
        agency=cast["hospital"],
        description=TYPED,
        owner=f"Named Nurse {MARKUP}",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        success_measure=TYPED,
        recommendation=recommendation,
    )
    return review, imr, entry, action


def assert_shown_as_text(html: str):
    assert ESCAPED in html
    assert MARKUP not in html
    assert "<b>x</b>" not in html
    assert TEMPLATE in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("reviews:chronology", "author"),
        ("reviews:imr-detail", "author"),
        ("reviews:action-detail", "author"),
        ("reviews:chronology-entry-change", "author"),
        ("reviews:integrated-chronology", "manager"),
        ("reviews:action-list", "manager"),
    ],
)
def test_pages_show_the_markup_as_text(client, walk, hostile_review, url, role):
    review, imr, entry, action = hostile_review
    kwargs = {
        "reviews:chronology": {"pk": imr.pk},
        "reviews:imr-detail": {"pk": imr.pk},
        "reviews:action-detail": {"pk": action.pk},
        "reviews:chronology-entry-change": {"pk": imr.pk, "entry_pk": entry.pk},
        "reviews:integrated-chronology": {"pk": review.pk},
        "reviews:action-list": {},
    }[url]
    client.force_login(walk.cast[role])
    response = client.get(reverse(url, kwargs=kwargs))
    assert response.status_code == 200
    assert_shown_as_text(response.content.decode())


@pytest.mark.django_db
def test_a_referral_with_markup_shows_as_text_and_reaches_no_email(client, cast, external_bodies):
    client.force_login(cast["referrer"])
    response = client.post(
        reverse("reviews:referral-create"),
        {
            "child_name": f"Alex {MARKUP}",
            "child_date_of_birth_day": "4",
            "child_date_of_birth_month": "5",
            "child_date_of_birth_year": "2020",
            "family_members": TYPED,
            "incident_date_day": str(timezone.localdate().day),
            "incident_date_month": str(timezone.localdate().month),
            "incident_date_year": str(timezone.localdate().year),
            "incident_kind": "death",
            "summary": TYPED,
            "agencies_involved": [str(cast["hospital"].pk)],
            "police_investigating": "no",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert_shown_as_text(page.content.decode())
    # Notification 1 to each external body: queued with the referral, and free of what was typed.
    messages = list(OutboxMessage.objects.all())
    assert len(messages) == len(external_bodies)
    for message in messages:
        for part in (message.subject, message.body_text, message.body_html):
            assert "alert(1)" not in part
            assert "7*7" not in part
            assert "Alex" not in part


def pdf_text(content: bytes) -> str:
    """The PDF's text, white space aside: a line breaks wherever the page's width falls."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["chronology", "integrated"])
def test_pdfs_print_the_markup_as_typed(hostile_review, which):
    review, imr, _, _ = hostile_review
    content = {
        "chronology": lambda: pdf.chronology_pdf(review, imr),
        "integrated": lambda: pdf.chronology_pdf(review),
    }[which]()
    text = pdf_text(content)
    assert squeezed(MARKUP) in text
    assert squeezed(TEMPLATE) in text
    assert "&lt;" not in text


@pytest.mark.django_db
def test_the_terms_of_reference_pdf_prints_the_markup_as_typed(walk):
    review = walk.at(ReviewState.TOR_DRAFTING)
    services.tor_update(
        actor=walk.cast["chair"],
        review=review,
        period_start=datetime.date(2020, 1, 1),
        period_end=timezone.localdate(review.referral.received_at),
        focus_areas=[TYPED],
        agencies=[walk.cast["hospital"]],
        further_detail=TYPED,
    )
    text = pdf_text(pdf.terms_of_reference_pdf(review, draft=True))
    assert text.count(squeezed(MARKUP)) == 2
    assert text.count(squeezed(TEMPLATE)) == 2
