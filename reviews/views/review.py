from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from reviews import permissions as perms
from reviews import services
from reviews.access import get_review_for_user
from reviews.forms import (
    CounsellingOfferForm,
    ExtensionForm,
    InvolvedStaffCorrectionForm,
    InvolvedStaffForm,
    NoteForm,
    PoliceAdviceForm,
    PoliceInvestigationForm,
    ReasonForm,
    SupportMeetingForm,
)
from reviews.models import IMR, ChronologyEntry, CounsellingOffer, Document, InvolvedStaff
from reviews.models.review_states import AWAITING_AGENCIES, BEFORE_BOARD, ReviewState
from reviews.preconditions import available_moves
from reviews.services.moves import note_needed
from reviews.timeline import review_timeline
from reviews.views.core import first_few
from reviews.views.forms_flow import handle_form, posted

MESSAGES_SHOWN = 10


def review_url(review) -> str:
    return reverse("reviews:review-detail", args=[review.pk])


def review_context(review) -> dict:
    """What every page of a review shows: the police banner and the criterion (a) flag."""
    return {
        "review": review,
        "police_advice": review.police_advice.first() if review.police_investigation_open else None,
    }


def unregistered_pseudonyms(review, limit=20) -> list[str]:
    """Practitioners named in the review's chronologies who are not in its register (in any case): to add."""
    registered = InvolvedStaff.objects.filter(review=review).annotate(name=Lower("pseudonym")).values("name")
    return list(
        ChronologyEntry.objects.filter(imr__participation__review=review)
        .annotate(name=Lower("practitioner"))
        .exclude(name__in=registered)
        .values("name")
        .annotate(shown=Min("practitioner"))
        .order_by("name")
        .values_list("shown", flat=True)[:limit]
    )


def move_history(obj, user):
    """The state log of `obj`, newest first, each note shown only to those who may see what it is about."""
    entries = list(StateLog.objects.for_(obj).select_related("by", "content_type").order_by("-timestamp"))
    for entry in entries:
        entry.note_visible = perms.can_read_move_note(user, obj, entry.transition)
    return entries


def frozen_tor_version(review):
    """The agreed terms of reference as frozen when agreed, or None while only the live draft exists."""
    document = review.documents.filter(kind=Document.Kind.TERMS_OF_REFERENCE).first()
    return document.versions.order_by("-number").first() if document else None


# Stages at which the overview report exists to be read: from the IMRs' submission on.
OVERVIEW_READABLE = (ReviewState.IMRS_SUBMITTED, ReviewState.OVERVIEW)
LSCB_PLAN_STAGES = (
    ReviewState.ACTION_PLAN,
    ReviewState.WITH_OFSTED,
    ReviewState.EXECUTIVE_SUMMARY,
    ReviewState.CLOSED,
)


def overview_links(review, user) -> dict:
    """Where the overview, the board and the LSCB action plan are reached from the review's page."""
    state = review.state
    # What may be read follows the stage the review reached, withdrawn or not; what may be done, its state.
    reached = review.stage_reached
    reads_report = perms.can_view_overview_report(user, review)
    is_author = perms.is_overview_author_of(user, review)
    return {
        "commission": perms.can_commission_overview(user, review)
        and state in (ReviewState.IMRS_IN_PROGRESS, *OVERVIEW_READABLE),
        "declaration": is_author and review.overview_declaration_signed_at is None,
        "write": is_author and state == ReviewState.OVERVIEW,
        "report": reads_report and (reached in OVERVIEW_READABLE or reached not in BEFORE_BOARD),
        "board": reads_report and reached not in BEFORE_BOARD,
        "decide": perms.can_board_decide(user, review) and state == ReviewState.AT_BOARD,
        "lscb_plan": perms.can_view_lscb_action_plan(user, review) and reached in LSCB_PLAN_STAGES,
        "build_plan": perms.runs_reviews(user) and state == ReviewState.ACTION_PLAN,
    }


@login_required
def review_detail(request, pk):
    review = get_review_for_user(request.user, pk)
    user = request.user
    today = timezone.localdate()
    support_meetings = list(review.support_meetings.prefetch_related("attendees"))
    kinds = {meeting.kind for meeting in support_meetings}
    participations = [
        (
            participation,
            perms.can_engage_agency(user, participation),
            hasattr(participation, "imr") and perms.can_view_imr(user, participation.imr),
        )
        for participation in review.participations.select_related(
            "review", "agency", "imr__author", "files_secured_by"
        )
    ]
    context = {
        **review_context(review),
        "stages": review.stages(),
        "stage_index": review.stages().index(review.stage_reached),
        "moves": available_moves(review, user),
        "timeline": review_timeline(review, review.milestones.all(), today=today),
        "extensions": review.extensions.select_related("recorded_by"),
        "advice_history": review.police_advice.select_related("recorded_by"),
        "participations": participations,
        # For the overview author and the panel: submitted IMRs waiting for their return or acceptance.
        "imrs_to_read": [
            participation.imr
            for participation, _, sees in participations
            if sees
            and participation.imr.state == IMR.State.SUBMITTED
            and perms.can_critique_imr(user, participation.imr)
        ],
        # An agency's own work while the agencies are engaged: files secured, author nominated.
        "engagement_due": [
            participation
            for participation, can_engage, _ in participations
            if can_engage
            and perms.is_agency_manager_for(user, participation.agency_id)
            and review.state in AWAITING_AGENCIES
            and not (participation.files_secured_at and hasattr(participation, "imr"))
        ],
        "involved_staff": review.involved_staff.select_related("agency"),
        "unregistered_pseudonyms": unregistered_pseudonyms(review) if perms.runs_reviews(user) else [],
        "can_see_identities": perms.can_view_identities(user, review),
        "support_meetings": support_meetings,
        "missing_support": [
            label
            for kind, label, due in (
                ("beginning", "at the beginning", True),
                # The closing meeting follows the IMRs: not missing before they are in.
                (
                    "end",
                    "at the end",
                    review.state not in AWAITING_AGENCIES and review.state != "tor_drafting",
                ),
            )
            if due and kind not in kinds
        ],
        "counselling_offers": CounsellingOffer.objects.filter(staff__review=review).select_related("staff"),
        "notifications": review.notifications.select_related("body", "sent_by", "attachment", "message"),
        # The review's own e-mails, newest first: for the business manager, who answers for them.
        "review_messages": first_few(
            review.messages.select_related("attachment").order_by("-queued_at", "-pk"), limit=MESSAGES_SHOWN
        )
        if perms.is_business_manager(user)
        else None,
        "history": move_history(review, user),
        "overview": overview_links(review, user),
        "tor": review.terms_of_reference,
        "tor_agreed_version": frozen_tor_version(review),
        "can": {
            "runs": perms.runs_reviews(user),
            "write_summary": perms.runs_reviews(user) or perms.is_overview_author_of(user, review),
            "extend": perms.can_extend_review(user, review),
            "police": perms.can_record_police_advice(user, review),
            "support": perms.can_organise_staff_support(user, review),
            "staff": perms.runs_reviews(user),
            "write_tor": perms.can_write_tor(user, review),
            "notify": perms.is_business_manager(user),
            "activity": perms.can_view_audit_log(user),
            "integrated_chronology": perms.can_view_integrated_chronology(user, review),
            "correct_decision": perms.can_decide_referral(user) and review.state in review.BEFORE_BOARD,
        },
    }
    return render(request, "reviews/review_detail.html", context)


# The terms of reference are agreed on a page that shows what is being agreed.
DEDICATED = {"agree_terms_of_reference": "reviews:tor-agree"}


# Moves that a later move can send back: their confirmation says so rather than "cannot be undone".
# The note's question and hint where a move's note is more than a remark.
MOVE_NOTES = {
    "withdraw": {
        "label": "Why is the review being withdrawn?",
        "hint": "Everyone who can see the review reads this reason on its pages. Those taking part "
        "(the agencies' IMR authors and senior managers, and the business manager) are e-mailed a "
        "link to the review, without the reason.",
    },
}

# What a move did, where "Done: <the move>" says too little.
MOVE_DONE = {
    "withdraw": "The review is withdrawn. Those taking part are e-mailed a link to it.",
}

REVERSIBLE_MOVES = {
    "send_to_board": "The board approves the report or returns it to its author with a note.",
    "board_return": "Its author can change it and send it to the board again.",
}


@login_required
def review_move(request, pk, move):
    """Confirm a stage move (GET), then make it (POST)."""
    review = get_review_for_user(request.user, pk)
    offered = next((m for m in available_moves(review, request.user) if m["name"] == move), None)
    if offered is None:
        raise Http404("That move is not available.")
    if move in DEDICATED:
        return redirect(DEDICATED[move], pk=review.pk)
    return handle_form(
        request,
        form=NoteForm(posted(request), needed=note_needed(review, move), **MOVE_NOTES.get(move, {})),
        template="reviews/move_confirm.html",
        context={
            **review_context(review),
            "move": offered,
            "moving": review,
            "moving_name": "review",
            "caption": review.reference,
            "back_url": review_url(review),
            "back_text": f"Back to {review.reference}",
            "warning": REVERSIBLE_MOVES.get(move, ""),
        },
        save=lambda data: services.review_move(
            actor=request.user, review=review, move=move, note=data["note"]
        ),
        success_message=MOVE_DONE.get(move, f"Done: {offered['label']}."),
        success_url=review_url(review),
    )


def review_form_page(
    request, pk, *, allowed, form_class, title, save, message, template="reviews/review_form.html"
):
    """A form about one review: 404 without a view of it, 403 without the right to this change."""
    review = get_review_for_user(request.user, pk)
    if not allowed(request.user, review):
        raise PermissionDenied
    return handle_form(
        request,
        form=form_class(posted(request), review=review),
        template=template,
        context={**review_context(review), "title": title},
        save=lambda data: save(request.user, review, data),
        success_message=message,
        success_url=review_url(review),
    )


@login_required
def review_extend(request, pk):
    return review_form_page(
        request,
        pk,
        allowed=perms.can_extend_review,
        form_class=ExtensionForm,
        title="Extend the review",
        save=lambda user, review, data: services.review_extend(actor=user, review=review, **data),
        message="Extension recorded. The original due date stays on record.",
    )


@login_required
def police_advice_add(request, pk):
    return review_form_page(
        request,
        pk,
        allowed=perms.can_record_police_advice,
        form_class=PoliceAdviceForm,
        title="Record the police's advice",
        save=lambda user, review, data: services.police_advice_record(actor=user, review=review, **data),
        message="Police advice recorded. Every page of the review now shows it.",
    )


@login_required
def police_investigation_toggle(request, pk):
    """Confirm (GET), then mark the police investigation open or closed (POST) as the page asked."""
    review = get_review_for_user(request.user, pk)
    if not perms.can_record_police_advice(request.user, review):
        raise PermissionDenied
    opening = not review.police_investigation_open
    title = "Mark a police investigation open" if opening else "Mark the police investigation closed"
    form = PoliceInvestigationForm(posted(request), initial={"open": "yes" if opening else "no"})
    return handle_form(
        request,
        form=form,
        template="reviews/confirm.html",
        context={
            **review_context(review),
            "title": f"{title}?",
            "submit": title,
            "explanation": (
                "Every page of the review will show the police's current advice on what staff may discuss."
                if opening
                else "Pages of the review will no longer show the police's advice. The advice given so far "
                "stays on record."
            ),
            "cancel_url": review_url(review),
        },
        save=lambda data: services.review_set_police_investigation(
            actor=request.user, review=review, is_open=data["open"]
        ),
        success_message=lambda review: (
            "Police investigation marked open."
            if review.police_investigation_open
            else "Police investigation marked closed."
        ),
        success_url=review_url(review),
    )


@login_required
def involved_staff_add(request, pk):
    return review_form_page(
        request,
        pk,
        allowed=lambda user, review: perms.runs_reviews(user),
        form_class=InvolvedStaffForm,
        title="Add a member of staff involved",
        save=lambda user, review, data: services.involved_staff_add(actor=user, review=review, **data),
        message="Member of staff added.",
    )


def _staff_for(request, pk, staff_pk):
    review = get_review_for_user(request.user, pk)
    if not perms.runs_reviews(request.user):
        raise PermissionDenied
    staff = get_object_or_404(InvolvedStaff.objects.current(), review=review, pk=staff_pk)
    return review, staff


@login_required
def involved_staff_correct(request, pk, staff_pk):
    """Correct a member of staff's entry; the earlier values are kept (audited: the page shows a real name)."""
    review, staff = _staff_for(request, pk, staff_pk)
    if request.method == "GET":
        services.confidential_view_record(
            actor=request.user, obj=staff, review=review, summary=f"Opened {staff}'s entry to correct it"
        )
    initial = {f: getattr(staff, f) for f in ("pseudonym", "real_name", "role_title", "email")}
    form = InvolvedStaffCorrectionForm(
        posted(request), review=review, initial={**initial, "agency": staff.agency_id}
    )
    return handle_form(
        request,
        form=form,
        template="reviews/review_form.html",
        context={**review_context(review), "title": f"Correct {staff}"},
        save=lambda data: services.involved_staff_correct(actor=request.user, staff=staff, **data),
        success_message="Entry corrected. The earlier values stay on record.",
        success_url=review_url(review) + "#staff",
    )


@login_required
def involved_staff_withdraw(request, pk, staff_pk):
    review, staff = _staff_for(request, pk, staff_pk)
    return handle_form(
        request,
        form=ReasonForm(posted(request)),
        template="reviews/review_form.html",
        context={**review_context(review), "title": f"Withdraw {staff}", "submit": f"Withdraw {staff}"},
        save=lambda data: services.involved_staff_withdraw(
            actor=request.user, staff=staff, reason=data["reason"]
        ),
        success_message=f"{staff} withdrawn. The entry stays on record, marked withdrawn.",
        success_url=review_url(review) + "#staff",
    )


@login_required
def support_meeting_add(request, pk):
    return review_form_page(
        request,
        pk,
        allowed=perms.can_organise_staff_support,
        form_class=SupportMeetingForm,
        title="Record a staff support meeting",
        save=lambda user, review, data: services.support_meeting_record(actor=user, review=review, **data),
        message="Staff support meeting recorded.",
    )


@login_required
def counselling_offer_add(request, pk):
    return review_form_page(
        request,
        pk,
        allowed=perms.can_organise_staff_support,
        form_class=CounsellingOfferForm,
        title="Record an offer of counselling",
        save=lambda user, review, data: services.counselling_offer_record(actor=user, review=review, **data),
        message="Counselling offer recorded.",
    )


@login_required
def identity_register(request, pk):
    """Who is behind each pseudonym: for the panel, the business manager and the review's authors; audited."""
    review = get_review_for_user(request.user, pk)
    if not perms.can_view_identities(request.user, review):
        services.access_denied_record(
            actor=request.user,
            obj=review,
            review=review,
            summary=f"Tried to open the identity register of {review}",
        )
        raise Http404("No identity register here.")
    services.confidential_view_record(
        actor=request.user, obj=review, review=review, summary=f"Viewed the identity register of {review}"
    )
    context = {
        **review_context(review),
        "involved_staff": review.involved_staff.select_related("agency", "withdrawn_by").prefetch_related(
            "revisions__corrected_by"
        ),
    }
    return render(request, "reviews/identity_register.html", context)
