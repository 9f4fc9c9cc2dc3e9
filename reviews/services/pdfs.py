"""PDFs prepared in the background: asked for by a reader, rendered by a task, kept until the source changes."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import IMR, AuditEvent, RenderedPdf, Review
from reviews.pdf import render_kind, source_stamp
from reviews.services.common import audit_record

logger = logging.getLogger(__name__)


def may_read(user, kind, review: Review, imr: IMR | None) -> bool:
    if kind == RenderedPdf.Kind.CHRONOLOGY:
        return perms.can_view_imr(user, imr)
    if kind == RenderedPdf.Kind.INTEGRATED_CHRONOLOGY:
        return perms.can_view_integrated_chronology(user, review)
    if kind == RenderedPdf.Kind.ACTION_PROGRESS:
        return perms.can_view_action_progress(user)
    return perms.can_view_tor(user, review)


def _subject(rendered: RenderedPdf) -> str:
    if rendered.kind == RenderedPdf.Kind.CHRONOLOGY:
        return f"the chronology of {rendered.imr}"
    if rendered.kind == RenderedPdf.Kind.INTEGRATED_CHRONOLOGY:
        return f"the integrated chronology of {rendered.review}"
    if rendered.kind == RenderedPdf.Kind.ACTION_PROGRESS:
        return f"the action plan progress report of {rendered.review}"
    return f"the terms of reference of {rendered.review}"


@transaction.atomic
def pdf_request(*, actor, kind: str, review: Review, imr: IMR | None = None) -> RenderedPdf:
    """Queue the PDF of the source as it is now, unless one is queued or ready for it; a failed one is tried again."""
    if not may_read(actor, kind, review, imr):
        raise PermissionDenied("Only those who may read it ask for its PDF.")
    stamp = source_stamp(kind, review, imr)
    # The unique constraint on (kind, subject, stamp) makes two requests at the same instant one job.
    rendered, created = RenderedPdf.objects.get_or_create(
        kind=kind, review=review, imr=imr, stamp=stamp, defaults={"requested_by": actor}
    )
    queue = created
    if not created:
        rendered = RenderedPdf.objects.select_for_update().get(pk=rendered.pk)
        if rendered.state == RenderedPdf.State.FAILED:
            rendered.state, rendered.error, rendered.requested_by = RenderedPdf.State.QUEUED, "", actor
            rendered.finished_at = None
            rendered.save(update_fields=["state", "error", "requested_by", "finished_at"])
            queue = True
    if queue:
        from reviews.tasks import render_pdf

        transaction.on_commit(lambda: render_pdf.delay(rendered.pk))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REQUESTED,
        obj=rendered,
        review=review,
        summary=f"Asked for the PDF of {_subject(rendered)}"
        + ("" if queue else f" ({rendered.get_state_display().lower()} already)"),
    )
    return rendered


def pdf_render(*, rendered: RenderedPdf) -> RenderedPdf:
    """Render a queued PDF and store it; a PDF no longer queued is left alone, so running twice does nothing.

    Not one transaction: a long chronology takes seconds to render, and no row stays locked
    meanwhile. The result is stored only if the job is still queued when it is done.
    """
    rendered = RenderedPdf.objects.select_related("review", "imr__participation__agency").get(pk=rendered.pk)
    if rendered.state != RenderedPdf.State.QUEUED:
        return rendered
    review, imr = rendered.review, rendered.imr
    try:
        if source_stamp(rendered.kind, review, imr) != rendered.stamp:
            raise ValueError("The source changed before the PDF was prepared.")
        content = render_kind(rendered.kind, review, imr)
    except Exception as error:
        logger.exception("PDF %s could not be rendered", rendered.pk)
        return _finish(rendered, error=f"{type(error).__name__}: {error}"[:2000])
    return _finish(rendered, content=content)


def _drop_superseded(rendered: RenderedPdf) -> None:
    """Forget the finished PDFs of the same document asked for before this one: their source has changed.

    Their files go once the transaction commits; a PDF asked for later (of a newer source) is left alone.
    """
    superseded = RenderedPdf.objects.filter(
        kind=rendered.kind,
        review=rendered.review,
        imr=rendered.imr,
        requested_at__lt=rendered.requested_at,
        state__in=(RenderedPdf.State.READY, RenderedPdf.State.FAILED),
    ).exclude(stamp=rendered.stamp)
    names = [name for name in superseded.values_list("file", flat=True) if name]
    superseded.delete()
    storage = rendered.file.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


@transaction.atomic
def _finish(rendered: RenderedPdf, *, content: bytes | None = None, error: str = "") -> RenderedPdf:
    rendered = RenderedPdf.objects.select_for_update().get(pk=rendered.pk)
    if rendered.state != RenderedPdf.State.QUEUED:
        return rendered
    rendered.finished_at = timezone.now()
    if content is None:
        rendered.state, rendered.error = RenderedPdf.State.FAILED, error
        summary = f"The PDF of {_subject(rendered)} could not be prepared"
    else:
        rendered.file.save(f"{rendered.kind}.pdf", ContentFile(content), save=False)
        rendered.state, rendered.size = RenderedPdf.State.READY, len(content)
        summary = f"Prepared the PDF of {_subject(rendered)}"
        _drop_superseded(rendered)
    rendered.save()
    audit_record(
        actor=rendered.requested_by,
        action=AuditEvent.Action.PREPARED,
        obj=rendered,
        review=rendered.review,
        summary=summary,
    )
    return rendered
