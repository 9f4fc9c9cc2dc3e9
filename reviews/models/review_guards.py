"""The preconditions of a review's stage moves: each yields one sentence per unmet requirement."""

from reviews.models.review_states import ReviewState, ReviewType
from reviews.preconditions import precondition


@precondition
def terms_of_reference_complete(review):
    tor = getattr(review, "terms_of_reference", None)
    if tor is None:
        yield "Draft the terms of reference."
        return
    if not tor.focus_areas.exists():
        yield "Add at least one focus area to the terms of reference."
    if tor.period_start is None or tor.period_end is None:
        yield "Set the period under review in the terms of reference."
    if not review.participations.exists():
        yield "Choose the agencies asked to take part."
    if not review.involved_staff.exists():
        yield "Record the staff involved in the case, so the terms of reference can be shared with them."


@precondition
def terms_of_reference_shared(review):
    tor = getattr(review, "terms_of_reference", None)
    if tor is None or tor.shared_with_staff_at is None:
        yield "Share the agreed terms of reference with the staff involved."


@precondition
def agencies_ready(review):
    participations = review.participations.select_related("agency", "imr__author")
    if not participations:
        yield "No agency has been asked to take part."
    for participation in participations:
        agency = participation.agency
        if participation.files_secured_at is None:
            yield f"{agency} has not confirmed that its case files are secured."
        imr = getattr(participation, "imr", None)
        if imr is None:
            yield f"{agency} has not nominated an IMR author."
        elif imr.declaration_signed_at is None:
            yield f"{imr.author}, {agency}'s IMR author, has not signed the independence declaration."


@precondition
def imrs_all_submitted(review):
    for participation in review.participations.select_related("agency", "imr"):
        imr = getattr(participation, "imr", None)
        if imr is None:
            yield f"{participation.agency} has not nominated an IMR author."
            continue
        if not imr.is_submitted:
            yield f"{participation.agency}'s IMR has not been submitted."
        if imr.feedback_meeting_on is None:
            yield f"{participation.agency}'s IMR author has not recorded the feedback meeting with staff."


@precondition
def overview_author_commissioned(review):
    if review.overview_author_id is None:
        yield "Commission an independent overview author."
    elif review.overview_declaration_signed_at is None:
        yield f"{review.overview_author}, the overview author, has not signed the independence declaration."


@precondition
def overview_report_ready(review):
    from reviews.models.documents import Document

    if not review.documents.filter(kind=Document.Kind.OVERVIEW_REPORT).exists():
        yield "Upload the overview report."
    if not review.recommendations.filter(imr__isnull=True).exists():
        yield "Record the overview report's recommendations."
    for participation in review.participations.select_related("agency", "imr"):
        imr = getattr(participation, "imr", None)
        if imr is None or not imr.is_accepted:
            yield f"{participation.agency}'s IMR has not been accepted by the overview author."


@precondition
def lscb_action_plan_ready(review):
    plan = review.action_plans.filter(agency__isnull=True).first()
    if plan is None or not plan.items.exists():
        yield "Add the actions of the LSCB action plan."
        return
    uncovered = review.recommendations.filter(imr__isnull=True, actions__isnull=True).order_by("number")
    for recommendation in uncovered:
        yield f"Overview recommendation {recommendation.number} has no action in the LSCB action plan."


@precondition
def is_serious_case_review(review):
    if review.review_type != ReviewType.SCR:
        yield (
            f"A {review.get_review_type_display().lower()} is not sent to Ofsted or GOL: "
            "only serious case reviews are."
        )


@precondition
def ofsted_pack_prepared(review):
    from reviews.models.documents import Document

    if review.review_type != ReviewType.SCR:
        return
    pack = review.documents.filter(kind=Document.Kind.OFSTED_PACK).first()
    if pack is None:
        yield "Prepare the submission pack for Ofsted and GOL."
        return
    prepared = pack.versions.order_by("-number").values_list("uploaded_at", flat=True).first()
    report = review.documents.filter(kind=Document.Kind.OVERVIEW_REPORT).first()
    changed = report and report.versions.filter(uploaded_at__gt=prepared).exists()
    if changed or review.extensions.filter(recorded_at__gt=prepared).exists():
        yield "The overview report or the due date has changed since the submission pack was prepared: prepare it again."


@precondition
def ofsted_done_if_scr(review):
    if review.review_type != ReviewType.SCR:
        return
    if review.state != ReviewState.WITH_OFSTED:
        yield "A serious case review is sent to Ofsted and GOL before its executive summary."
    elif not review.ofsted_grade:
        yield "Record Ofsted's grade and feedback."


@precondition
def ready_to_close(review):
    from reviews.models.action_plan import ActionItem

    summary = getattr(review, "executive_summary", None)
    if summary is None or summary.publish_from is None:
        yield "Publish the executive summary on the LSCB website."
    if summary is None or summary.sent_to_staff_on is None:
        yield "Send the executive summary to the staff involved."
    open_actions = ActionItem.objects.filter(plan__review=review).exclude(state__in=ActionItem.DONE)
    count = open_actions.count()
    if count:
        yield f"{count} action{'s are' if count > 1 else ' is'} not yet complete."
    kinds = set(review.support_meetings.values_list("kind", flat=True))
    if "beginning" not in kinds:
        yield "No staff support meeting has been recorded at the beginning of the review."
    if "end" not in kinds:
        yield "Hold the closing staff support meeting and record it."
