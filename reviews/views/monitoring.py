"""Monitoring every action plan: the list with its colours and exports, and each action's updates.

The QA sub-group, the panel, the business manager and the board see every action; an agency's
senior manager and IMR author see their agency's. The owner records progress and uploads
evidence; the QA sub-group records its monitoring notes and verifies or reopens (actions.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from reviews import permissions as perms
from reviews import services, uploads
from reviews.filters import ActionFilter
from reviews.forms import (
    DueDateChangeForm,
    EvidenceUploadForm,
    EvidenceVersionForm,
    MonitoringNoteForm,
    ProgressForm,
)
from reviews.lists import list_page, list_queryset
from reviews.models import Document, DocumentVersion
from reviews.monitoring import ACTION_SORTS, csv_lines, monitored_actions, xlsx_bytes
from reviews.views.actions import action_url, get_action_for_user
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import review_context


def _may_list(user) -> bool:
    return perms.can_list_actions(user) or perms.sees_agency_actions(user)


def _listing_args(request, today) -> dict:
    return {
        "filterset_class": ActionFilter,
        "filterset_kwargs": {"today": today, "agencies": perms.can_list_actions(request.user)},
        "sorts": ACTION_SORTS,
        "default_sort": "due",
    }


@login_required
def action_list(request):
    """Every action the person may monitor, red, amber or green, filtered, sorted and paged in SQL."""
    if not _may_list(request.user):
        raise Http404("No action plans here.")
    today = timezone.localdate()
    listing = list_page(
        request, monitored_actions(request.user, today=today), **_listing_args(request, today)
    )
    return render(
        request,
        "reviews/action_list.html",
        {
            "listing": listing,
            "today": today,
            "amber_days": settings.ACTION_AMBER_DAYS,
            "sees_all": perms.can_list_actions(request.user),
            "export_query": listing.query,
        },
    )


EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@never_cache
def action_export(request, fmt):
    """The filtered list, every row, as CSV or XLSX; cells that could run as formulas neutralised."""
    if not _may_list(request.user) or fmt not in EXPORTS:
        raise Http404("No action plans here.")
    today = timezone.localdate()
    items, *_ = list_queryset(
        request, monitored_actions(request.user, today=today), **_listing_args(request, today)
    )
    filename = f"actions-{today:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(items), content_type=EXPORTS[fmt])
    else:
        response = HttpResponse(xlsx_bytes(items), content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass
class HistoryRow:
    at: datetime
    by: object
    what: str
    note: str = ""
    version: DocumentVersion | None = None


def action_history(item, user) -> list[HistoryRow]:
    """Everything that happened to the action, newest first: moves, progress, monitoring, evidence."""
    from reviews.views.review import move_history

    rows = [
        HistoryRow(
            entry.timestamp,
            entry.by,
            f"{entry.get_source_state_display()} → {entry.get_state_display()}",
            (entry.description or "") if entry.note_visible else "",
        )
        for entry in move_history(item, user)
    ]
    rows += [
        HistoryRow(update.recorded_at, update.recorded_by, "Progress recorded", update.note)
        for update in item.progress_updates.select_related("recorded_by")
    ]
    rows += [
        HistoryRow(note.recorded_at, note.recorded_by, "Monitoring note", note.note)
        for note in item.monitoring_notes.select_related("recorded_by")
    ]
    rows += [
        HistoryRow(
            version.uploaded_at,
            version.uploaded_by,
            f"Evidence uploaded: {version.document.title}, version {version.number}",
            version=version,
        )
        for version in DocumentVersion.objects.filter(document__action=item).select_related(
            "document", "uploaded_by"
        )
    ]
    return sorted(rows, key=lambda row: row.at, reverse=True)


def evidence_documents(item):
    """The action's evidence, each with its versions newest first."""
    documents = list(item.evidence_documents.order_by("title", "pk"))
    versions = DocumentVersion.objects.filter(document__in=documents).select_related("uploaded_by")
    by_document = {}
    for version in versions.order_by("-number"):
        by_document.setdefault(version.document_id, []).append(version)
    for document in documents:
        document.all_versions = by_document.get(document.pk, [])
        document.latest = document.all_versions[0] if document.all_versions else None
    return documents


def _owned_action(request, pk, what: str):
    """The action, for its owner to change: others who may see it get 403 with the reason, and a row."""
    item = get_action_for_user(request.user, pk)
    if not perms.can_update_action(request.user, item):
        owner = (
            "the business manager"
            if item.plan.is_lscb_plan
            else f"{item.plan.agency}'s senior manager or IMR author"
        )
        refusal = f"Only {owner} {what} for this action."
        services.access_denied_record(
            actor=request.user,
            obj=item,
            review=item.plan.review,
            summary=f"Tried to change action {item.pk}: {refusal}",
        )
        raise PermissionDenied(refusal)
    if item.state == item.State.VERIFIED:
        raise PermissionDenied(
            "The QA sub-group has verified this action: it changes again only if the QA sub-group reopens it."
        )
    return item


def _form_context(item, **extra) -> dict:
    return {
        **review_context(item.plan.review),
        "item": item,
        "caption": f"{item.plan.review.reference} · {item.plan.agency or 'LSCB'} action plan",
        "back_url": action_url(item),
        "back_text": "Back to the action",
        "cancel_url": action_url(item),
        **extra,
    }


@login_required
def action_progress_add(request, pk):
    item = _owned_action(request, pk, "records progress")
    return handle_form(
        request,
        form=ProgressForm(posted(request)),
        template="reviews/review_form.html",
        context=_form_context(item, title="Record progress", submit="Record progress"),
        save=lambda data: services.action_progress_record(actor=request.user, item=item, note=data["note"]),
        success_message="Progress recorded.",
        success_url=action_url(item),
    )


def _monitored_action(request, pk, what: str):
    """The action, for the QA sub-group: others who may see it get 403 with the reason, and a row."""
    item = get_action_for_user(request.user, pk)
    if not perms.can_monitor_actions(request.user):
        services.access_denied_record(
            actor=request.user,
            obj=item,
            review=item.plan.review,
            summary=f"Tried to {what} on action {item.pk}: only the QA sub-group does",
        )
        raise PermissionDenied(f"Only the QA sub-group may {what}.")
    return item


@login_required
def action_due_date_change(request, pk):
    item = _monitored_action(request, pk, "agree a new due date")
    if item.state in item.DONE:
        raise PermissionDenied("The action is done: its due date no longer changes.")
    return handle_form(
        request,
        form=DueDateChangeForm(posted(request)),
        template="reviews/review_form.html",
        context=_form_context(
            item,
            title="Agree a new due date",
            intro=f"The action is due on {item.due_on:%-d %B %Y}. Its reminders follow the new date.",
            submit="Change the due date",
        ),
        save=lambda data: services.action_due_date_change(actor=request.user, item=item, **data),
        success_message=lambda note: f"The action is now due on {note.item.due_on:%-d %B %Y}.",
        success_url=action_url(item),
    )


@login_required
def action_note_add(request, pk):
    item = _monitored_action(request, pk, "record monitoring notes")
    return handle_form(
        request,
        form=MonitoringNoteForm(posted(request)),
        template="reviews/review_form.html",
        context=_form_context(item, title="Record a monitoring note", submit="Record the note"),
        save=lambda data: services.monitoring_note_add(actor=request.user, item=item, note=data["note"]),
        success_message="Monitoring note recorded.",
        success_url=action_url(item),
    )


def _read(upload) -> bytes:
    # One byte past the limit at most: enough for the service to refuse a file that grew.
    return upload.read(uploads.max_bytes() + 1)


@login_required
def action_evidence_add(request, pk):
    item = _owned_action(request, pk, "uploads evidence")
    return handle_form(
        request,
        form=EvidenceUploadForm(posted(request), request.FILES or None),
        template="reviews/action_evidence_form.html",
        context=_form_context(item, title="Upload evidence", max_size_words=uploads.size_words()),
        save=lambda data: services.action_evidence_add(
            actor=request.user,
            item=item,
            title=data["title"],
            content=_read(data["file"]),
            filename=data["file"].name,
        ),
        success_message=lambda version: f"Evidence “{version.document.title}” uploaded.",
        success_url=f"{action_url(item)}#evidence",
    )


@login_required
def action_evidence_versions(request, pk, document_pk):
    """One piece of evidence: its versions, each downloaded through the audited view; the owner uploads the next."""
    item = get_action_for_user(request.user, pk)
    document = get_object_or_404(Document, pk=document_pk, action=item, kind=Document.Kind.ACTION_EVIDENCE)
    can_write = perms.can_update_action(request.user, item) and item.state != item.State.VERIFIED
    if request.method == "POST" and not can_write:
        _owned_action(
            request, pk, "uploads evidence"
        )  # raises PermissionDenied with the reason, and writes its row
    return handle_form(
        request,
        form=EvidenceVersionForm(posted(request), request.FILES or None),
        template="reviews/action_evidence_versions.html",
        context=_form_context(
            item,
            document=document,
            can_write=can_write,
            versions=document.versions.select_related("uploaded_by").order_by("-number"),
            max_size_words=uploads.size_words(),
        ),
        save=lambda data: services.action_evidence_version_add(
            actor=request.user, document=document, content=_read(data["file"]), filename=data["file"].name
        ),
        success_message=lambda version: f"“{document.title}” uploaded as version {version.number}.",
        success_url=reverse("reviews:action-evidence-versions", args=[item.pk, document.pk]),
    )
