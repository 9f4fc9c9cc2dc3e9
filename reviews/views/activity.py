"""The review's activity log: every audit row of the review, for the panel and the business manager."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from agencies.models import User
from reviews import permissions as perms
from reviews import services
from reviews.access import get_review_for_user
from reviews.lists import paginate
from reviews.models import AuditEvent
from reviews.views.review import review_context


class ActivityFilter(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Anyone")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Any kind"), *AuditEvent.Action.choices], label="Kind"
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(audit_events__review=review).distinct()


@login_required
def review_activity(request, pk):
    review = get_review_for_user(request.user, pk)
    if not perms.can_view_audit_log(request.user):
        services.access_denied_record(
            actor=request.user,
            obj=review,
            review=review,
            summary=f"Tried to open the activity log of {review}",
        )
        raise Http404("No activity log here.")
    events = AuditEvent.objects.filter(review=review).select_related("actor").order_by("at", "pk")
    filters = ActivityFilter(request.GET or None, review=review)
    if filters.is_valid():
        if filters.cleaned_data["person"]:
            events = events.filter(actor=filters.cleaned_data["person"])
        if filters.cleaned_data["kind"]:
            events = events.filter(action=filters.cleaned_data["kind"])
    page, query = paginate(request, events)
    # Read the page before writing this look at it, so the log shows what was there when opened.
    page.object_list = list(page.object_list)
    _ = page.paginator.count
    services.confidential_view_record(
        actor=request.user, obj=review, review=review, summary=f"Viewed the activity log of {review}"
    )
    context = {**review_context(review), "filters": filters, "page": page, "query": query}
    return render(request, "reviews/activity.html", context)
