"""Themes across reviews: the QA sub-group's list, each theme's recommendations, how often each recurs by year,
and the themes of one recommendation.

The pages are for those who see every review; to anyone else they do not exist (404, and a denied row).
A review's year is the year of the panel's decision that opened it (`Review.decision_date`).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear, Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.filters import ThemeFilter, ThemeRecommendationFilter
from reviews.forms import RecommendationThemesForm, ThemeChangeForm, ThemeForm
from reviews.lists import Sort, list_page
from reviews.models import Recommendation, Theme
from reviews.models.references import reference_order
from reviews.views.forms_flow import handle_form, posted

THEMES_URL = "reviews:theme-list"


def _refuse(user, obj, summary: str, review=None):
    # Signed-in people only: login_required sends anyone else to sign in first.
    services.access_denied_record(actor=user, obj=obj, review=review, summary=summary)
    raise Http404("No themes here.")


def _check_reader(user, what: str) -> None:
    if not perms.can_list_themes(user):
        _refuse(user, Theme(), f"Tried to open {what}")


def get_theme_for_user(user, pk, *, maintain: bool = False) -> Theme:
    """The theme, for those who see every review (and, to change it, the QA sub-group alone); else 404."""
    theme = get_object_or_404(Theme, pk=pk)
    allowed = perms.can_maintain_themes(user) if maintain else perms.can_list_themes(user)
    if not allowed:
        _refuse(user, theme, f"Tried to {'change' if maintain else 'open'} the theme “{theme.name}”")
    return theme


def recommendation_url(recommendation, user) -> str:
    """Where a recommendation is read: its IMR for those who may open it, else its review; the overview's
    on the LSCB action plan."""
    if recommendation.imr_id is None:
        plan = reverse("reviews:lscb-action-plan", args=[recommendation.review_id])
        return f"{plan}#recommendation-{recommendation.number}"
    if perms.can_view_imr(user, recommendation.imr):
        return f"{reverse('reviews:imr-detail', args=[recommendation.imr_id])}#recommendations"
    return reverse("reviews:review-detail", args=[recommendation.review_id])


def source(recommendation) -> str:
    return "IMR" if recommendation.imr_id else "Overview"


@login_required
def theme_list(request):
    """Every theme with how many recommendations carry it; the QA sub-group adds themes here."""
    user = request.user
    _check_reader(user, "the themes")
    visible = Recommendation.objects.visible_to(user)
    themes = Theme.objects.annotate(
        recommendation_count=Count("recommendations", filter=Q(recommendations__in=visible))
    )
    listing = list_page(
        request,
        themes,
        filterset_class=ThemeFilter,
        sorts=(
            Sort("name", "Theme", (Lower("name"),)),
            Sort("count", "Recommendations", ("-recommendation_count", Lower("name"))),
        ),
        default_sort="name",
    )
    context = {"listing": listing, "can_maintain": perms.can_maintain_themes(user)}
    if not context["can_maintain"]:
        if request.method == "POST":
            raise PermissionDenied("Only the QA sub-group keeps the list of themes.")
        return render(request, "reviews/theme_list.html", context)
    return handle_form(
        request,
        form=ThemeForm(posted(request)),
        template="reviews/theme_list.html",
        context=context,
        save=lambda data: services.theme_add(actor=user, **data),
        success_message=lambda theme: f"Theme “{theme.name}” added.",
        success_url=reverse(THEMES_URL),
    )


@login_required
def theme_change(request, pk):
    """Rename, describe, retire or restore a theme: the QA sub-group's."""
    theme = get_theme_for_user(request.user, pk, maintain=True)
    initial = {"name": theme.name, "description": theme.description, "retired": theme.retired}
    return handle_form(
        request,
        form=ThemeChangeForm(posted(request), initial=initial),
        template="reviews/theme_form.html",
        context={"theme": theme, "title": f"Change the theme “{theme.name}”"},
        save=lambda data: services.theme_change(actor=request.user, theme=theme, **data),
        success_message=lambda changed: f"Theme “{changed.name}” saved.",
        success_url=reverse(THEMES_URL),
    )


@login_required
def theme_detail(request, pk):
    """The theme's recommendations across reviews, those the person may read, filtered by year."""
    user = request.user
    theme = get_theme_for_user(user, pk)
    rows = (
        Recommendation.objects.visible_to(user)
        .filter(themes=theme)
        .select_related("review", "imr__participation__agency", "imr__participation__review")
        .annotate(year=ExtractYear("review__decision_date"))
    )
    listing = list_page(
        request,
        rows,
        filterset_class=ThemeRecommendationFilter,
        sorts=(
            Sort("review", "Review", (reference_order("review__reference"), "imr_id", "number")),
            Sort("year", "Year", ("review__decision_date", reference_order("review__reference"), "number")),
        ),
        default_sort="year",
        default_descending=True,
    )
    for recommendation in listing.rows:
        recommendation.url = recommendation_url(recommendation, user)
        recommendation.source = (
            recommendation.imr.participation.agency.name if recommendation.imr_id else "Overview"
        )
    context = {"theme": theme, "listing": listing, "can_maintain": perms.can_maintain_themes(user)}
    return render(request, "reviews/theme_detail.html", context)


@login_required
def theme_recurrence(request):
    """How many reviews each theme tags, year by year: one aggregate query, however many recommendations."""
    user = request.user
    _check_reader(user, "the recurrence of themes")
    tagged = Recommendation.themes.through.objects.filter(
        recommendation__in=Recommendation.objects.visible_to(user)
    )
    counts = {
        (row["theme_id"], row["year"]): row["reviews"]
        for row in tagged.values("theme_id", year=ExtractYear("recommendation__review__decision_date"))
        .annotate(reviews=Count("recommendation__review", distinct=True))
        .order_by()
    }
    years = sorted({year for _, year in counts})
    table = []
    for theme in Theme.objects.all():
        cells = [(year, counts.get((theme.pk, year), 0)) for year in years]
        # A review has one year: the reviews of the years add up to the theme's reviews in all.
        total = sum(count for _, count in cells)
        if total or not theme.retired:
            table.append({"theme": theme, "cells": cells, "total": total})
    table.sort(key=lambda row: -row["total"])
    return render(request, "reviews/theme_recurrence.html", {"years": years, "table": table})


@login_required
def recommendation_themes(request, pk):
    """Set the themes of one recommendation: the QA sub-group and the panel, on a recommendation they may read."""
    user = request.user
    recommendation = get_object_or_404(
        Recommendation.objects.select_related(
            "review", "imr__participation__agency", "imr__participation__review"
        ),
        pk=pk,
    )
    what = f"{source(recommendation)} recommendation {recommendation.number} of {recommendation.review}"
    if not (perms.can_tag_themes(user) and perms.can_read_recommendation(user, recommendation)):
        _refuse(user, recommendation, f"Tried to set the themes of {what}", review=recommendation.review)
    back = recommendation_url(recommendation, user)
    return handle_form(
        request,
        form=RecommendationThemesForm(
            posted(request),
            recommendation=recommendation,
            initial={"themes": list(recommendation.themes.values_list("pk", flat=True))},
        ),
        template="reviews/recommendation_themes.html",
        context={
            "recommendation": recommendation,
            "what": what,
            "title": f"Themes of {source(recommendation)} recommendation {recommendation.number}",
            "back_url": back,
        },
        save=lambda data: services.recommendation_themes_set(
            actor=user, recommendation=recommendation, themes=data["themes"]
        ),
        success_message=f"Themes of {what} saved.",
        success_url=back,
    )
