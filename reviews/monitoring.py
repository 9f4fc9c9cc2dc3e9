"""The monitoring list of actions: who sees which, their colour, last update and last reminder, in SQL.

Everything the list shows or sorts by is an annotation of one query, so a page of 50 rows costs
the same few queries for ten actions or ten thousand, and the exports write the same rows whole.
"""

import csv
import datetime
import io

from django.conf import settings
from django.db.models import Case, CharField, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from agencies.roles import Role
from reviews import permissions as perms
from reviews.lists import Sort
from reviews.models import IMR, ActionItem, ActionState, MonitoringNote, OutboxMessage, ProgressUpdate
from reviews.models.references import reference_order

LSCB = "LSCB"
COLOUR_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "done": "Done"}


def monitored_actions(user, *, today: datetime.date):
    """The actions `user` may monitor, annotated with their colour, owning agency and last reminder.

    The panel and the business manager see every action; the board and the QA sub-group every
    agreed one (ActionItem.objects.agreed); an agency's senior manager sees their
    agency's; an IMR author their agency's on the reviews they write for. Anyone else, none.
    A withdrawn review's actions are kept on its own pages but monitored no more.
    """
    amber_by = today + datetime.timedelta(days=settings.ACTION_AMBER_DAYS)
    done = Q(state__in=ActionItem.DONE)
    rag = Case(
        When(done, then=Value("done")),
        When(due_on__lt=today, then=Value("red")),
        When(due_on__lte=amber_by, then=Value("amber")),
        default=Value("green"),
        output_field=CharField(),
    )
    rag_rank = Case(
        When(done, then=Value(3)),
        When(due_on__lt=today, then=Value(0)),
        When(due_on__lte=amber_by, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    state_rank = Case(
        *[When(state=state, then=Value(rank)) for rank, state in enumerate(ActionState)],
        output_field=IntegerField(),
    )
    last_reminder = OutboxMessage.objects.filter(
        action=OuterRef("pk"), kind=OutboxMessage.Kind.REMINDER, status=OutboxMessage.Status.SENT
    ).order_by("-sent_at")
    items = (
        ActionItem.objects.monitored()
        .select_related("plan__review", "plan__agency", "owner_agency", "recommendation")
        .annotate(
            rag=rag,
            rag_rank=rag_rank,
            state_rank=state_rank,
            agency_name=Coalesce("plan__agency__name", "owner_agency__name", Value(LSCB)),
            last_reminder_at=Subquery(last_reminder.values("sent_at")[:1]),
        )
    )
    if perms.runs_reviews(user):
        return items
    if perms.can_list_actions(user):
        # The board and the QA sub-group: an agency's plan from its IMR's submission on.
        return items.agreed()
    if not perms.sees_agency_actions(user):
        return items.none()
    items = items.filter(plan__agency_id=user.agency_id)
    if user.has_role(Role.AGENCY_SENIOR_MANAGER):
        return items
    return items.filter(plan__review__in=IMR.objects.filter(author=user).values("participation__review_id"))


ACTION_SORTS = (
    Sort("due", "Due", ("due_on",)),
    Sort("review", "Review", (reference_order("plan__review__reference"), "due_on")),
    Sort("agency", "Agency", (Lower("agency_name"), "due_on")),
    Sort("status", "Status", ("state_rank", "due_on")),
    Sort("colour", "Colour", ("rag_rank", "due_on")),
    Sort("updated", "Last update from its owner", ("-last_update_at",)),
)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such a
# cell is written with a leading apostrophe, so it is read as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet must store it: text that could run as a formula is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


EXPORT_COLUMNS = (
    "Review",
    "Agency",
    "Plan",
    "Recommendation",
    "Action",
    "Owner",
    "How we will know it worked",
    "Due",
    "Status",
    "Colour",
    "Completed on",
    "Evidence",
    "Last update from its owner",
    "Latest progress",
    "Latest monitoring note",
    "Last reminder sent",
)

# Characters wide, per column of EXPORT_COLUMNS, in the workbook.
EXPORT_WIDTHS = (14, 24, 8, 40, 60, 24, 40, 12, 12, 10, 12, 40, 18, 40, 40, 18)


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def export_rows(items):
    """Each action as a row of EXPORT_COLUMNS, neutralised, read in chunks whatever the number."""
    states = dict(ActionState.choices)
    latest = {
        "latest_progress": ProgressUpdate.objects.filter(item=OuterRef("pk")),
        "latest_monitoring": MonitoringNote.objects.filter(item=OuterRef("pk")),
    }
    items = items.annotate(
        **{
            name: Subquery(notes.order_by("-recorded_at", "-pk").values("note")[:1])
            for name, notes in latest.items()
        }
    )
    for item in items.iterator(chunk_size=2000):
        recommendation = item.recommendation
        yield [
            safe_cell(value)
            for value in (
                item.plan.review.reference,
                item.agency_name,
                "LSCB" if item.plan.agency_id is None else "Agency",
                f"{'IMR' if recommendation.imr_id else 'Overview'} {recommendation.number}: {recommendation.text}"
                if recommendation
                else "",
                item.description,
                item.owner,
                item.success_measure,
                item.due_on,
                states[item.state],
                "Done late"
                if item.rag == "done" and item.completed_on > item.due_on
                else COLOUR_LABELS[item.rag],
                item.completed_on,
                item.evidence,
                _local(item.last_update_at),
                item.latest_progress or "",
                item.latest_monitoring or "",
                _local(item.last_reminder_at),
            )
        ]


class _Echo:
    def write(self, value):
        return value


def csv_lines(items):
    """The export as CSV lines, for a streaming response; a byte-order mark first, for Excel."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(items):
        yield writer.writerow(["" if value is None else value for value in row])


def worksheet_cell(value):
    """The value as a worksheet can hold it: the control characters XML forbids are dropped.

    Typed text may carry them (an escape character pasted from a terminal, a vertical tab from a
    word processor); openpyxl refuses to write them, which would fail the whole export.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_bytes(items) -> bytes:
    """The export as an XLSX workbook, written row by row (openpyxl's write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Actions")
    # The header stays in view; the columns of text are wide (write-only sheets take these first).
    sheet.freeze_panes = "A2"
    for number, (_, width) in enumerate(zip(EXPORT_COLUMNS, EXPORT_WIDTHS, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.append(EXPORT_COLUMNS)
    for row in export_rows(items):
        sheet.append([worksheet_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
