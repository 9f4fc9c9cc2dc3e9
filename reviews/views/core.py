import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.roles import Role
from reviews import permissions as perms
from reviews.access import get_document_version_for_user
from reviews.filters import IMRFilter
from reviews.models import IMR, ActionItem, OutboxMessage, Referral, ReviewState
from reviews.models.imr import EDITABLE
from reviews.models.references import reference_order
from reviews.monitoring import monitored_actions
from reviews.tracker import tracker_queryset, with_timelines
from reviews.views.worklists import agency_participations, my_imrs


@require_GET
@never_cache
def healthz(request):
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


HOME_LIMIT = 5


@dataclass
class FirstFew:
    """The first items of a list for the home page, and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def first_few(queryset, limit=HOME_LIMIT) -> FirstFew:
    """At most `limit` rows and the count of all: two queries whatever the list's size.

    The count is its own query, without the rows' joins: counted alongside them (a window
    count), every matching row would be joined and read before the first few are cut.
    """
    rows = list(queryset[:limit])
    return FirstFew(rows, queryset.count())


@login_required
def home(request):
    """What needs this person's action now, by role: each list its most urgent few, with a link to the rest."""
    user = request.user
    today = timezone.localdate()
    context = {
        "today": today,
        "sees_all": perms.sees_all_reviews(user),
        "referrals_awaiting_url": f"{reverse('reviews:referral-list')}?status=awaiting",
        "actions_due_url": f"{reverse('reviews:action-list')}?due=30",
    }
    if perms.can_decide_referral(user) or perms.is_business_manager(user):
        context["referrals_awaiting"] = first_few(
            Referral.objects.filter(decision__isnull=True)
            .select_related("referring_agency")
            .order_by("received_at", "pk")
        )
    if perms.can_list_reviews(user):
        reviews = first_few(tracker_queryset(user).order_by("status_date", reference_order(), "pk"))
        context["open_reviews"] = FirstFew(with_timelines(reviews.rows, today=today), reviews.total)
    if user.has_role(Role.IMR_AUTHOR):
        context["my_imrs"] = first_few(
            my_imrs(user)
            # Still to write, or submitted with the feedback meeting with staff still to record.
            .filter(Q(state__in=EDITABLE) | Q(feedback_meeting_on__isnull=True))
            # A withdrawn review's IMR is no longer asked for.
            .exclude(participation__review__state=ReviewState.WITHDRAWN)
            .with_progress()
            .order_by("participation__review__current_due_date", "pk")
        )
        context["my_imrs_url"] = f"{reverse('reviews:imr-list')}?state={IMRFilter.TO_WRITE}"
    if user.has_role(Role.OVERVIEW_AUTHOR):
        context["imrs_to_read"] = first_few(
            IMR.objects.filter(participation__review__overview_author=user, state=IMR.State.SUBMITTED)
            .exclude(participation__review__state=ReviewState.WITHDRAWN)
            .select_related("participation__review", "participation__agency")
            .order_by("submitted_at", "pk")
        )
    if user.has_role(Role.AGENCY_SENIOR_MANAGER) and user.agency_id:
        context["engagements"] = first_few(
            agency_participations(user).needing_agency_manager().order_by("review__current_due_date", "pk")
        )
    # The QA sub-group's; an agency's own for its senior manager and IMR authors; the LSCB's for
    # the business manager.
    if perms.can_monitor_actions(user) or perms.sees_agency_actions(user) or perms.is_business_manager(user):
        due = monitored_actions(user, today=today)
        if not perms.can_monitor_actions(user) and perms.is_business_manager(user):
            due = due.filter(plan__agency__isnull=True)  # the LSCB's own, which the business manager owns
            context["actions_due_url"] += "&agency=lscb"
        context["actions_due"] = first_few(
            due.exclude(state__in=ActionItem.DONE)
            .exclude(plan__review__state=ReviewState.WITHDRAWN)
            .filter(due_on__lte=today + datetime.timedelta(days=30))
            .order_by("due_on", "pk")
        )
    if perms.is_business_manager(user):
        context["failed_messages"] = first_few(
            OutboxMessage.objects.failed().select_related("review").order_by("-queued_at", "-pk")
        )
    if perms.can_log_referral(user) and not perms.runs_reviews(user):
        context["my_referrals"] = first_few(
            Referral.objects.filter(referred_by=user)
            .select_related("decision")
            .order_by("-received_at", "-pk")
        )
    return render(request, "core/home.html", context)


@login_required
@never_cache
def document_download(request, pk):
    """Stream one document version through the access check, never from a public URL."""
    version = get_document_version_for_user(request.user, pk)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_filename,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
