"""Every state-machine move, through one service per machine and one table of moves each.

A move is checked (stage, permission, its own inputs, the guards' sentences),
made, saved, written to the audit log beside django-fsm-log's row, and then its
side effects run in the same transaction. A refused move is written to the audit
log too, after its transaction has rolled back, for whoever reviews security.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reviews.models import (
    IMR,
    ActionItem,
    AuditEvent,
    BoardDecision,
    Document,
    ExternalBody,
    Milestone,
    NotificationKind,
    OutboxMessage,
    Review,
    TermsOfReference,
)
from reviews.preconditions import current_transition, move_label, unmet_preconditions
from reviews.services.common import ActionNotAllowed, Problems, audit_record, refuse_if_withdrawn
from reviews.services.notifications import notifications_queue
from reviews.services.outbox import message_queue, site_link
from reviews.services.timetable import milestone_mark_done


@dataclass(frozen=True)
class Move:
    """What a move needs beyond its guards, and what follows it."""

    # The message when the move needs a note and none is given (the note then shows on the field "note").
    note_required: str = ""
    # Check the move's own inputs and set them on the object; return the transition's keyword arguments.
    prepare: Callable | None = None
    # Side effects, in the same transaction, once the move is saved.
    then: tuple[Callable, ...] = field(default_factory=tuple)


def _run(obj, *, table: dict[str, Move], move: str, actor, note: str, review, **inputs):
    spec = table.get(move)
    if spec is None:
        raise ActionNotAllowed(f"“{move}” is not a move of {obj._meta.verbose_name}.")
    declared = current_transition(obj, move)
    if declared is None:
        # Not a move from this stage: the one sentence says which stage it needs.
        raise ActionNotAllowed(unmet_preconditions(getattr(obj, move)))
    if obj is not review:
        # An IMR's or an action's move: none once its review is withdrawn (the review itself has no
        # move left from there). Asked first: an author may no longer write a withdrawn review's IMR.
        refuse_if_withdrawn(review.pk, what="its IMRs" if isinstance(obj, IMR) else "its action plans")
    if not declared.has_perm(obj, actor):
        raise PermissionDenied(f"{actor} may not {move_label(obj, move).lower()}.")
    note = note.strip()
    if spec.note_required and not note:
        raise ActionNotAllowed({"note": [spec.note_required]})
    kwargs = spec.prepare(obj, **inputs) if spec.prepare else {}
    reasons = unmet_preconditions(getattr(obj, move))
    if reasons:
        raise ActionNotAllowed(reasons)
    source = obj.get_state_label(obj.state)
    getattr(obj, move)(by=actor, description=note or None, **kwargs)
    obj.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MOVED,
        obj=obj,
        review=review,
        summary=f"{move_label(obj, move)}: from “{source}” to “{obj.get_state_label(obj.state)}”",
    )
    for effect in spec.then:
        effect(obj, actor=actor, note=note)
    return obj


def _refusal_recorded(make, obj, on_review, *, actor, move: str, **kwargs):
    """Run `make`; if the rules or permissions refuse it, write the refusal once its transaction is undone."""
    try:
        return make(actor=actor, move=move, **kwargs)
    except (ActionNotAllowed, PermissionDenied) as refusal:
        reasons = refusal.reasons if isinstance(refusal, ActionNotAllowed) else [str(refusal)]
        audit_record(
            actor=actor,
            action=AuditEvent.Action.REFUSED,
            obj=obj,
            review=on_review,
            summary=f"“{move_label(obj, move)}” refused: {' '.join(reasons)}",
        )
        raise


# The review's moves.


def _milestone_done(kind: Milestone.Kind):
    def mark(review, **_):
        milestone_mark_done(review, kind)

    mark.__name__ = f"mark_{kind}_done"
    return mark


def _tor_agreed(review, *, actor, **_):
    """Freeze the agreed terms of reference, share them, and for an SCR tell the external bodies."""
    now = timezone.now()
    TermsOfReference.objects.filter(review=review).update(
        agreed_at=now, agreed_by=actor, shared_with_staff_at=now
    )
    if review.is_scr:
        notifications_queue(
            actor=actor,
            referral=review.referral,
            review=review,
            kind=NotificationKind.TERMS_OF_REFERENCE,
            bodies=ExternalBody.objects.filter(is_active=True, receives_terms_of_reference=True),
        )
    review_id = review.pk
    transaction.on_commit(lambda: _render_agreed_tor(review_id))


def _render_agreed_tor(review_id: int) -> None:
    from reviews.tasks import tor_render_pdf

    tor_render_pdf.delay(review_id)


def _board_decision(outcome: BoardDecision.Outcome):
    def record(review, *, actor, note, **_):
        decision = BoardDecision.objects.create(review=review, outcome=outcome, note=note, decided_by=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DECIDED,
            obj=decision,
            review=review,
            summary=f"The board's decision: {decision.get_outcome_display()}",
        )

    record.__name__ = f"record_board_{outcome}"
    return record


def _report_sent(review, *, actor, **_):
    """Queue notification 3 with the submission pack: to Ofsted to grade, to GOL for information."""
    pack = review.documents.get(kind=Document.Kind.OFSTED_PACK).versions.order_by("-number").first()
    notifications_queue(
        actor=actor,
        referral=review.referral,
        review=review,
        kind=NotificationKind.REPORT_COMPLETE,
        bodies=ExternalBody.objects.filter(is_active=True, receives_reports=True),
        attachment=pack,
    )


def withdrawn_addresses(review: Review) -> list[str]:
    """Who is told of a withdrawal: the IMR authors and senior managers of its agencies, and the business manager."""
    from agencies.models import User
    from agencies.roles import Role

    agencies = review.participations.values("agency_id")
    people = User.objects.filter(is_active=True).exclude(email="")
    told = people.filter(
        Q(groups__name=Role.BUSINESS_MANAGER)
        | Q(groups__name=Role.AGENCY_SENIOR_MANAGER, agency_id__in=agencies)
        | Q(imrs__participation__review=review)
    )
    return sorted(set(told.values_list("email", flat=True)))


def _withdrawn_tell(review, *, actor, **_):
    """E-mail them that the review is withdrawn: a link, no content (the reason is behind the sign-in)."""
    to = withdrawn_addresses(review)
    if not to:
        return
    message_queue(
        actor=actor,
        kind=OutboxMessage.Kind.REVIEW_NEWS,
        template="review-withdrawn",
        key=f"review-withdrawn:{review.pk}",
        to=to,
        context={
            "reference": review.reference,
            "link": site_link(reverse("reviews:review-detail", args=[review.pk])),
        },
        review=review,
    )


REVIEW_MOVES: dict[str, Move] = {
    "agree_terms_of_reference": Move(then=(_tor_agreed, _milestone_done(Milestone.Kind.TOR_AGREED))),
    "engage_agencies": Move(),
    "start_imrs": Move(),
    "complete_imrs": Move(then=(_milestone_done(Milestone.Kind.IMRS_SUBMITTED),)),
    "start_overview": Move(),
    "send_to_board": Move(then=(_milestone_done(Milestone.Kind.OVERVIEW_TO_BOARD),)),
    "board_approve": Move(then=(_board_decision(BoardDecision.Outcome.APPROVED),)),
    "board_return": Move(
        note_required="Say why the board is returning the overview report",
        then=(_board_decision(BoardDecision.Outcome.RETURNED),),
    ),
    "send_to_ofsted": Move(then=(_report_sent,)),
    "prepare_executive_summary": Move(),
    "close": Move(then=(_milestone_done(Milestone.Kind.REVIEW_COMPLETE),)),
    "withdraw": Move(note_required="Say why the review is withdrawn", then=(_withdrawn_tell,)),
}


@transaction.atomic
def _review_move(*, actor, review: Review, move: str, note: str) -> Review:
    review = Review.objects.select_for_update(of=("self",)).select_related("referral").get(pk=review.pk)
    return _run(review, table=REVIEW_MOVES, move=move, actor=actor, note=note, review=review)


def review_move(*, actor, review: Review, move: str, note: str = "") -> Review:
    """Move a review to its next stage, if the actor may and every precondition is met."""
    return _refusal_recorded(_review_move, review, review, actor=actor, move=move, review=review, note=note)


# An IMR's moves.


def _submitted_now(imr, **_) -> dict:
    return {"at": timezone.now()}


IMR_MOVES: dict[str, Move] = {
    "start": Move(),
    "submit": Move(prepare=_submitted_now),
    "return_for_work": Move(note_required="Say what more work the IMR needs"),
    "accept": Move(),
}


@transaction.atomic
def _imr_move(*, actor, imr: IMR, move: str, note: str) -> IMR:
    imr = (
        IMR.objects.select_for_update(of=("self",))
        .select_related("participation__review", "participation__agency", "author")
        .get(pk=imr.pk)
    )
    return _run(imr, table=IMR_MOVES, move=move, actor=actor, note=note, review=imr.participation.review)


def imr_move(*, actor, imr: IMR, move: str, note: str = "") -> IMR:
    """Start, submit, return or accept an IMR."""
    review = imr.participation.review
    return _refusal_recorded(_imr_move, imr, review, actor=actor, move=move, imr=imr, note=note)


# An action's moves.


def _evidence_set(item, *, evidence: str = "", **_) -> dict:
    from reviews.services.monitoring import check_no_real_names

    problems = Problems()
    check_no_real_names(problems, item.plan.review, field="evidence", text=evidence)
    problems.raise_any()
    item.evidence = evidence.strip()
    return {"on": timezone.localdate()}


OWNER_MOVES = ("start", "complete")
ACTION_MOVES: dict[str, Move] = {
    "start": Move(),
    "complete": Move(prepare=_evidence_set),
    "verify": Move(),
    "reopen": Move(note_required="Say why the action is reopened"),
}


@transaction.atomic
def _action_item_move(*, actor, item: ActionItem, move: str, note: str, evidence: str) -> ActionItem:
    item = ActionItem.objects.select_for_update(of=("self",)).select_related("plan__review").get(pk=item.pk)
    if move in OWNER_MOVES:
        # "Last update" is the owner's: the QA sub-group's verifying or reopening is not news from them.
        item.last_update_at = timezone.now()
    if move == "complete" and not note.strip():
        # The statement of evidence is kept in the history too: a reopened action completed again
        # replaces the field, never the record of what was said the first time.
        note = evidence.strip()
    item = _run(
        item,
        table=ACTION_MOVES,
        move=move,
        actor=actor,
        note=note,
        review=item.plan.review,
        evidence=evidence,
    )
    if move in ("verify", "reopen"):
        from reviews.services.monitoring import owners_tell

        owners_tell(actor=actor, item=item, move=move)
    return item


def action_item_move(*, actor, item: ActionItem, move: str, note: str = "", evidence: str = "") -> ActionItem:
    """Start, complete (with its evidence), verify or reopen an action."""
    review = item.plan.review
    return _refusal_recorded(
        _action_item_move, item, review, actor=actor, move=move, item=item, note=note, evidence=evidence
    )


def moves_for(obj) -> dict[str, Move]:
    """Return the table of moves of `obj`'s state machine."""
    return {Review: REVIEW_MOVES, IMR: IMR_MOVES, ActionItem: ACTION_MOVES}[type(obj)]


def note_needed(obj, move: str) -> bool:
    """Whether `move` of `obj` refuses an empty note."""
    spec = moves_for(obj).get(move)
    return bool(spec and spec.note_required)


__all__ = [
    "ACTION_MOVES",
    "IMR_MOVES",
    "REVIEW_MOVES",
    "action_item_move",
    "imr_move",
    "moves_for",
    "note_needed",
    "review_move",
]
