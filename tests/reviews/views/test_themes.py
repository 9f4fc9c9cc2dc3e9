"""The themes pages: the QA sub-group's list, a theme's recommendations, recurrence by year, and tagging."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews import services
from reviews.models import AuditEvent, Recommendation, Theme
from reviews.models import ReviewState as S
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

THEMES = reverse("reviews:theme-list")


def signed_in(client, user):
    client.force_login(user)
    return client


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The list and its add form


def test_qa_adds_a_theme_from_the_list(client, cast):
    response = signed_in(client, cast["qa"]).post(THEMES, {"name": " Neglect ", "description": "Of needs."})
    assert response.status_code == 302
    assert response["Location"] == THEMES
    assert said(response) == ["Theme “Neglect” added."]
    assert list(Theme.objects.values_list("name", "description")) == [("Neglect", "Of needs.")]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the name of the theme"),
        ("x" * 201, "Name of the theme must be 200 characters or fewer"),
        ("nEgLeCt", "There is already a theme called “Neglect”"),
    ],
)
def test_a_bad_name_shows_on_the_form_and_saves_nothing(client, cast, name, message):
    ThemeFactory(name="Neglect")
    response = signed_in(client, cast["qa"]).post(THEMES, {"name": name})
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": [message]}
    assert message in response.content.decode()
    assert list(Theme.objects.values_list("name", flat=True)) == ["Neglect"]


def test_the_list_counts_the_recommendations_each_theme_tags(client, cast, walk):
    recommendation = walk.ready(walk.at(S.ACTION_PLAN)).recommendations.get(imr__isnull=True)
    neglect = ThemeFactory(name="Neglect")
    ThemeFactory(name="Domestic abuse", retired=True)
    services.recommendation_themes_set(actor=cast["qa"], recommendation=recommendation, themes=[neglect])
    response = signed_in(client, cast["board"]).get(THEMES)
    assert response.status_code == 200
    assert [(t.name, t.recommendation_count, t.retired) for t in response.context["listing"].rows] == [
        ("Domestic abuse", 0, True),
        ("Neglect", 1, False),
    ]
    retired = signed_in(client, cast["board"]).get(THEMES, {"status": "retired"}).context["listing"]
    assert [t.name for t in retired.rows] == ["Domestic abuse"]
    page = response.content.decode()
    # Read, not kept, by the board: no add form, no change links.
    assert "Add a theme" not in page and reverse("reviews:theme-change", args=[neglect.pk]) not in page


def test_others_who_see_the_list_may_not_add_to_it(client, cast):
    response = signed_in(client, cast["board"]).post(THEMES, {"name": "Neglect"})
    assert response.status_code == 403
    assert not Theme.objects.exists()


@pytest.mark.parametrize("who", ["author", "agencymanager", "overview", "referrer"])
def test_the_themes_do_not_exist_for_others_and_the_attempt_is_recorded(client, cast, who):
    theme = ThemeFactory(name="Neglect")
    client = signed_in(client, cast[who])
    for url in (
        THEMES,
        reverse("reviews:theme-recurrence"),
        reverse("reviews:theme-detail", args=[theme.pk]),
    ):
        assert client.get(url).status_code == 404, url
    rows = AuditEvent.objects.filter(actor=cast[who], action=AuditEvent.Action.DENIED).order_by("pk")
    assert list(rows.values_list("object_type", "object_id", "summary")) == [
        ("reviews.theme", "", "Tried to open the themes"),
        ("reviews.theme", "", "Tried to open the recurrence of themes"),
        ("reviews.theme", str(theme.pk), "Tried to open the theme “Neglect”"),
    ]


def test_the_menu_shows_themes_to_those_who_see_every_review(client, cast):
    assert ("Themes", THEMES) in signed_in(client, cast["qa"]).get(reverse("home")).context["navigation"]
    assert ("Themes", THEMES) not in signed_in(client, cast["author"]).get(reverse("home")).context[
        "navigation"
    ]


# Changing a theme


def test_qa_retires_a_theme(client, cast):
    theme = ThemeFactory(name="Neglect")
    url = reverse("reviews:theme-change", args=[theme.pk])
    client = signed_in(client, cast["qa"])
    assert client.get(url).context["form"].initial == {"name": "Neglect", "description": "", "retired": False}
    response = client.post(url, {"name": "Neglect", "description": "", "retired": "on"})
    assert (response.status_code, response["Location"]) == (302, THEMES)
    assert said(response) == ["Theme “Neglect” saved."]
    assert Theme.objects.get().retired is True


def test_a_rename_onto_another_theme_shows_on_the_form(client, cast):
    ThemeFactory(name="Neglect")
    theme = ThemeFactory(name="Domestic abuse")
    response = signed_in(client, cast["qa"]).post(
        reverse("reviews:theme-change", args=[theme.pk]), {"name": "NEGLECT"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["There is already a theme called “Neglect”"]}
    assert Theme.objects.get(pk=theme.pk).name == "Domestic abuse"


def test_a_theme_that_does_not_exist_is_404(client, cast):
    client = signed_in(client, cast["qa"])
    assert client.get(reverse("reviews:theme-change", args=[999999])).status_code == 404
    assert client.get(reverse("reviews:theme-detail", args=[999999])).status_code == 404


# Tagging


@pytest.fixture
def approved(walk):
    """The overview recommendation of a review whose report the board has approved."""
    return walk.ready(walk.at(S.ACTION_PLAN)).recommendations.get(imr__isnull=True)


def tag_url(recommendation):
    return reverse("reviews:recommendation-themes", args=[recommendation.pk])


def test_the_tag_form_offers_active_themes_and_the_retired_ones_already_on(client, cast, approved):
    on = ThemeFactory(name="Neglect")
    services.recommendation_themes_set(actor=cast["qa"], recommendation=approved, themes=[on])
    services.theme_change(actor=cast["qa"], theme=on, retired=True)
    ThemeFactory(name="Domestic abuse")
    ThemeFactory(name="Old", retired=True)
    response = signed_in(client, cast["qa"]).get(tag_url(approved))
    assert response.status_code == 200
    form = response.context["form"]
    assert [label for _, label in form.fields["themes"].widget.choices] == [
        "Domestic abuse",
        "Neglect (retired)",
    ]
    assert form.initial == {"themes": [on.pk]}


def test_qa_tags_a_recommendation_from_the_lscb_action_plan(client, cast, approved):
    neglect = ThemeFactory(name="Neglect")
    client = signed_in(client, cast["qa"])
    plan = client.get(reverse("reviews:lscb-action-plan", args=[approved.review_id])).content.decode()
    assert f'href="{tag_url(approved)}"' in plan
    response = client.post(tag_url(approved), {"themes": [neglect.pk]})
    back = reverse("reviews:lscb-action-plan", args=[approved.review_id]) + "#recommendation-1"
    assert (response.status_code, response["Location"]) == (302, back)
    assert said(response) == [f"Themes of Overview recommendation 1 of {approved.review} saved."]
    assert list(approved.themes.all()) == [neglect]
    plan = client.get(reverse("reviews:lscb-action-plan", args=[approved.review_id])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--blue app-theme-tag">Neglect</strong>' in plan


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ("retired", "“Old” is retired: it is added to no new recommendation"),
        ("999999", "Choose themes from the list"),
        (str(2**63), "Choose themes from the list"),
        ("abc", "Choose themes from the list"),
    ],
)
def test_a_bad_theme_posted_shows_on_the_form_and_saves_nothing(client, cast, approved, posted, message):
    old = ThemeFactory(name="Old", retired=True)
    neglect = ThemeFactory(name="Neglect")
    value = str(old.pk) if posted == "retired" else posted
    response = signed_in(client, cast["qa"]).post(tag_url(approved), {"themes": [neglect.pk, value]})
    assert response.status_code == 400
    assert response.context["form"].errors["themes"] == [message]
    assert approved.themes.count() == 0


def test_a_recommendation_that_does_not_exist_is_404(client, cast):
    response = signed_in(client, cast["qa"]).post(reverse("reviews:recommendation-themes", args=[999999]), {})
    assert response.status_code == 404


def test_the_panel_tags_an_imr_recommendation_from_the_imr(client, cast, walk):
    review = walk.at(S.IMRS_SUBMITTED)
    imr = review.participations.get(agency=cast["hospital"]).imr
    recommendation = imr.recommendations.get()
    client = signed_in(client, cast["chair"])
    assert (
        f'href="{tag_url(recommendation)}"'
        in client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    )
    response = client.post(tag_url(recommendation), {"themes": [ThemeFactory(name="Neglect").pk]})
    assert response["Location"] == reverse("reviews:imr-detail", args=[imr.pk]) + "#recommendations"
    # The author sees the tags on the IMR, but no link to change them.
    page = (
        signed_in(client, cast["author"]).get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    )
    assert 'app-theme-tag">Neglect<' in page and tag_url(recommendation) not in page


def test_the_board_may_not_tag_and_the_attempt_is_recorded(client, cast, approved):
    assert signed_in(client, cast["board"]).get(tag_url(approved)).status_code == 404
    row = AuditEvent.objects.get(actor=cast["board"], action=AuditEvent.Action.DENIED)
    assert (row.object_type, row.review_id, row.summary) == (
        "reviews.recommendation",
        approved.review_id,
        f"Tried to set the themes of Overview recommendation 1 of {approved.review}",
    )


# A theme's recommendations and its recurrence


@pytest.fixture
def tagged(cast, walk):
    """Neglect on a submitted IMR's recommendation, an approved overview's, and a draft IMR's."""
    neglect = ThemeFactory(name="Neglect")
    submitted = (
        walk.at(S.IMRS_SUBMITTED).participations.get(agency=cast["hospital"]).imr.recommendations.get()
    )
    overview = walk.ready(walk.at(S.ACTION_PLAN)).recommendations.get(imr__isnull=True)
    draft_review = walk.at(S.IMRS_IN_PROGRESS)
    imr = services.imr_move(
        actor=cast["author"], imr=draft_review.participations.get(agency=cast["hospital"]).imr, move="start"
    )
    draft = services.recommendation_add(actor=cast["author"], review=draft_review, imr=imr, text="Draft.")
    for recommendation in (submitted, overview, draft):
        services.recommendation_themes_set(
            actor=cast["chair"], recommendation=recommendation, themes=[neglect]
        )
    return {"theme": neglect, "submitted": submitted, "overview": overview, "draft": draft}


def test_qa_reads_a_themes_recommendations_but_no_draft_and_no_imr(client, cast, tagged):
    url = reverse("reviews:theme-detail", args=[tagged["theme"].pk])
    response = signed_in(client, cast["qa"]).get(url)
    rows = {r.pk: (r.source, r.url) for r in response.context["listing"].rows}
    submitted, overview = tagged["submitted"], tagged["overview"]
    assert rows == {
        submitted.pk: (
            "Leeds Teaching Hospitals",
            reverse("reviews:review-detail", args=[submitted.review_id]),
        ),
        overview.pk: (
            "Overview",
            reverse("reviews:lscb-action-plan", args=[overview.review_id]) + "#recommendation-1",
        ),
    }
    page = response.content.decode()
    assert reverse("reviews:imr-detail", args=[submitted.imr_id]) not in page


def test_the_panel_reads_every_recommendation_and_opens_the_imr(client, cast, tagged):
    url = reverse("reviews:theme-detail", args=[tagged["theme"].pk])
    rows = {r.pk: r.url for r in signed_in(client, cast["chair"]).get(url).context["listing"].rows}
    assert set(rows) == {tagged[k].pk for k in ("submitted", "overview", "draft")}
    assert (
        rows[tagged["submitted"].pk]
        == reverse("reviews:imr-detail", args=[tagged["submitted"].imr_id]) + "#recommendations"
    )


def move_to_year(recommendation, year):
    review = recommendation.review
    type(review).objects.filter(pk=review.pk).update(decision_date=datetime.date(year, 3, 1))


def test_recurrence_counts_reviews_by_year_and_links_to_the_year(client, cast, tagged):
    move_to_year(tagged["submitted"], 2024)
    ThemeFactory(name="Unused")
    ThemeFactory(name="Gone", retired=True)
    response = signed_in(client, cast["qa"]).get(reverse("reviews:theme-recurrence"))
    this_year = tagged["overview"].review.decision_date.year
    assert response.context["years"] == [2024, this_year]
    table = [(row["theme"].name, row["cells"], row["total"]) for row in response.context["table"]]
    # QA does not count the draft IMR; a retired theme on nothing is left out.
    assert table == [("Neglect", [(2024, 1), (this_year, 1)], 2), ("Unused", [(2024, 0), (this_year, 0)], 0)]
    detail = reverse("reviews:theme-detail", args=[tagged["theme"].pk])
    assert f'href="{detail}?year=2024"' in response.content.decode()
    filtered = signed_in(client, cast["qa"]).get(detail, {"year": "2024"}).context["listing"]
    assert [r.pk for r in filtered.rows] == [tagged["submitted"].pk]


def test_recurrence_counts_a_review_once_however_many_of_its_recommendations_carry_the_theme(
    client, cast, tagged
):
    review = tagged["overview"].review
    second = Recommendation.objects.create(review=review, number=2, text="Another.")
    services.recommendation_themes_set(actor=cast["chair"], recommendation=second, themes=[tagged["theme"]])
    response = signed_in(client, cast["chair"]).get(reverse("reviews:theme-recurrence"))
    assert response.context["table"][0]["total"] == 3  # three reviews, four recommendations


@pytest.mark.parametrize("reviews", [2, 15])
def test_recurrence_and_a_themes_page_cost_the_same_queries_at_any_size(
    client, cast, walk, reviews, django_assert_max_num_queries
):
    themes = [ThemeFactory(name=f"Theme {n}") for n in range(4)]
    for n in range(reviews):
        review = walk.decided()
        type(review).objects.filter(pk=review.pk).update(decision_date=datetime.date(2020 + n % 5, 1, 1))
        for number in (1, 2):
            recommendation = Recommendation.objects.create(review=review, number=number, text="Share.")
            recommendation.themes.set(themes[number - 1 : number + 1])
    client = signed_in(client, cast["chair"])
    with django_assert_max_num_queries(5):
        response = client.get(reverse("reviews:theme-recurrence"))
    assert response.context["table"][0]["total"] == reviews
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reviews:theme-detail", args=[themes[1].pk]))
    assert response.context["listing"].count == 2 * reviews
    with django_assert_max_num_queries(7):
        response = client.get(THEMES)
    assert response.status_code == 200
