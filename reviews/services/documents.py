"""Documents and their versions: every upload a new version, none overwritten, each checked and audited."""

import hashlib
import mimetypes

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from reviews import permissions as perms
from reviews import uploads
from reviews.models import IMR, ActionItem, AuditEvent, Document, DocumentVersion
from reviews.services.chronology import writable_imr
from reviews.services.common import audit_record, refuse_if_withdrawn

# Kinds people upload, checked by content as PDF or DOCX; the product's own PDFs (the ToR, the
# Ofsted pack) are written by the product and stored as they are.
UPLOADED = (Document.Kind.IMR_REPORT, Document.Kind.OVERVIEW_REPORT, Document.Kind.ACTION_EVIDENCE)


def may_add_version(actor, document: Document) -> bool:
    """The IMR report: its author while it is editable; the overview report: its author; else the panel or manager."""
    if document.kind == Document.Kind.IMR_REPORT:
        return perms.can_write_imr(actor, document.imr)
    if document.kind == Document.Kind.ACTION_EVIDENCE:
        return (
            perms.can_update_action(actor, document.action)
            and document.action.state != ActionItem.State.VERIFIED
        )
    if document.kind == Document.Kind.OVERVIEW_REPORT:
        return perms.is_overview_author_of(actor, document.review) or perms.runs_reviews(actor)
    return perms.runs_reviews(actor)


@transaction.atomic
def document_add_version(
    *, actor, document: Document, content: bytes, filename: str, content_type: str = ""
) -> DocumentVersion:
    """Store a new version of a document; earlier versions are kept untouched."""
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("review", "imr", "action__plan")
        .get(pk=document.pk)
    )
    if not may_add_version(actor, document):
        raise PermissionDenied(f"{actor} may not add a version of {document}.")
    refuse_if_withdrawn(document.review_id, what="its documents")
    if document.kind in UPLOADED:
        checked = uploads.check_report(filename, content)
        filename, content_type = checked.filename, checked.content_type
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


@transaction.atomic
def imr_report_upload(*, actor, imr: IMR, content: bytes, filename: str) -> DocumentVersion:
    """Upload the IMR report: the first upload creates it, each later one is its next version."""
    imr = writable_imr(actor, imr)  # locked: two first uploads at once make one report with two versions
    document = imr.documents.filter(kind=Document.Kind.IMR_REPORT).first()
    if document is None:
        return document_create(
            actor=actor,
            review=imr.participation.review,
            imr=imr,
            kind=Document.Kind.IMR_REPORT,
            title=f"IMR report, {imr.participation.agency}",
            content=content,
            filename=filename,
        )
    return document_add_version(actor=actor, document=document, content=content, filename=filename)
