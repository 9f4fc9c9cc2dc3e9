"""Access by role and by grant (access.md): a 404 for anyone without a grant, and every IMR view audited."""

import pytest
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.models import AuditEvent, ReviewState
from reviews.sample_pdf import text_pdf


@pytest.fixture
def review(walk):
    review = walk.ready(walk.at(ReviewState.AGENCIES_ENGAGED))
    return services.review_move(actor=walk.cast["manager"], review=review, move="start_imrs")


@pytest.fixture
def hospital_imr(review, walk):
    return review.participations.get(agency=walk.cast["hospital"]).imr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("author", 200),
        ("chair", 200),
        ("panel", 200),
        ("manager", 200),
        ("author2", 404),  # another agency's IMR author
        ("policemanager", 404),
        ("agencymanager", 404),  # own agency, but not until the IMR is submitted
        ("board", 404),
        ("qa", 404),
        ("overview", 404),  # not commissioned on this review
        ("referrer", 404),
    ],
)
def test_imr_page_by_role(client, walk, hospital_imr, who, status):
    client.force_login(walk.cast[who])
    response = client.get(reverse("reviews:imr-detail", args=[hospital_imr.pk]))
    assert response.status_code == status
    viewed = AuditEvent.objects.filter(
        action="viewed", object_type="reviews.imr", object_id=str(hospital_imr.pk)
    )
    assert list(viewed.values_list("actor__username", flat=True)) == ([who] if status == 200 else [])


@pytest.mark.django_db
def test_other_agency_author_gets_404(client, walk, hospital_imr):
    client.force_login(walk.cast["author2"])
    response = client.get(reverse("reviews:imr-detail", args=[hospital_imr.pk]))
    assert response.status_code == 404
    assert "Leeds Teaching Hospitals" not in response.content.decode()


@pytest.mark.django_db
def test_agency_manager_sees_own_imr_after_submission(client, walk, hospital_imr):
    walk.complete_imr(hospital_imr)
    client.force_login(walk.cast["agencymanager"])
    assert client.get(reverse("reviews:imr-detail", args=[hospital_imr.pk])).status_code == 200


@pytest.mark.django_db
def test_moving_the_author_moves_the_grant(client, walk, hospital_imr, second_hospital_author):
    old, new = walk.cast["author"], second_hospital_author
    review = hospital_imr.participation.review
    assert perms.can_view_imr(old, hospital_imr) and perms.can_write_imr(old, hospital_imr)

    imr = services.imr_nominate_author(
        actor=walk.cast["agencymanager"], participation=hospital_imr.participation, author=new
    )

    old, new = type(old).objects.get(pk=old.pk), type(new).objects.get(pk=new.pk)  # fresh permission caches
    assert not perms.can_view_imr(old, imr)
    assert not perms.can_write_imr(old, imr)
    assert not perms.can_view_review(old, review)
    assert perms.can_view_imr(new, imr)
    assert perms.can_view_review(new, review)
    assert perms.can_write_imr(new, imr)
    client.force_login(old)
    assert client.get(reverse("reviews:imr-detail", args=[imr.pk])).status_code == 404
    assert client.get(reverse("reviews:review-detail", args=[review.pk])).status_code == 404
    client.force_login(new)
    assert client.get(reverse("reviews:imr-detail", args=[imr.pk])).status_code == 200
    assert imr.declaration_signed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("author", 200),
        ("manager", 200),
        ("author2", 404),
        ("board", 404),
        ("referrer", 404),
        ("outsider", 404),
    ],
)
def test_imr_report_download_checks_access_and_is_audited(client, walk, hospital_imr, outsider, who, status):
    walk.cast["outsider"] = outsider
    walk.complete_imr(hospital_imr)
    version = hospital_imr.documents.get().versions.get()
    client.force_login(walk.cast[who])
    response = client.get(reverse("reviews:document-download", args=[version.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == text_pdf("IMR report")
        assert response["Content-Disposition"] == 'attachment; filename="imr-report.pdf"'
        assert response["Content-Type"] == "application/pdf"
    downloads = AuditEvent.objects.filter(action="downloaded", object_id=str(version.pk))
    assert list(downloads.values_list("actor__username", flat=True)) == ([who] if status == 200 else [])


@pytest.mark.django_db
def test_documents_are_versioned_never_overwritten(walk, hospital_imr):
    import hashlib

    author = walk.cast["author"]
    imr = services.imr_move(actor=author, imr=hospital_imr, move="start")
    first_pdf, second_pdf = text_pdf("IMR report"), text_pdf("IMR report, revised")
    first = services.imr_report_upload(actor=author, imr=imr, content=first_pdf, filename="imr.pdf")
    second = services.imr_report_upload(actor=author, imr=imr, content=second_pdf, filename="imr.pdf")
    document = imr.documents.get()
    assert [(v.number, v.sha256) for v in document.versions.all()] == [
        (1, hashlib.sha256(first_pdf).hexdigest()),
        (2, hashlib.sha256(second_pdf).hexdigest()),
    ]
    assert first.file.name != second.file.name
    with first.file.open("rb") as f:
        assert f.read() == first_pdf
