"""The PDF module: the restricted fetcher, user text escaped, every PDF tagged for screen readers."""

import datetime
import io

import pypdf
import pytest
from django.utils import timezone

from reviews import pdf, services
from reviews.models import ReviewState

HOSTILE = '<img src="file:///etc/passwd"> and <a href="http://example.invalid/x">a link</a>'


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/static/pdf/documents.css",
        "http://example.invalid/x",
        "https://example.invalid/static/pdf/documents.css",
        "http://scr-static.invalid/static/pdf/documents.css",
        "data:text/plain,hello",
        "/static/../../etc/passwd",
        "/static/pdf/../../../etc/passwd",
        "/static/pdf/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{pdf.ORIGIN}/static/../etc/passwd",
        f"{pdf.ORIGIN}/etc/passwd",
        "/etc/passwd",
        "../etc/passwd",
        "/static/pdf\\..\\..\\etc\\passwd",
        "/static/pdf/missing.css",
        "//example.invalid/static/pdf/documents.css",
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.static_fetcher().fetch(url)


@pytest.mark.parametrize(
    "url", ["/static/pdf/documents.css", f"{pdf.ORIGIN}/static/pdf/documents.css", "pdf/documents.css"]
)
def test_the_fetcher_serves_a_static_file(url):
    response = pdf.static_fetcher().fetch(url)
    assert response.read().startswith(b"/* What every PDF of the product shares")
    assert response.content_type == "text/css"


@pytest.fixture
def imr_with_hostile_entry(walk):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    author = walk.cast["author"]
    imr = services.imr_move(
        actor=author, imr=review.participations.get(agency=walk.cast["hospital"]).imr, move="start"
    )
    services.chronology_entry_add(
        actor=author,
        imr=imr,
        date=timezone.localdate() - datetime.timedelta(days=3),
        contact_type="home visit",
        with_whom="mother",
        practitioner="Health Visitor 1",
        summary=HOSTILE,
    )
    return imr


def _asked(monkeypatch):
    asked = []
    real = pdf.static_path

    def spy(url):
        asked.append(url)
        return real(url)

    monkeypatch.setattr(pdf, "static_path", spy)
    return asked


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_user_text_is_shown_escaped_and_nothing_it_names_is_fetched(imr_with_hostile_entry, monkeypatch):
    asked = _asked(monkeypatch)
    content = pdf.chronology_pdf(imr_with_hostile_entry.participation.review, imr_with_hostile_entry)
    text = " ".join(_text(content).split())
    assert '<img src="file:///etc/passwd">' in text
    assert '<a href="http://example.invalid/x">a link</a>' in text
    # Only the shared stylesheet was asked for: the entry's text named no resource.
    assert asked == [f"{pdf.ORIGIN}/static/pdf/documents.css"]
    assert b"/URI" not in content  # no link annotation to the outside address


def _catalog(content: bytes):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, reader.trailer["/Root"]


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["chronology", "integrated", "tor"])
def test_every_pdf_is_tagged_with_its_language_and_title(imr_with_hostile_entry, which):
    imr = imr_with_hostile_entry
    review = imr.participation.review
    content, title = {
        "chronology": lambda: (pdf.chronology_pdf(review, imr), f"Chronology of {imr.participation.agency}"),
        "integrated": lambda: (pdf.chronology_pdf(review), "Integrated chronology"),
        "tor": lambda: (pdf.terms_of_reference_pdf(review), "Terms of reference"),
    }[which]()
    reader, catalog = _catalog(content)
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == f"{title} \N{EN DASH} {review.reference}"
    tree = catalog["/StructTreeRoot"].get_object()
    tags = set()

    def walk_tree(node, depth=0):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                tags.add(node["/S"])
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
                    walk_tree(kid, depth + 1)

    walk_tree(tree)
    assert "/H1" in tags
    assert {"/Table", "/TH", "/TD"} <= tags
