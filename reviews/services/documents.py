import hashlib
import mimetypes

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from reviews.models import AuditEvent, Document, DocumentVersion
from reviews.services.common import ActionNotAllowed, audit_record

MAX_UPLOAD_BYTES = 25 * 1024 * 1024


@transaction.atomic
def document_add_version(
    *, actor, document: Document, content: bytes, filename: str, content_type: str = ""
) -> DocumentVersion:
    """Store a new version of a document; earlier versions are kept untouched."""
    if not content:
        raise ActionNotAllowed("The selected file is empty.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ActionNotAllowed("The selected file must be smaller than 25 MB.")
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_filename=filename[:255],
        content_type=content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    version.file.save(filename, ContentFile(content), save=False)
    version.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=version,
        review=document.review,
        summary=f"{document} version {number} uploaded",
    )
    return version


@transaction.atomic
def document_create(
    *, actor, review, kind: str, title: str, imr=None, content: bytes, filename: str, content_type: str = ""
) -> DocumentVersion:
    """Create a document with its first version."""
    document = Document.objects.create(review=review, kind=kind, title=title, imr=imr)
    return document_add_version(
        actor=actor, document=document, content=content, filename=filename, content_type=content_type
    )
