import datetime

import pytest

from reviews import services
from reviews.deadlines import Rag, add_months, milestone_due_dates, rag_status, review_due_date
from reviews.models import Extension, Milestone, Review, ReviewState
from reviews.services import ActionNotAllowed

D = datetime.date


@pytest.mark.parametrize(
    ("decided", "months", "due"),
    [
        (D(2026, 10, 31), 4, D(2027, 2, 28)),  # 31 October: February has no 31st
        (D(2027, 10, 31), 4, D(2028, 2, 29)),  # …and in a leap year, the 29th
        (D(2026, 10, 30), 4, D(2027, 2, 28)),
        (D(2027, 10, 29), 4, D(2028, 2, 29)),
        (D(2026, 10, 28), 4, D(2027, 2, 28)),
        (D(2026, 11, 27), 4, D(2027, 3, 27)),
        (D(2026, 9, 30), 4, D(2027, 1, 30)),
        (D(2026, 8, 31), 4, D(2026, 12, 31)),  # no year change needed
        (D(2026, 9, 1), 4, D(2027, 1, 1)),  # crossing the year
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2023, 12, 31), 2, D(2024, 2, 29)),
        (D(2100, 10, 31), 4, D(2101, 2, 28)),
        (D(2099, 10, 31), 4, D(2100, 2, 28)),  # 2100 is not a leap year
        (D(2399, 10, 31), 4, D(2400, 2, 29)),  # 2400 is
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 5, 31), 6, D(2026, 11, 30)),
        (D(2026, 1, 15), 12, D(2027, 1, 15)),
        (D(2026, 1, 15), 25, D(2028, 2, 15)),
    ],
)
def test_review_due_date(decided, months, due):
    assert review_due_date(decided, months) == due


def test_add_months_zero_is_identity():
    assert add_months(D(2028, 2, 29), 0) == D(2028, 2, 29)


def test_timeframe_of_no_months_is_refused():
    with pytest.raises(ValueError, match="at least one month"):
        review_due_date(D(2026, 1, 1), 0)


def test_milestone_offsets_are_calendar_days():
    assert milestone_due_dates(D(2027, 12, 20), {"tor_agreed": 14, "imrs_submitted": 70}) == {
        "tor_agreed": D(2028, 1, 3),
        "imrs_submitted": D(2028, 2, 28),
    }


@pytest.mark.parametrize(
    ("today", "done", "expected"),
    [
        (D(2027, 2, 1), False, Rag.GREEN),
        (D(2027, 2, 13), False, Rag.GREEN),
        (D(2027, 2, 14), False, Rag.AMBER),
        (D(2027, 2, 28), False, Rag.AMBER),
        (D(2027, 3, 1), False, Rag.RED),
        (D(2027, 3, 1), True, Rag.DONE),
    ],
)
def test_rag_status(today, done, expected):
    assert rag_status(D(2027, 2, 28), today=today, done=done) == expected


@pytest.mark.django_db
def test_decision_stores_due_date_and_milestones(walk):
    review = walk.at(ReviewState.TOR_DRAFTING)
    decided = review.decision_date
    assert review.due_date == review.current_due_date == add_months(decided, 4)
    assert dict(review.milestones.values_list("kind", "due_on")) == {
        Milestone.Kind.TOR_AGREED: decided + datetime.timedelta(weeks=2),
        Milestone.Kind.AUTHORS_NOMINATED: decided + datetime.timedelta(weeks=3),
        Milestone.Kind.IMRS_SUBMITTED: decided + datetime.timedelta(weeks=10),
        Milestone.Kind.OVERVIEW_TO_BOARD: decided + datetime.timedelta(weeks=15),
        Milestone.Kind.REVIEW_COMPLETE: add_months(decided, 4),
    }


@pytest.mark.django_db
def test_timeframe_is_configurable_per_review_type(walk, settings):
    settings.REVIEW_TIMEFRAME_MONTHS = {"scr": 4, "case": 6, "management": 3}
    review = walk.at(ReviewState.TOR_DRAFTING, "case")
    assert review.due_date == add_months(review.decision_date, 6)


@pytest.mark.django_db
def test_extensions_keep_the_original_date(walk):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    original = review.due_date
    manager = walk.cast["manager"]
    first = services.review_extend(
        actor=manager,
        review=review,
        new_due_date=original + datetime.timedelta(days=30),
        reason="Police asked for interviews to wait.",
        agreed_by="Margaret Osei, panel chair",
    )
    second = services.review_extend(
        actor=manager,
        review=review,
        new_due_date=original + datetime.timedelta(days=45),
        reason="Overview author ill.",
        agreed_by="Margaret Osei, panel chair",
    )
    review = Review.objects.get(pk=review.pk)
    assert review.due_date == original
    assert review.current_due_date == original + datetime.timedelta(days=45)
    assert list(review.extensions.values_list("previous_due_date", "new_due_date")) == [
        (original, original + datetime.timedelta(days=30)),
        (original + datetime.timedelta(days=30), original + datetime.timedelta(days=45)),
    ]
    assert (first.recorded_by, second.agreed_by) == (manager, "Margaret Osei, panel chair")
    assert review.milestones.get(kind=Milestone.Kind.REVIEW_COMPLETE).due_on == original


@pytest.mark.django_db
def test_extension_must_move_the_date_later_and_give_reasons(walk):
    review = walk.at(ReviewState.TOR_DRAFTING)
    with pytest.raises(ActionNotAllowed) as refused:
        services.review_extend(
            actor=walk.cast["manager"], review=review, new_due_date=review.due_date, reason=" ", agreed_by=""
        )
    assert refused.value.by_field() == {
        "new_due_date": [f"The new due date must be after the current one, {review.due_date:%-d %B %Y}"],
        "reason": ["Enter the reason for the extension"],
        "agreed_by": ["Enter who agreed the extension"],
    }
    assert not Extension.objects.exists()
    assert Review.objects.get(pk=review.pk).current_due_date == review.due_date


@pytest.mark.django_db
def test_review_querysets(walk, cast):
    late = walk.at(ReviewState.TOR_DRAFTING)
    on_time = walk.decided("case")
    services.review_extend(
        actor=cast["manager"],
        review=on_time,
        new_due_date=on_time.due_date + datetime.timedelta(days=30),
        reason="Police request.",
        agreed_by="Chair",
    )
    check_day = late.due_date + datetime.timedelta(days=1)
    assert list(Review.objects.overdue(on=check_day)) == [late]
    assert set(Review.objects.open()) == {late, on_time}
    assert list(Review.objects.closed()) == []
    assert set(Review.objects.for_agency(cast["hospital"])) == {late, on_time}
    assert list(Review.objects.visible_to(cast["author"])) == []
    assert set(Review.objects.visible_to(cast["qa"])) == {late, on_time}
