"""Render the product's documents to PDF with WeasyPrint: one door for every PDF.

Every PDF is tagged (PDF/UA-1: a structure tree, its language and title), so that a screen
reader can read it, and every resource WeasyPrint asks for goes through `StaticFetcher`,
which serves the project's own static files and refuses everything else. User text reaches
the HTML through Django's autoescaping only; the fetcher is the second wall, should escaping
ever slip.
"""

import hashlib
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone

# The base URL of every document: a private origin (.invalid never resolves) under which the
# fetcher serves static files. Nothing is ever fetched from the network.
ORIGIN = "https://scr-static.invalid"
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A resource the PDF may not load: WeasyPrint logs it and renders without it."""


def static_path(url: str) -> Path | None:
    """The file of a project static file named by `url`, or None for anything else.

    Accepts `/static/<name>`, `<ORIGIN>/static/<name>` or a bare relative name. Refuses any
    other scheme or host (file:, data:, http(s): elsewhere), any `..` segment, and a file
    outside the static folders (through a symbolic link, say).
    """
    parts = urlsplit(url)
    if (parts.scheme or parts.netloc) and f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    path = unquote(parts.path)
    if "\\" in path or "\x00" in path:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if path.startswith(prefix):
        name = path.removeprefix(prefix)
    elif path.startswith("/") or parts.scheme:
        return None
    else:
        name = path
    segments = name.split("/")
    if not name or any(segment in ("", ".", "..") for segment in segments):
        return None
    name = posixpath.join(*segments)
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    candidates = [Path(found)] if found else []
    candidates.append(Path(settings.STATIC_ROOT) / name)
    roots = [Path(root).resolve() for root in (*settings.STATICFILES_DIRS, settings.STATIC_ROOT)]
    roots += [Path(app_static).resolve() for app_static in _app_static_dirs()]
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and any(resolved.is_relative_to(root) for root in roots):
            return resolved
    return None


def _app_static_dirs():
    from django.apps import apps

    for app in apps.get_app_configs():
        folder = Path(app.path) / "static"
        if folder.is_dir():
            yield folder


def _fetcher_class():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Serve the project's static files to WeasyPrint; refuse every other URL by raising."""

        def fetch(self, url, headers=None):
            path = static_path(url)
            if path is None:
                raise RefusedURL(f"Not one of the project's static files: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFetcher


def static_fetcher():
    """Return the URL fetcher every render uses."""
    # Imported here: WeasyPrint loads Pango when imported, and only PDF rendering needs it.
    return _fetcher_class()()


def render_html(html: str, *, tagged: bool = True) -> bytes:
    """Render an HTML document, tagged for accessibility, fetching only static files."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=f"{ORIGIN}{'/' + settings.STATIC_URL.strip('/')}/", url_fetcher=static_fetcher()
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT if tagged else None)


def render_pdf(template_name: str, context: dict) -> bytes:
    return render_html(render_to_string(template_name, context))


# The documents


def terms_of_reference_html(review, *, draft: bool = False) -> str:
    tor = review.terms_of_reference
    return render_to_string(
        "reviews/pdf/terms_of_reference.html",
        {
            "review": review,
            "draft": draft,
            "tor": tor,
            "focus_areas": tor.focus_areas.all(),
            "participations": review.participations.select_related("agency"),
            "milestones": review.milestones.all(),
            # Pseudonyms only: the document goes to staff and to the external bodies.
            "staff": review.involved_staff.current().select_related("agency"),
        },
    )


def terms_of_reference_pdf(review, *, draft: bool = False) -> bytes:
    """Return the terms of reference as an A4 PDF; a draft says so on every page."""
    return render_html(terms_of_reference_html(review, draft=draft))


def terms_of_reference_stamp(review) -> str:
    """A digest of what the draft ToR PDF would show: a new one whenever anything on it changes.

    The ToR shows the review's staff, agencies and milestones as well as its own fields, each
    changed by its own services; the digest of the page itself follows them all (the page is a
    few queries and milliseconds, the PDF seconds).
    """
    html = terms_of_reference_html(review, draft=not review.terms_of_reference.is_agreed)
    return hashlib.sha256(html.encode()).hexdigest()


def chronology_entries(review, imr=None):
    """The entries of one IMR, or of every IMR of the review (merged in date and time order)."""
    from reviews.models import ChronologyEntry

    entries = ChronologyEntry.objects.filter(imr__participation__review=review)
    if imr is not None:
        entries = entries.filter(imr=imr)
    return entries.select_related("imr__participation__agency").order_by("date", "time", "pk")


def chronology_html(review, imr=None, *, entries=None) -> str:
    entries = chronology_entries(review, imr) if entries is None else entries
    return render_to_string(
        "reviews/pdf/chronology.html",
        {
            "review": review,
            "imr": imr,
            "agency": imr.participation.agency if imr else None,
            "entries": entries,
            "prepared_at": timezone.localtime(),
        },
    )


def chronology_pdf(review, imr=None) -> bytes:
    """Return an agency's chronology, or the integrated one (imr=None), as a landscape A4 PDF."""
    return render_html(chronology_html(review, imr))


def action_progress_html(review, *, today=None) -> str:
    """The QA sub-group's progress report of the review's action plans: charts, tables, every action.

    The actions, their owners and the QA sub-group's last note on each: nothing of the IMRs, and
    no one's real name (the note's author is not shown).
    """
    from reviews.action_charts import review_progress_charts
    from reviews.action_progress import action_rag, report_actions

    today = today or timezone.localdate()
    actions = list(report_actions(review))
    for item in actions:
        item.rag = action_rag(item, today=today)
    return render_to_string(
        "reviews/pdf/action_progress.html",
        {
            **review_progress_charts(review, today=today),
            "review": review,
            "actions": actions,
            "amber_days": settings.ACTION_AMBER_DAYS,
        },
    )


def action_progress_pdf(review) -> bytes:
    """Return the progress report of the review's action plans as a landscape A4 PDF."""
    return render_html(action_progress_html(review))


def action_progress_stamp(review) -> str:
    """A digest of the progress report as it would be today: it changes with any action, note or day."""
    return hashlib.sha256(action_progress_html(review).encode()).hexdigest()


# Prepared in the background: what each kind shows, and the stamp of its source


def source_stamp(kind, review, imr=None) -> str:
    """Name the state of the source a PDF of `kind` would show; it changes whenever the source does.

    An agency's chronology: its IMR's change counter. The integrated one: every IMR of the
    review with its counter, read in one query (an IMR joining changes it too). The draft ToR:
    the digest of its page.
    """
    from reviews.models import IMR, RenderedPdf

    if kind == RenderedPdf.Kind.CHRONOLOGY:
        version = IMR.objects.values_list("chronology_version", flat=True).get(pk=imr.pk)
        return f"imr-{imr.pk}-v{version}"
    if kind == RenderedPdf.Kind.ACTION_PROGRESS:
        return action_progress_stamp(review)
    if kind == RenderedPdf.Kind.INTEGRATED_CHRONOLOGY:
        versions = IMR.objects.filter(participation__review=review).order_by("pk")
        parts = ",".join(
            f"{pk}:{version}" for pk, version in versions.values_list("pk", "chronology_version")
        )
        return hashlib.sha256(parts.encode()).hexdigest()
    return terms_of_reference_stamp(review)


def render_kind(kind, review, imr=None) -> bytes:
    from reviews.models import RenderedPdf

    if kind == RenderedPdf.Kind.TERMS_OF_REFERENCE:
        return terms_of_reference_pdf(review, draft=not review.terms_of_reference.is_agreed)
    if kind == RenderedPdf.Kind.ACTION_PROGRESS:
        return action_progress_pdf(review)
    return chronology_pdf(review, imr)


def current_pdf(kind, review, imr=None):
    """The PDF of the source as it is now (queued, ready or failed), or None: a stale one never."""
    from reviews.models import RenderedPdf

    stamp = source_stamp(kind, review, imr)
    return RenderedPdf.objects.filter(kind=kind, review=review, imr=imr, stamp=stamp).first()


# Rendered in the request: short documents, stored as document versions when made


def ofsted_pack_pdf(review, *, report=None) -> bytes:
    """Return the submission pack to Ofsted and GOL: cover sheet, recommendations, action plan, report.

    `report` is the overview report's version to enclose: a PDF's pages are appended to the
    pack; a Word document is listed as enclosed separately.
    """
    from reviews.models import ActionItem, BoardDecision

    appended = report is not None and report.content_type == "application/pdf"
    context = {
        "review": review,
        "extensions": review.extensions.order_by("recorded_at", "pk"),
        "approved": review.board_decisions.filter(outcome=BoardDecision.Outcome.APPROVED).last(),
        "prepared_on": timezone.localdate(),
        "recommendations": review.recommendations.filter(imr__isnull=True).order_by("number"),
        "actions": ActionItem.objects.filter(plan__review=review, plan__agency__isnull=True)
        .select_related("recommendation", "owner_agency")
        .order_by("recommendation__number", "due_on", "pk"),
        "report": report,
        "report_appended": appended,
    }
    if not appended:
        return render_pdf("reviews/pdf/ofsted_pack.html", context)
    # The page the report starts on is known only once the pack's own pages are laid out.
    from pypdf.errors import PyPdfError

    with report.file.open("rb") as stored:
        enclosed = stored.read()
    try:
        enclosed_pages = page_count(enclosed)
    except (PyPdfError, ValueError, KeyError):
        # A PDF that passed the upload check but that pypdf cannot take apart (encrypted, damaged):
        # the pack lists it as enclosed, as it does a Word document.
        return render_pdf("reviews/pdf/ofsted_pack.html", {**context, "report_appended": False})
    own = render_pdf("reviews/pdf/ofsted_pack.html", {**context, "report_starts_on": "?"})
    context["report_starts_on"] = page_count(own) + 1
    # Every page counts the whole pack, the report's pages included.
    context["total_pages"] = page_count(own) + enclosed_pages
    own = render_pdf("reviews/pdf/ofsted_pack.html", context)
    return append_pages(own, enclosed)


def page_count(content: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(content)).pages)


def append_pages(tagged: bytes, appended: bytes) -> bytes:
    """Return `tagged` followed by the pages of `appended`, keeping the first one's tags, language and title."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(tagged)))
    writer.append(PdfReader(BytesIO(appended)), import_outline=False)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def executive_summary_pdf(summary) -> bytes:
    """Return the published executive summary as an A4 PDF: its public text, nothing else."""
    from reviews.names import paragraphs

    return render_pdf(
        "reviews/pdf/executive_summary.html", {"summary": summary, "paragraphs": paragraphs(summary.text)}
    )
