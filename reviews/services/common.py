"""What every service shares: the refusal it raises, the audit row it writes, and bounds on typed dates."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import capfirst

from reviews.models import AuditEvent

# No review looks at records older than this: a typed date before it is a typing mistake.
EARLIEST_RECORD_DATE = datetime.date(1990, 1, 1)


class ActionNotAllowed(ValidationError):
    """A move or change the rules forbid now; `messages` say why, as a person can act on them.

    Raised with a dict ({"field": ["message"]}) when one input is at fault, so a
    page shows the message on that field; with a list when the whole action is.
    """

    @property
    def reasons(self) -> list[str]:
        return self.messages

    def by_field(self) -> dict[str | None, list[str]]:
        """Return the messages keyed by field; None holds those about the whole action."""
        if not hasattr(self, "error_dict"):
            return {None: self.messages}
        return {
            (None if field == NON_FIELD_ERRORS else field): [message for error in errors for message in error]
            for field, errors in self.error_dict.items()
        }


class Problems:
    """Collect every refusal of one action, so a person sees them all at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, message: str, *, field: str | None = None) -> None:
        self.errors.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise ActionNotAllowed(self.errors)


def long_date(value: datetime.date) -> str:
    return f"{value:%-d %B %Y}"


def check_date(
    problems: Problems,
    value: datetime.date | None,
    *,
    field: str,
    what: str,
    earliest: datetime.date | None = EARLIEST_RECORD_DATE,
    earliest_is: str = "",
    latest: datetime.date | None = None,
    latest_is: str = "",
    not_future: bool = False,
) -> None:
    """Refuse a date outside its plausible range, naming the range (GOV.UK wording).

    `earliest_is` and `latest_is` say what a bound is ("the date of the incident"); the
    date itself is always given, so the person sees the range they must keep to.
    """
    if value is None:
        return
    subject = capfirst(what.removeprefix("the "))
    if not_future:
        today = timezone.localdate()
        if latest is None or today < latest:
            latest, latest_is = today, ""
    if earliest is not None and value < earliest:
        bound = f"{earliest_is}, {long_date(earliest)}" if earliest_is else long_date(earliest)
        problems.add(f"{subject} must be on or after {bound}", field=field)
    elif latest is not None and value > latest:
        if not latest_is and latest == timezone.localdate():
            problems.add(f"{subject} must be today or in the past", field=field)
        else:
            bound = f"{latest_is}, {long_date(latest)}" if latest_is else long_date(latest)
            problems.add(f"{subject} must be on or before {bound}", field=field)


def audit_record(
    *, actor, action: AuditEvent.Action, obj, summary: str, review=None, address: str | None = None
) -> AuditEvent:
    """Write one row of the audit log."""
    if not isinstance(action, AuditEvent.Action):
        raise TypeError(f"An audit row's action is an AuditEvent.Action member, not {action!r}.")
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        review=review,
        object_type=obj._meta.label_lower,
        # A list page has no record of its own: an unsaved instance names the kind, with no id.
        object_id="" if obj.pk is None else str(obj.pk),
        summary=summary[:300],
        address=address or None,
    )
    if review is not None and action not in AuditEvent.LOOKS:
        # The tracker sorts by it: stored here, not worked out from every review's log. Never
        # moved back: a service that waited for the review's row behind another may commit later
        # with an earlier time.
        at = Value(event.at)
        type(review).objects.filter(pk=review.pk).update(
            last_activity_at=Greatest(Coalesce("last_activity_at", at), at)
        )
    return event


def entered_on(obj, state) -> datetime.date | None:
    """The day `obj` last entered `state`, from its move history; None if it never did."""
    from django_fsm_log.models import StateLog

    moved = (
        StateLog.objects.for_(obj)
        .filter(state=state)
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)
    )
    return timezone.localdate(moved[0]) if moved else None


def refuse_if_withdrawn(review_id: int, *, what: str) -> None:
    """Lock the review and refuse a change to `what` of it once it is withdrawn.

    A withdrawn review is kept as it was: read as before, changed no more. The review's row is
    locked (after any IMR or action the service holds, as every service locks) so that a change
    meeting the withdrawal is refused rather than written after it.
    """
    from reviews.models import Review, ReviewState

    state = Review.objects.select_for_update().values_list("state", flat=True).get(pk=review_id)
    if state == ReviewState.WITHDRAWN:
        raise ActionNotAllowed(f"The review has been withdrawn: {what} can no longer be changed.")
