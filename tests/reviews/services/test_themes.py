"""The themes services: the QA sub-group keeps the list, the QA sub-group and the panel tag recommendations."""

import pytest
from django.core.exceptions import PermissionDenied

from reviews import services
from reviews.models import AuditEvent, Theme
from reviews.models import ReviewState as S
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def refusal(call) -> dict:
    with pytest.raises(services.ActionNotAllowed) as raised:
        call()
    return raised.value.by_field()


def test_qa_adds_a_theme_with_its_name_tidied(cast):
    theme = services.theme_add(
        actor=cast["qa"], name="  Information   sharing ", description=" Between agencies. "
    )
    assert (theme.name, theme.description, theme.retired) == (
        "Information sharing",
        "Between agencies.",
        False,
    )
    row = AuditEvent.objects.get(object_type="reviews.theme", object_id=str(theme.pk))
    assert (row.action, row.actor, row.review, row.summary) == (
        AuditEvent.Action.CREATED,
        cast["qa"],
        None,
        "Theme “Information sharing” added",
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the name of the theme"),
        ("   ", "Enter the name of the theme"),
        ("x" * 201, "Name of the theme must be 200 characters or fewer"),
        ("NEGLECT", "There is already a theme called “Neglect”"),
        (" neglect ", "There is already a theme called “Neglect”"),
    ],
)
def test_a_bad_name_is_refused_and_nothing_saved(cast, name, message):
    ThemeFactory(name="Neglect")
    rows = AuditEvent.objects.count()
    assert refusal(lambda: services.theme_add(actor=cast["qa"], name=name)) == {"name": [message]}
    assert list(Theme.objects.values_list("name", flat=True)) == ["Neglect"]
    assert AuditEvent.objects.count() == rows


def test_a_retired_themes_name_is_refused_with_the_way_back(cast):
    ThemeFactory(name="Neglect", retired=True)
    assert refusal(lambda: services.theme_add(actor=cast["qa"], name="neglect")) == {
        "name": ["There is already a theme called “Neglect”, retired: restore it rather than add it again"]
    }


@pytest.mark.parametrize("who", ["chair", "manager", "board", "author"])
def test_only_qa_keeps_the_list(cast, who):
    theme = ThemeFactory(name="Neglect")
    with pytest.raises(PermissionDenied):
        services.theme_add(actor=cast[who], name="Domestic abuse")
    with pytest.raises(PermissionDenied):
        services.theme_change(actor=cast[who], theme=theme, retired=True)
    assert list(Theme.objects.values_list("name", "retired")) == [("Neglect", False)]


def test_qa_renames_describes_retires_and_restores(cast):
    qa = cast["qa"]
    theme = ThemeFactory(name="Neglect")
    theme = services.theme_change(actor=qa, theme=theme, name="Neglect of needs", description="Physical.")
    theme = services.theme_change(actor=qa, theme=theme, retired=True)
    assert Theme.objects.get().retired is True
    theme = services.theme_change(actor=qa, theme=theme, retired=False)
    # Its own name in another case is no clash.
    theme = services.theme_change(actor=qa, theme=theme, name="NEGLECT OF NEEDS")
    assert list(Theme.objects.values_list("name", "description", "retired")) == [
        ("NEGLECT OF NEEDS", "Physical.", False)
    ]
    assert list(
        AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED)
        .order_by("pk")
        .values_list("summary", flat=True)
    ) == [
        "Theme “Neglect of needs”: renamed from “Neglect”, description changed",
        "Theme “Neglect of needs”: retired",
        "Theme “Neglect of needs”: restored",
        "Theme “NEGLECT OF NEEDS”: renamed from “Neglect of needs”",
    ]


def test_a_rename_onto_another_theme_is_refused(cast):
    ThemeFactory(name="Neglect")
    theme = ThemeFactory(name="Domestic abuse")
    assert refusal(lambda: services.theme_change(actor=cast["qa"], theme=theme, name="neglect")) == {
        "name": ["There is already a theme called “Neglect”"]
    }
    assert Theme.objects.get(pk=theme.pk).name == "Domestic abuse"


def test_a_change_that_changes_nothing_writes_no_row(cast):
    theme = ThemeFactory(name="Neglect")
    services.theme_change(actor=cast["qa"], theme=theme, name=" Neglect ", description="", retired=False)
    assert not AuditEvent.objects.filter(object_type="reviews.theme").exists()


@pytest.fixture
def approved(walk):
    """A review whose overview report the board has approved: its recommendations are read by QA."""
    review = walk.ready(walk.at(S.ACTION_PLAN))
    return review.recommendations.get(imr__isnull=True)


@pytest.mark.parametrize("who", ["qa", "chair", "panel", "manager"])
def test_qa_and_those_who_run_reviews_set_a_recommendations_themes(cast, approved, who):
    neglect, abuse = ThemeFactory(name="Neglect"), ThemeFactory(name="Domestic abuse")
    services.recommendation_themes_set(actor=cast[who], recommendation=approved, themes=[neglect, abuse])
    assert set(approved.themes.values_list("name", flat=True)) == {"Neglect", "Domestic abuse"}
    row = AuditEvent.objects.filter(object_type="reviews.recommendation").latest("pk")
    assert (row.action, row.actor, row.review_id, row.summary) == (
        AuditEvent.Action.CHANGED,
        cast[who],
        approved.review_id,
        "Overview recommendation 1 themes: Domestic abuse, Neglect",
    )
    services.recommendation_themes_set(actor=cast[who], recommendation=approved, themes=[])
    assert approved.themes.count() == 0


@pytest.mark.parametrize("who", ["board", "overview", "agencymanager", "author"])
def test_others_may_not_set_themes(cast, approved, who):
    with pytest.raises(PermissionDenied):
        services.recommendation_themes_set(
            actor=cast[who], recommendation=approved, themes=[ThemeFactory(name="Neglect")]
        )
    assert approved.themes.count() == 0


def test_qa_may_not_tag_a_draft_imr_recommendation(cast, walk):
    review = walk.at(S.IMRS_IN_PROGRESS)
    imr = review.participations.get(agency=cast["hospital"]).imr
    imr = services.imr_move(actor=cast["author"], imr=imr, move="start")
    recommendation = services.recommendation_add(actor=cast["author"], review=review, imr=imr, text="Share.")
    with pytest.raises(PermissionDenied):
        services.recommendation_themes_set(
            actor=cast["qa"], recommendation=recommendation, themes=[ThemeFactory(name="Neglect")]
        )
    # The panel reads every IMR, and may.
    services.recommendation_themes_set(
        actor=cast["chair"], recommendation=recommendation, themes=[ThemeFactory(name="Neglect")]
    )
    assert recommendation.themes.count() == 1


def test_a_retired_theme_stays_but_is_never_added(cast, approved):
    qa = cast["qa"]
    kept, other = ThemeFactory(name="Neglect"), ThemeFactory(name="Domestic abuse", retired=True)
    services.recommendation_themes_set(actor=qa, recommendation=approved, themes=[kept])
    services.theme_change(actor=qa, theme=kept, retired=True)
    rows = AuditEvent.objects.count()
    assert refusal(
        lambda: services.recommendation_themes_set(actor=qa, recommendation=approved, themes=[kept, other])
    ) == {"themes": ["“Domestic abuse” is retired: it is added to no new recommendation"]}
    assert list(approved.themes.values_list("name", flat=True)) == ["Neglect"]
    assert AuditEvent.objects.count() == rows
    # Taking the retired theme off is allowed; putting it back is not.
    services.recommendation_themes_set(actor=qa, recommendation=approved, themes=[])
    assert refusal(
        lambda: services.recommendation_themes_set(actor=qa, recommendation=approved, themes=[kept])
    ) == {"themes": ["“Neglect” is retired: it is added to no new recommendation"]}
