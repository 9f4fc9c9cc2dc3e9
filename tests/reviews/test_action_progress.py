"""The action plans' figures: exact counts on a small fixture, the overdue boundary, burn-down months."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import action_progress as progress
from reviews.action_progress import AgencyCount, BurnDownMonth, StatusCounts
from reviews.deadlines import Rag
from reviews.models import ActionItem, ActionPlan, MonitoringNote
from tests.factories import agreed_plan

TODAY = datetime.date(2026, 1, 15)
DAY = datetime.timedelta(days=1)


def action(plan, due_on, state="open", *, completed_on=None, owner_agency=None, description="An action."):
    done = state in ActionItem.DONE
    return ActionItem.objects.create(
        plan=plan,
        description=description,
        owner="Named lead",
        owner_agency=owner_agency,
        due_on=due_on,
        state=state,
        evidence="Audited." if done else "",
        completed_on=(completed_on or due_on) if done else None,
    )


@pytest.fixture
def plans(walk, cast, school):
    """Two reviews. R1: the hospital's plan, the police's and the LSCB's (one action owned by the school)."""
    r1, r2 = walk.decided(), walk.decided()
    hospital = agreed_plan(r1, cast["hospital"])
    police = agreed_plan(r1, cast["police"])
    lscb = ActionPlan.objects.create(review=r1, agency=None)
    other = agreed_plan(r2, cast["hospital"])
    items = {
        # The hospital on R1: due yesterday (overdue), due today (not), in progress and overdue, done.
        "yesterday": action(hospital, TODAY - DAY),
        "today": action(hospital, TODAY),
        "late": action(hospital, datetime.date(2025, 11, 30), "in_progress"),
        "done": action(
            hospital, datetime.date(2025, 12, 1), "completed", completed_on=datetime.date(2025, 12, 20)
        ),
        # The police on R1: verified, and one overdue but completed (not overdue).
        "verified": action(
            police, datetime.date(2026, 2, 10), "verified", completed_on=datetime.date(2026, 1, 2)
        ),
        "closed_late": action(police, TODAY - 10 * DAY, "completed", completed_on=TODAY - 2 * DAY),
        # The LSCB's plan: one action of its own, overdue; one owned by the school.
        "lscb": action(lscb, TODAY - 5 * DAY),
        "school": action(lscb, TODAY + 20 * DAY, "in_progress", owner_agency=school),
        # R2: the hospital, overdue.
        "r2": action(other, TODAY - 30 * DAY),
    }
    return {"r1": r1, "r2": r2, "school": school, "items": items}


@pytest.mark.django_db
def test_status_by_agency_counts_each_owning_agency_across_reviews_and_on_one(plans, cast):
    hospital, police, school = cast["hospital"], cast["police"], plans["school"]
    # By name, the LSCB's own last.
    assert progress.status_by_agency() == [
        StatusCounts(school.name, school.pk, in_progress=1),
        StatusCounts(hospital.name, hospital.pk, open=3, in_progress=1, completed=1),
        StatusCounts(police.name, police.pk, completed=1, verified=1),
        StatusCounts("LSCB", None, open=1),
    ]
    on_r2 = progress.status_by_agency(review=plans["r2"])
    assert on_r2 == [StatusCounts(hospital.name, hospital.pk, open=1)]
    assert on_r2[0].total == 1 and on_r2[0].outstanding == 1


@pytest.mark.django_db
def test_status_by_review_puts_the_most_outstanding_first_and_can_be_capped(plans):
    r1, r2 = plans["r1"], plans["r2"]
    rows = progress.status_by_review()
    assert rows == [
        StatusCounts(r1.reference, r1.pk, open=3, in_progress=2, completed=2, verified=1),
        StatusCounts(r2.reference, r2.pk, open=1),
    ]
    assert progress.status_by_review(limit=1) == rows[:1]
    assert progress.reviews_with_outstanding_actions() == 2


@pytest.mark.django_db
def test_status_by_review_leaves_out_reviews_with_nothing_outstanding(plans):
    plans["items"]["r2"].delete()
    action(ActionPlan.objects.get(review=plans["r2"]), TODAY, "verified")
    assert [row.label for row in progress.status_by_review(outstanding_only=True)] == [plans["r1"].reference]
    assert progress.reviews_with_outstanding_actions() == 1


@pytest.mark.django_db
def test_due_today_is_not_overdue_and_due_yesterday_is(plans, cast):
    hospital = cast["hospital"]
    # Overdue on R1: the hospital's "yesterday" and "late", the LSCB's own; not "today", nor done ones.
    assert progress.overdue_by_agency(today=TODAY, review=plans["r1"]) == [
        AgencyCount(hospital.name, hospital.pk, 2),
        AgencyCount("LSCB", None, 1),
    ]
    assert progress.overdue_by_agency(today=TODAY) == [
        AgencyCount(hospital.name, hospital.pk, 3),
        AgencyCount("LSCB", None, 1),
    ]
    items = plans["items"]
    overdue = list(progress.overdue_actions(plans["r1"], today=TODAY))
    assert overdue == [items["late"], items["lscb"], items["yesterday"]]
    assert [item.agency_name for item in overdue] == [hospital.name, "LSCB", hospital.name]
    # A day later, the action due today is overdue too.
    assert progress.overdue_by_agency(today=TODAY + DAY, review=plans["r1"])[0].count == 3


@pytest.mark.django_db
def test_the_burn_down_runs_month_by_month_across_the_year_end(plans):
    burn = progress.burn_down(plans["r1"], today=TODAY)
    assert burn.total == 8
    # From November 2025 (the earliest due date) to February 2026 (the latest, after today).
    assert burn.months == [
        BurnDownMonth(datetime.date(2025, 11, 1), due=1, completed=0),
        BurnDownMonth(datetime.date(2025, 12, 1), due=2, completed=1),
        BurnDownMonth(datetime.date(2026, 1, 1), due=6, completed=3),
        BurnDownMonth(datetime.date(2026, 2, 1), due=8, completed=3),
    ]


@pytest.mark.django_db
def test_the_burn_down_runs_to_today_and_counts_early_completions_in_its_first_month(walk, cast):
    review = walk.decided()
    plan = agreed_plan(review, cast["hospital"])
    action(plan, datetime.date(2025, 12, 10), "completed", completed_on=datetime.date(2025, 10, 3))
    action(plan, datetime.date(2025, 12, 31))
    burn = progress.burn_down(review, today=datetime.date(2026, 3, 1))
    assert burn.months == [
        BurnDownMonth(datetime.date(2025, 12, 1), due=2, completed=1),
        BurnDownMonth(datetime.date(2026, 1, 1), due=2, completed=1),
        BurnDownMonth(datetime.date(2026, 2, 1), due=2, completed=1),
        BurnDownMonth(datetime.date(2026, 3, 1), due=2, completed=1),
    ]


@pytest.mark.django_db
def test_a_review_with_no_actions_has_an_empty_burn_down(walk):
    burn = progress.burn_down(walk.decided(), today=TODAY)
    assert burn.months == [] and burn.total == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "state", "expected"),
    [
        (TODAY - DAY, "open", Rag.RED),
        (TODAY, "in_progress", Rag.AMBER),
        (TODAY + 14 * DAY, "open", Rag.AMBER),
        (TODAY + 15 * DAY, "open", Rag.GREEN),
        (TODAY - DAY, "completed", Rag.DONE),
        (TODAY - DAY, "verified", Rag.DONE),
    ],
)
def test_an_actions_rag_follows_its_due_date_until_it_is_done(due, state, expected):
    item = ActionItem(due_on=due, state=state)
    assert progress.action_rag(item, today=TODAY) == expected


@pytest.mark.django_db
def test_the_amber_window_is_a_setting(settings):
    settings.ACTION_AMBER_DAYS = 3
    assert progress.action_rag(ActionItem(due_on=TODAY + 4 * DAY), today=TODAY) == Rag.GREEN
    assert progress.action_rag(ActionItem(due_on=TODAY + 3 * DAY), today=TODAY) == Rag.AMBER


@pytest.mark.django_db
def test_the_report_lists_every_action_with_its_last_monitoring_note(plans, cast):
    items = plans["items"]
    MonitoringNote.objects.create(item=items["late"], note="Chased in December.", recorded_by=cast["qa"])
    MonitoringNote.objects.create(item=items["late"], note="Promised for February.", recorded_by=cast["qa"])
    listed = list(progress.report_actions(plans["r1"]))
    assert len(listed) == 8
    late = next(item for item in listed if item.pk == items["late"].pk)
    assert late.last_note == "Promised for February."
    assert next(item for item in listed if item.pk == items["school"].pk).agency_name == plans["school"].name


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 300])
def test_each_figure_is_one_query_whatever_the_number_of_actions(walk, cast, count):
    review = walk.decided()
    plan = agreed_plan(review, cast["hospital"])
    ActionItem.objects.bulk_create(
        ActionItem(plan=plan, description="An action.", owner="Lead", due_on=TODAY + (i % 90 - 45) * DAY)
        for i in range(count)
    )
    for figure in (
        lambda: progress.status_by_agency(),
        lambda: progress.status_by_agency(review=review),
        lambda: progress.status_by_review(limit=20),
        lambda: progress.overdue_by_agency(today=TODAY),
        lambda: progress.burn_down(review, today=TODAY),
        lambda: list(progress.report_actions(review)),
    ):
        with CaptureQueriesContext(connection) as queries:
            figure()
        assert len(queries) == 1
