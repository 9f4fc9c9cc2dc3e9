"""The anonymised executive summary: the one public document."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from reviews import deadlines
from reviews import permissions as perms
from reviews.models import (
    AuditEvent,
    Document,
    ExecutiveSummary,
    OutboxMessage,
    Review,
    ReviewState,
    SummaryRecipient,
)
from reviews.names import NameFinder, NameFound
from reviews.pdf import executive_summary_pdf
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date, entered_on
from reviews.services.documents import document_add_version, document_create
from reviews.services.outbox import message_queue, site_link

# A publication window longer than this is a typing mistake.
MAX_PUBLICATION_YEARS = 10

# The summary is written once the board has approved the overview report, until the review closes.
WRITING_STAGES = (ReviewState.ACTION_PLAN, ReviewState.WITH_OFSTED, ReviewState.EXECUTIVE_SUMMARY)


def review_names(review: Review) -> list[tuple[str, str]]:
    """Every real name known to the review, with whose it is.

    The child's and the family's names are looked for whole and by each part ("Ellie" alone
    names the child); staff by their full name and their surname ("Ms Bell").
    """
    names = []

    def add(full, who, *, parts):
        full = " ".join(full.split())
        if not full:
            return
        names.append((full, who))
        words = full.split()
        for word in words if parts else words[-1:]:
            if len(word.strip(".,'\u2019-")) >= 2 and len(words) > 1:
                names.append((word, f"{who} ({full})"))

    add(review.referral.child_name, "the child", parts=True)
    for line in review.referral.family_members.splitlines():
        add(line.split(",")[0], "a family member", parts=True)
    for staff in review.involved_staff.only("real_name", "pseudonym"):
        add(staff.real_name, f"a member of staff ({staff.pseudonym})", parts=False)
    return names


def summary_names_found(review: Review, *, title: str, text: str) -> list[NameFound]:
    """The real names written in the summary's title (paragraph 0) and text, each with where it is."""
    finder = NameFinder(review_names(review))
    in_title = [
        NameFound(found.name, found.who, 0, found.snippet) for found in finder.find(" ".join(title.split()))
    ]
    return in_title + finder.find(text)


def name_refusal(found: NameFound) -> str:
    where = "the title" if found.paragraph == 0 else f"paragraph {found.paragraph}"
    return (
        f"The executive summary names {found.who} as “{found.name}” in {where} (“{found.snippet}”): "
        "replace the name before publishing."
    )


@transaction.atomic
def summary_save(*, actor, review: Review, text: str, title: str = "") -> ExecutiveSummary:
    """Write or rewrite the executive summary; rewriting a published one takes it off the public page."""
    if not (perms.runs_reviews(actor) or perms.is_overview_author_of(actor, review)):
        raise PermissionDenied("You may not write the executive summary.")
    review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if review.state not in WRITING_STAGES:
        raise ActionNotAllowed(
            "The executive summary is written once the board has approved the overview report, "
            "until the review is closed."
        )
    if not text.strip():
        raise ActionNotAllowed({"text": ["Enter the executive summary"]})
    summary = ExecutiveSummary.objects.select_for_update().filter(review=review).first()
    created = summary is None
    withdrawn = not created and summary.is_published
    if created:
        summary = ExecutiveSummary(review=review)
    summary.title, summary.text = " ".join(title.split()), text.strip()
    if withdrawn:
        # What is public is what was checked for names: a new text is checked when published again.
        summary.publish_from = summary.publish_until = None
    summary.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
        obj=summary,
        review=review,
        summary="Executive summary drafted"
        if created
        else "Executive summary redrafted"
        + ("; off the public page until published again" if withdrawn else ""),
    )
    return summary


@transaction.atomic
def summary_publish(
    *, actor, review: Review, publish_from: datetime.date, publish_until: datetime.date | None
) -> ExecutiveSummary:
    """Publish the executive summary for a window; refused while it holds a real name.

    Publishing stores the summary's PDF (a new version each time) and records a copy as due to
    every member of staff involved with an address.
    """
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager publish the executive summary.")
    review = Review.objects.select_for_update(of=("self",)).select_related("referral").get(pk=review.pk)
    if review.state != ReviewState.EXECUTIVE_SUMMARY:
        raise ActionNotAllowed("The executive summary is published at the “Executive summary” stage.")
    summary = ExecutiveSummary.objects.select_for_update().filter(review=review).first()
    if summary is None:
        raise ActionNotAllowed("Write the executive summary before publishing it.")
    problems = Problems()
    for found in summary_names_found(review, title=summary.title, text=summary.text):
        problems.add(name_refusal(found))
    today = timezone.localdate()
    check_date(
        problems,
        publish_from,
        field="publish_from",
        what="the first day of publication",
        earliest=review.decision_date,
        earliest_is="the date of the panel's decision",
        latest=today + datetime.timedelta(days=365),
        latest_is="a year from today",
    )
    if publish_until is not None and publish_from is not None:
        if publish_until <= publish_from:
            problems.add("The end of the publication window must be after its start", field="publish_until")
        check_date(
            problems,
            publish_until,
            field="publish_until",
            what="the last day of publication",
            earliest=None,
            latest=deadlines.add_months(publish_from, 12 * MAX_PUBLICATION_YEARS),
            latest_is=f"{MAX_PUBLICATION_YEARS} years after the first day",
        )
    problems.raise_any()
    summary.publish_from, summary.publish_until, summary.published_by = publish_from, publish_until, actor
    summary.save()
    version = _store_pdf(actor, summary)
    link = site_link(reverse("reviews:public-summary", args=[summary.pk]))
    for staff in review.involved_staff.current().exclude(email=""):
        recipient, _ = SummaryRecipient.objects.get_or_create(
            summary=summary, staff=staff, defaults={"email": staff.email}
        )
        # Each member of staff with an address gets the published text by e-mail, once per version.
        message_queue(
            actor=actor,
            kind=OutboxMessage.Kind.STAFF_COPY,
            template="staff-copy",
            key=f"staff-copy:{summary.pk}:{version.pk}:{staff.pk}",
            to=[staff.email],
            context={"reference": review.reference, "publish_from": publish_from, "link": link},
            review=review,
            attachment=version,
            summary_recipient=recipient,
        )
    until = f" until {publish_until:%-d %B %Y}" if publish_until else ""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=summary,
        review=review,
        summary=f"Executive summary published from {publish_from:%-d %B %Y}{until}",
    )
    return summary


def _store_pdf(actor, summary: ExecutiveSummary):
    content = executive_summary_pdf(summary)
    document = summary.review.documents.filter(kind=Document.Kind.EXECUTIVE_SUMMARY).first()
    filename = "executive-summary.pdf"
    if document is None:
        return document_create(
            actor=actor,
            review=summary.review,
            kind=Document.Kind.EXECUTIVE_SUMMARY,
            title=f"Executive summary, {summary.review.reference}",
            content=content,
            filename=filename,
            content_type="application/pdf",
        )
    return document_add_version(
        actor=actor, document=document, content=content, filename=filename, content_type="application/pdf"
    )


def published_pdf(summary: ExecutiveSummary):
    """The PDF stored when the summary was last published, or None."""
    document = summary.review.documents.filter(kind=Document.Kind.EXECUTIVE_SUMMARY).first()
    return document.versions.order_by("-number").first() if document else None


@transaction.atomic
def summary_mark_sent_to_staff(*, actor, review: Review, sent_on: datetime.date) -> ExecutiveSummary:
    """Record that the executive summary went to every member of staff involved (guide §9.2)."""
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager send the executive summary.")
    summary = ExecutiveSummary.objects.select_for_update().filter(review=review).first()
    if summary is None or summary.publish_from is None:
        raise ActionNotAllowed("Publish the executive summary before sending it to staff.")
    problems = Problems()
    check_date(
        problems,
        sent_on,
        field="sent_on",
        what="the date it was sent",
        # Written, checked and published at the "Executive summary" stage: not sent before it.
        earliest=entered_on(review, ReviewState.EXECUTIVE_SUMMARY) or review.decision_date,
        earliest_is="the day the review reached its executive summary",
        not_future=True,
    )
    problems.raise_any()
    summary.sent_to_staff_on = sent_on
    summary.save(update_fields=["sent_to_staff_on"])
    summary.recipients.filter(status=SummaryRecipient.Status.DUE).update(
        status=SummaryRecipient.Status.SENT, sent_on=sent_on
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SENT,
        obj=summary,
        review=review,
        summary=f"Executive summary sent to the staff involved on {sent_on:%-d %B %Y}",
    )
    return summary
