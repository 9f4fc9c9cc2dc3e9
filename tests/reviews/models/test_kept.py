"""Records and documents are kept: the product has no way to delete them, and the database refuses too."""

import pytest
from django.db.models import ProtectedError

from reviews import services
from reviews.models import Document, DocumentVersion, ReviewState
from reviews.sample_pdf import text_pdf


@pytest.mark.django_db
def test_a_review_its_documents_and_the_people_who_wrote_them_cannot_be_deleted(walk, cast):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imr = services.imr_move(
        actor=cast["author"], imr=review.participations.get(agency=cast["hospital"]).imr, move="start"
    )
    version = services.imr_report_upload(
        actor=cast["author"], imr=imr, content=text_pdf("Report"), filename="r.pdf"
    )
    document = version.document

    # A version is kept by having no way to delete it (no service, the admin read-only); the rows
    # above it refuse to go while it exists.
    for record in (review, document, cast["author"]):
        with pytest.raises(ProtectedError):
            record.delete()

    assert Document.objects.filter(pk=document.pk).exists()
    assert DocumentVersion.objects.filter(pk=version.pk).exists()
    with version.file.open("rb") as stored:
        assert stored.read() == text_pdf("Report")
