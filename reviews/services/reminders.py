"""The daily sweep: every milestone, IMR and action whose reminder falls due today, queued once.

What is due is found with one query per kind of thing (milestones, IMRs, actions) on the
stored due dates, whatever the number of reviews; the recipients with one query per role.
Each reminder's key (the thing, its due date, the offset) is unique in the outbox table, so a
second sweep, a sweep on two workers at once or a sweep re-run after a worker died queues nothing
twice: the insert skips keys already there, and delivery sends only what is still queued.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, F, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agencies.models import User
from agencies.roles import Role
from reviews.deadlines import reminder_due_dates, reminder_key
from reviews.models import (
    IMR,
    ActionItem,
    AgencyParticipation,
    AuditEvent,
    Milestone,
    OutboxMessage,
    ReviewState,
)
from reviews.models.imr import EDITABLE
from reviews.models.review import OPEN
from reviews.services.outbox import deliver_on_commit, email_render, site_link

# Who must act on each milestone (beyond the business manager, who is copied on every reminder).
MILESTONE_ACTS = {
    Milestone.Kind.TOR_AGREED: "chair",
    Milestone.Kind.AUTHORS_NOMINATED: "agency_managers",
    Milestone.Kind.IMRS_SUBMITTED: "chair",
    Milestone.Kind.OVERVIEW_TO_BOARD: "overview_author",
    Milestone.Kind.REVIEW_COMPLETE: "chair",
}


@dataclass(frozen=True)
class Wording:
    """How a reminder names what is due: in its subject line, and in the sentence of its body."""

    short: str  # the subject line's: "SCR-2026-002: terms of reference due tomorrow"
    thing: str  # the sentence's subject, with "{reference}" where the review's reference goes
    verb: str  # "… are due to be agreed tomorrow"
    plural: bool = False


MILESTONE_WORDS = {
    Milestone.Kind.TOR_AGREED: Wording(
        "terms of reference", "The terms of reference of review {reference}", "to be agreed", plural=True
    ),
    Milestone.Kind.AUTHORS_NOMINATED: Wording(
        "IMR authors' nomination",
        "The agencies' IMR authors for review {reference}",
        "to be nominated (and their files secured)",
        plural=True,
    ),
    Milestone.Kind.IMRS_SUBMITTED: Wording(
        "IMRs", "The IMRs for review {reference}", "to be submitted", plural=True
    ),
    Milestone.Kind.OVERVIEW_TO_BOARD: Wording(
        "overview report to the board",
        "The overview report of review {reference}",
        "to go to the board",
    ),
    Milestone.Kind.REVIEW_COMPLETE: Wording(
        "completion of the review", "Review {reference}", "to be completed"
    ),
}
IMR_WORDS = Wording("your IMR", "Your IMR for review {reference}", "to be submitted")
ACTION_WORDS = Wording(
    "an action of the action plan",
    "An action of the action plan for review {reference}",
    "to be completed",
)


@dataclass
class Due:
    thing: str
    pk: int
    review_id: int
    reference: str
    what: Wording
    due_on: datetime.date
    offset: int
    path: str
    to: list[str]


def _emails(queryset) -> list[str]:
    return sorted(set(queryset.filter(is_active=True).exclude(email="").values_list("email", flat=True)))


def reminders_due(today: datetime.date) -> tuple[list[Due], list[str]]:
    """Return every reminder that falls due on `today`, with whom it goes to, and the business managers."""
    offsets = reminder_due_dates(
        today,
        days_before=settings.REMINDER_DAYS_BEFORE,
        overdue_every=settings.REMINDER_OVERDUE_EVERY_DAYS,
        overdue_max_weeks=settings.REMINDER_OVERDUE_MAX_WEEKS,
    )
    dates = list(offsets)
    chairs = _emails(User.objects.filter(groups__name=Role.PANEL_CHAIR))
    managers = _emails(User.objects.filter(groups__name=Role.BUSINESS_MANAGER))

    # Rows are read as tuples, not models: a sweep may find thousands.
    # The completion milestone is due at the review's date in force, after any extension.
    milestones = list(
        Milestone.objects.filter(done_on__isnull=True, review__state__in=OPEN)
        .annotate(
            due=Case(
                When(kind=Milestone.Kind.REVIEW_COMPLETE, then=F("review__current_due_date")),
                default=F("due_on"),
                output_field=DateField(),
            )
        )
        .filter(due__in=dates)
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "due",
            "review_id",
            "review__reference",
            "review__overview_author__email",
            "review__overview_author__is_active",
        )
    )
    # An IMR is due with its review's "IMRs submitted" milestone, while it is still being written.
    imrs = list(
        IMR.objects.filter(
            state__in=EDITABLE,
            participation__review__state__in=OPEN,
            participation__review__milestones__kind=Milestone.Kind.IMRS_SUBMITTED,
            participation__review__milestones__done_on__isnull=True,
            participation__review__milestones__due_on__in=dates,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "participation__review__milestones__due_on",
            "participation__review_id",
            "participation__review__reference",
            "author__email",
            "author__is_active",
        )
    )
    actions = list(
        # A withdrawn review's actions are no longer asked for (a closed review's are all done).
        ActionItem.objects.exclude(state__in=ActionItem.DONE)
        .exclude(plan__review__state=ReviewState.WITHDRAWN)
        .filter(due_on__in=dates)
        .order_by("pk")
        .values_list("pk", "due_on", "plan__review_id", "plan__review__reference", "plan__agency_id")
    )

    # Agency senior managers: of the agencies taking part (files, authors) and of the action plans.
    nominating = {m[3] for m in milestones if MILESTONE_ACTS[m[1]] == "agency_managers"}
    agencies_of = defaultdict(set)
    for review_id, agency_id in AgencyParticipation.objects.filter(review_id__in=nominating).values_list(
        "review_id", "agency_id"
    ):
        agencies_of[review_id].add(agency_id)
    agency_ids = set().union(*agencies_of.values(), {a[4] for a in actions if a[4]})
    senior = defaultdict(set)
    for agency_id, email in (
        User.objects.filter(groups__name=Role.AGENCY_SENIOR_MANAGER, agency_id__in=agency_ids, is_active=True)
        .exclude(email="")
        .values_list("agency_id", "email")
    ):
        senior[agency_id].add(email)

    # Links, built once: each reminder leads to the page where the person acts, behind the sign-in.
    review_page = reverse("reviews:review-detail", args=[0]).replace("/0/", "/{}/")
    imr_page = reverse("reviews:imr-detail", args=[0]).replace("/0/", "/{}/")
    action_page = reverse("reviews:action-detail", args=[0]).replace("/0/", "/{}/")
    due = []
    # Someone whose account is closed gets nothing: the business manager is told instead.
    for pk, kind, due_on, review_id, reference, overview_email, overview_active in milestones:
        acts = MILESTONE_ACTS[kind]
        if acts == "agency_managers":
            to = sorted(set().union(*(senior[a] for a in agencies_of[review_id])))
        elif acts == "overview_author" and overview_email and overview_active:
            to = [overview_email]
        else:
            to = chairs
        path = review_page.format(review_id) + "#timeline"
        what = MILESTONE_WORDS[kind]
        due.append(Due("milestone", pk, review_id, reference, what, due_on, offsets[due_on], path, to))
    for pk, due_on, review_id, reference, email, active in imrs:
        to = [email] if email and active else []
        due.append(
            Due("imr", pk, review_id, reference, IMR_WORDS, due_on, offsets[due_on], imr_page.format(pk), to)
        )
    for pk, due_on, review_id, reference, agency_id in actions:
        # An agency's action goes to its senior managers; the LSCB's own to the business manager.
        to = sorted(senior[agency_id]) if agency_id else managers
        path = action_page.format(pk)
        due.append(Due("action", pk, review_id, reference, ACTION_WORDS, due_on, offsets[due_on], path, to))
    for reminder in due:
        # Nobody with an address must act: the business manager is told instead.
        reminder.to = reminder.to or managers
    return [reminder for reminder in due if reminder.to], managers


def reminder_context(what: Wording, reference: str, due_on, offset: int, link: str, copied: bool) -> dict:
    """What templates/emails/reminder-* are rendered with: no more than the reference, what, when and the link."""
    return {
        "reference": reference,
        "short": what.short,
        "thing": what.thing.format(reference=reference),
        "verb": what.verb,
        "plural": what.plural,
        "due_on": due_on,
        "offset": offset,
        "overdue": -offset,
        "link": link,
        # Whether the business managers are copied: not when the reminder is theirs to act on.
        "copied": copied,
    }


# Stand-ins for the reference and the link while a reminder's shape is rendered: letters only,
# so no filter or escaping changes them.
REFERENCE_SLOT = "ZZREFERENCESLOTZZ"
LINK_SLOT = "ZZLINKSLOTZZ"


def _renderer():
    """Render each reminder from its templates, once per shape (what, date, offset, copied), not once per reminder.

    A sweep may queue thousands of reminders that differ only in their reference and link:
    the templates are rendered with stand-ins for those two, and each reminder fills them in.
    """
    shapes = {}

    def rendered(r: Due, copied: bool) -> tuple[str, str, str]:
        shape = (r.what, r.due_on, r.offset, copied)
        if shape not in shapes:
            shapes[shape] = email_render(
                "reminder", reminder_context(r.what, REFERENCE_SLOT, r.due_on, r.offset, LINK_SLOT, copied)
            )
        link = site_link(r.path)
        subject, text, html = shapes[shape]
        subject = subject.replace(REFERENCE_SLOT, r.reference)
        text = text.replace(REFERENCE_SLOT, r.reference).replace(LINK_SLOT, link)
        html = html.replace(REFERENCE_SLOT, escape(r.reference)).replace(LINK_SLOT, escape(link))
        return subject, text, html

    return rendered


# A number of the product's own, naming the sweep's lock among PostgreSQL's advisory locks.
SWEEP_LOCK = 0x5C12E3


def _sweeps_one_at_a_time() -> None:
    """Make a second sweep wait for the first to commit, then find its reminders already queued.

    The unique key alone keeps each reminder once; the lock also keeps each one's audit row and
    hand-off once. SQLite lets one writer in at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])


def reminders_queue(*, on: datetime.date | None = None) -> int:
    """Queue every reminder that falls due on `on` (today) and has not been queued; return how many."""
    today = on or timezone.localdate()
    with transaction.atomic():
        _sweeps_one_at_a_time()
        due, managers = reminders_due(today)
        keys = {reminder_key(r.thing, r.pk, r.due_on, r.offset): r for r in due}
        queued = set(
            OutboxMessage.objects.filter(idempotency_key__in=list(keys)).values_list(
                "idempotency_key", flat=True
            )
        )
        new = [(key, r) for key, r in keys.items() if key not in queued]
        rendered = _renderer()
        rows = []
        for key, r in new:
            cc = [address for address in managers if address not in r.to]
            subject, text, html = rendered(r, bool(cc))
            rows.append(
                OutboxMessage(
                    kind=OutboxMessage.Kind.REMINDER,
                    template="reminder",
                    review_id=r.review_id,
                    action_id=r.pk if r.thing == "action" else None,
                    to=r.to,
                    cc=cc,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    idempotency_key=key,
                )
            )
        # Another sweep at the same instant may have inserted some of these keys: those are skipped.
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        inserted = list(
            OutboxMessage.objects.filter(
                idempotency_key__in=[key for key, _ in new], status=OutboxMessage.Status.QUEUED
            ).values_list("pk", "review_id", "subject")
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=None,
                action=AuditEvent.Action.QUEUED,
                review_id=review_id,
                object_type=OutboxMessage._meta.label_lower,
                object_id=str(pk),
                summary=f"Reminder “{subject}” queued"[:300],
            )
            for pk, review_id, subject in inserted
        )
        deliver_on_commit(pk for pk, _, _ in inserted)
    return len(inserted)
