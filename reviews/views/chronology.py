"""The agency's chronology on the standard template: read by those who may see the IMR, written by its author."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from reviews import integrated, services
from reviews import permissions as perms
from reviews.access import get_imr_for_user, get_integrated_chronology_for_user, get_writable_imr_for_user
from reviews.charts import gap_words, swimlane_svg, swimlane_words
from reviews.chronology_import import COLUMNS as CHRONOLOGY_COLUMNS
from reviews.chronology_import import template_csv, template_xlsx
from reviews.filters import ChronologyFilter, IntegratedChronologyFilter
from reviews.forms import ChronologyEntryForm, ChronologyUploadForm, ConfirmForm
from reviews.lists import Sort, list_page
from reviews.models import ChronologyEntry, ContactType, WithWhom
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import review_context


def chronology_url(imr) -> str:
    return reverse("reviews:chronology", args=[imr.pk])


def _writable(request, pk):
    return get_writable_imr_for_user(
        request.user, pk, refusal="Only the IMR's author changes its chronology, until the IMR is submitted."
    )


def _entry(imr, entry_pk):
    entry = ChronologyEntry.objects.filter(imr=imr, pk=entry_pk).first()
    if entry is None:
        raise Http404("No such entry in this chronology.")
    return entry


def _context(imr, **more):
    return {**review_context(imr.participation.review), "imr": imr, "cancel_url": chronology_url(imr), **more}


@login_required
def chronology(request, pk):
    """The chronology in date and time order, 50 a page; every look is in the audit log."""
    imr = get_imr_for_user(request.user, pk)
    listing = list_page(
        request,
        imr.chronology_entries.all(),
        filterset_class=ChronologyFilter,
        sorts=(Sort("date", "Date", ("date", "time")),),
        default_sort="date",
    )
    context = _context(imr, listing=listing, can_write=perms.can_write_imr(request.user, imr))
    return render(request, "reviews/chronology.html", context)


@login_required
def chronology_entry_add(request, pk):
    imr = _writable(request, pk)
    form = ChronologyEntryForm(posted(request))
    return handle_form(
        request,
        form=form,
        template="reviews/chronology_form.html",
        context=_context(imr, title="Add a contact to the chronology", submit="Add the contact"),
        save=lambda data: services.chronology_entry_add(actor=request.user, imr=imr, **form.entry_fields()),
        success_message="Contact added to the chronology.",
        success_url=chronology_url(imr),
    )


@login_required
def chronology_entry_change(request, pk, entry_pk):
    imr = _writable(request, pk)
    entry = _entry(imr, entry_pk)
    form = ChronologyEntryForm(posted(request), initial=ChronologyEntryForm.initial_for(entry))
    return handle_form(
        request,
        form=form,
        template="reviews/chronology_form.html",
        context=_context(imr, title="Change a contact in the chronology", submit="Save the changes"),
        save=lambda data: services.chronology_entry_change(
            actor=request.user, entry=entry, **form.entry_fields()
        ),
        success_message="Contact changed.",
        success_url=chronology_url(imr),
    )


@login_required
def chronology_entry_delete(request, pk, entry_pk):
    imr = _writable(request, pk)
    entry = _entry(imr, entry_pk)
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context=_context(
            imr,
            title="Delete this contact from the chronology?",
            caption=f"{imr.participation.review.reference} · {imr.participation.agency}",
            explanation=f"The {entry.get_contact_type_display().lower()} with "
            f"{entry.get_with_whom_display().lower()} on {entry.date:%-d %B %Y}, by {entry.practitioner}, "
            "leaves the chronology. The activity log keeps a record that it was deleted.",
            submit="Delete the contact",
        ),
        save=lambda data: services.chronology_entry_delete(actor=request.user, entry=entry),
        success_message="Contact deleted from the chronology.",
        success_url=chronology_url(imr),
    )


@login_required
def chronology_import(request, pk):
    """Upload a filled-in template: every row imported, or none and every problem listed."""
    imr = _writable(request, pk)
    form = ChronologyUploadForm(posted(request), request.FILES or None)

    def save(data):
        upload = data["file"]
        # Read one byte past the limit: enough to know the file is too big, never the whole of it.
        content = upload.read(settings.CHRONOLOGY_UPLOAD_MAX_BYTES + 1)
        return services.chronology_import(actor=request.user, imr=imr, filename=upload.name, content=content)

    def said(result):
        added, already = result
        message = f"{added} contact{'s' if added != 1 else ''} imported."
        if already:
            message += f" {already} {'were' if already != 1 else 'was'} already in the chronology and not added again."
        return message

    return handle_form(
        request,
        form=form,
        template="reviews/chronology_import.html",
        context=_context(
            imr,
            title="Import contacts from a spreadsheet",
            submit="Import the contacts",
            columns=CHRONOLOGY_COLUMNS,
            contact_types=ContactType.choices,
            with_whom=WithWhom.choices,
        ),
        save=save,
        success_message=said,
        success_url=chronology_url(imr),
    )


@login_required
def chronology_template(request, kind):
    """The blank standard template, CSV or XLSX, with its example row (nothing confidential in it)."""
    if kind == "csv":
        content, content_type = template_csv(), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        content, content_type = (
            template_xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("The template is a CSV or an XLSX file.")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="chronology-template.{kind}"'
    return response


@login_required
def integrated_chronology(request, pk):
    """Every agency's contacts merged in time order, with likely duplicates, gaps and the swimlanes; audited."""
    review = get_integrated_chronology_for_user(request.user, pk)
    listing = list_page(
        request,
        integrated.with_previous_date(integrated.entries_of(review)),
        filterset_class=IntegratedChronologyFilter,
        filterset_kwargs={"review": review},
        sorts=(Sort("date", "Date", ("date", "time")),),
        default_sort="date",
    )
    rows = listing.page.object_list = list(listing.page.object_list)
    gaps = integrated.gaps(review)
    integrated.place_gaps(rows, gaps, descending=listing.descending)
    duplicates = integrated.likely_duplicates(review, rows)
    for row in rows:
        row.duplicates = duplicates.get(row.pk, [])
        row.gaps_words = [gap_words(gap) for gap in row.gaps_before]
    lanes = integrated.lanes(review)
    context = {
        **review_context(review),
        "listing": listing,
        "gaps": [gap_words(gap) for gap in gaps],
        "gap_days": integrated.gap_days(),
        "duplicates_on_page": len(duplicates),
        "lanes": lanes,
        "agencies": len(lanes),
        "entries": sum(lane.count for lane in lanes),
        "swimlane_svg": swimlane_svg(lanes, gaps),
        "swimlane_words": swimlane_words(lanes),
        "pdf_url": reverse("reviews:integrated-chronology-pdf", args=[review.pk]),
    }
    return render(request, "reviews/integrated_chronology.html", context)
