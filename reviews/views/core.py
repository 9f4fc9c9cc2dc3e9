import datetime

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.roles import Role
from reviews import permissions as perms
from reviews.access import get_document_version_for_user
from reviews.models import IMR, ActionItem, AgencyParticipation, Referral, Review
from reviews.models.review_states import AWAITING_AGENCIES
from reviews.tracker import tracker_rows


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


@login_required
def home(request):
    """What needs this person's action now, by role."""
    user = request.user
    today = timezone.localdate()
    context = {"today": today}
    if perms.can_decide_referral(user) or perms.is_business_manager(user):
        context["referrals_awaiting"] = Referral.objects.filter(decision__isnull=True).select_related(
            "referring_agency"
        )
    if perms.runs_reviews(user) or user.has_role(Role.BOARD_MEMBER, Role.QA_SUBGROUP):
        context["tracker_rows"] = tracker_rows(today=today, sort="next")
    else:
        context["reviews"] = (
            Review.objects.visible_to(user).open().select_related("referral").order_by("current_due_date")
        )
    context["my_imrs"] = (
        IMR.objects.filter(author=user)
        .select_related("participation__review", "participation__agency")
        .order_by("participation__review__current_due_date")
    )
    if user.has_role(Role.AGENCY_SENIOR_MANAGER) and user.agency_id:
        context["engagements"] = (
            AgencyParticipation.objects.filter(agency_id=user.agency_id, review__state__in=AWAITING_AGENCIES)
            .filter(Q(files_secured_at__isnull=True) | Q(imr__isnull=True))
            .select_related("review", "agency", "imr")
        )
    if perms.can_monitor_actions(user):
        context["actions_due"] = (
            ActionItem.objects.exclude(state=ActionItem.State.VERIFIED)
            .filter(due_on__lte=today + datetime.timedelta(days=30))
            .select_related("plan__review", "plan__agency")
            .order_by("due_on")
        )
    if perms.can_log_referral(user) and not perms.runs_reviews(user):
        context["my_referrals"] = Referral.objects.filter(referred_by=user).select_related("decision")[:20]
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
