"""The agency's chronology on the standard template."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import transaction
from django.db.models import F

from reviews import permissions as perms
from reviews.chronology_import import Problem, read_upload, row_key
from reviews.models import IMR, AuditEvent, ChronologyEntry, InvolvedStaff
from reviews.names import NameFinder
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date, refuse_if_withdrawn


def writable_imr(actor, imr: IMR) -> IMR:
    """Lock and return the IMR if `actor` may write it now."""
    imr = (
        IMR.objects.select_for_update(of=("self",))
        .select_related("participation__review", "participation__agency")
        .get(pk=imr.pk)
    )
    if imr.author_id == actor.pk:
        refuse_if_withdrawn(imr.participation.review_id, what="its IMRs")
    if not perms.can_write_imr(actor, imr):
        if imr.author_id == actor.pk and not imr.is_editable:
            raise ActionNotAllowed("The IMR has been submitted and can no longer be changed.")
        raise PermissionDenied("Only the IMR's author writes it.")
    return imr


def chronology_changed(imr: IMR) -> None:
    """Count a change to the chronology: its PDFs, rendered from the count before, are stale now."""
    IMR.objects.filter(pk=imr.pk).update(chronology_version=F("chronology_version") + 1)


# An import's problems listed at most: a file wrong on every row is mended from its first ones.
MAX_PROBLEMS_LISTED = 200

# The columns in which a contact's text is written: a real name is refused in any of them.
TEXT_COLUMNS = ("practitioner", "summary", "outcome", "comment", "source")


class RealNames:
    """The review's identity register, to find a real name written anywhere in a text.

    A name is found whole, in any case, spacing or accents, wherever it stands ("HV Sandra Bell",
    "sandra  BELL phoned"), by the executive summary's own finder; one query for a whole import.
    """

    def __init__(self, review):
        staff = InvolvedStaff.objects.filter(review=review).only("real_name", "pseudonym")
        self.finder = NameFinder((person.real_name, person.pseudonym) for person in staff)

    def find(self, text: str) -> str | None:
        """The pseudonym of the first real name in `text`, or None."""
        found = self.finder.find(text)
        return found[0].who if found else None


def entry_problems(imr: IMR, entry: ChronologyEntry, *, register: RealNames | None = None) -> Problems:
    """What the review's own rules find wrong with a row (its date, a real name), each on its column."""
    problems = Problems()
    check_date(problems, entry.date, field="date", what="the date of the contact", not_future=True)
    if entry.date_is_approximate and entry.time is not None:
        problems.add("Leave the time empty when only the month of the contact is known", field="time")
    register = register or RealNames(imr.participation.review)
    for column in TEXT_COLUMNS:
        pseudonym = register.find(getattr(entry, column))
        if pseudonym is not None:
            problems.add(
                f"Use the pseudonym “{pseudonym}”, not a real name: the chronology never names staff",
                field=column,
            )
    return problems


def check_entry(imr: IMR, entry: ChronologyEntry, *, register: RealNames | None = None) -> None:
    """The rules of a chronology row, beyond its columns' own: refused with the field at fault.

    `register` saves reading the identity register again for every row of an import.
    """
    entry_problems(imr, entry, register=register).raise_any()
    try:
        # The table's check constraints are the rules above and the required fields full_clean
        # checks anyway; validating them again would be three queries a row.
        entry.full_clean(exclude=["imr"], validate_constraints=False)
    except ModelValidationError as invalid:
        raise ActionNotAllowed(invalid.message_dict) from None


def _locked_entry(actor, entry: ChronologyEntry) -> tuple[IMR, ChronologyEntry]:
    imr = writable_imr(actor, entry.imr)
    entry = ChronologyEntry.objects.select_for_update().filter(imr=imr, pk=entry.pk).first()
    if entry is None:
        raise ActionNotAllowed("The entry has been deleted meanwhile.")
    return imr, entry


@transaction.atomic
def chronology_entry_add(*, actor, imr: IMR, **fields) -> ChronologyEntry:
    """Add one row to the IMR's chronology."""
    imr = writable_imr(actor, imr)
    entry = ChronologyEntry(imr=imr, **fields)
    check_entry(imr, entry)
    entry.save()
    chronology_changed(imr)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=entry,
        review=imr.participation.review,
        summary=f"Chronology entry of {entry.date:%-d %B %Y} added to {imr}",
    )
    return entry


@transaction.atomic
def chronology_entry_change(*, actor, entry: ChronologyEntry, **fields) -> ChronologyEntry:
    """Change a row of the IMR's chronology while the IMR is editable."""
    imr, entry = _locked_entry(actor, entry)
    for name, value in fields.items():
        setattr(entry, name, value)
    check_entry(imr, entry)
    entry.save()
    chronology_changed(imr)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=entry,
        review=imr.participation.review,
        summary=f"Chronology entry of {entry.date:%-d %B %Y} changed in {imr}",
    )
    return entry


@transaction.atomic
def chronology_entry_delete(*, actor, entry: ChronologyEntry) -> None:
    """Delete a row of the IMR's chronology while the IMR is editable; the audit log keeps its date."""
    imr, entry = _locked_entry(actor, entry)
    summary = f"Chronology entry of {entry.date:%-d %B %Y} ({entry.get_contact_type_display().lower()}) deleted from {imr}"
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETED,
        obj=entry,
        review=imr.participation.review,
        summary=summary,
    )
    entry.delete()
    chronology_changed(imr)


@transaction.atomic
def chronology_import(*, actor, imr: IMR, filename: str, content: bytes) -> tuple[int, int]:
    """Import a filled-in chronology template, all rows or none; return (added, already there).

    A row already in the chronology (the same date, time, kind, with whom, practitioner and
    summary: `chronology_import.row_key`) is not added again, so the same file uploaded twice
    adds nothing the second time. On any problem nothing is saved, and every problem is named
    with its row and column.
    """
    imr = writable_imr(actor, imr)
    upload = read_upload(filename, content)
    found = []
    entries = []
    register = RealNames(imr.participation.review)
    for number, fields in upload.rows:
        entry = ChronologyEntry(imr=imr, **fields)
        try:
            check_entry(imr, entry, register=register)
        except ActionNotAllowed as refused:
            found += [
                Problem(number, column, message)
                for column, messages in refused.by_field().items()
                for message in messages
            ]
            continue
        entries.append((fields, entry))
    for number, fields in upload.partial:
        # A row the file already has problems with: the review's rules on what of it could be read.
        problems = entry_problems(imr, ChronologyEntry(imr=imr, **fields), register=register)
        found += [
            Problem(number, column, message)
            for column, messages in problems.errors.items()
            for message in messages
        ]
    if upload.problems or found:
        problems = [str(problem) for problem in upload.sorted_problems(found)]
        if len(problems) > MAX_PROBLEMS_LISTED:
            more = len(problems) - MAX_PROBLEMS_LISTED
            problems = [*problems[:MAX_PROBLEMS_LISTED], f"And {more:,} more problems: mend these first"]
        raise ActionNotAllowed(problems)
    known = {row_key(vars(entry)) for entry in ChronologyEntry.objects.filter(imr=imr)}
    new = []
    for fields, entry in entries:
        key = row_key(fields)
        if key not in known:
            known.add(key)
            new.append(entry)
    ChronologyEntry.objects.bulk_create(new, batch_size=500)
    if new:
        chronology_changed(imr)
    already = len(entries) - len(new)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=imr,
        review=imr.participation.review,
        summary=f"Imported {len(new)} contacts into the chronology of {imr} from “{filename[:100]}” "
        f"({already} already there)",
    )
    return len(new), already
