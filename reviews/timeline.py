"""A review's timetable as people read it: days elapsed and left, each milestone's status."""

import datetime
from dataclasses import dataclass

from reviews.deadlines import Rag, days_between, rag_status
from reviews.models.timetable import Milestone

SEVERITY = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.DONE]
MILESTONE_LABELS = dict(Milestone.Kind.choices)


@dataclass(frozen=True)
class MilestoneRow:
    label: str
    due_on: datetime.date
    done_on: datetime.date | None
    status: Rag

    @property
    def status_label(self) -> str:
        return {
            Rag.DONE: "Done",
            Rag.RED: "Overdue",
            Rag.AMBER: "Due soon",
            Rag.GREEN: "Due",
            Rag.WITHDRAWN: "Not needed: review withdrawn",
        }[self.status]


@dataclass(frozen=True)
class Timeline:
    decision_date: datetime.date
    due_date: datetime.date
    current_due_date: datetime.date
    days_elapsed: int
    days_left: int
    status: Rag
    milestones: list[MilestoneRow]

    @property
    def next_milestone(self) -> MilestoneRow | None:
        return next((m for m in self.milestones if m.done_on is None), None)

    @property
    def is_extended(self) -> bool:
        return self.current_due_date != self.due_date


def review_timeline(review, milestones, *, today: datetime.date) -> Timeline:
    """Build the timeline from a review and its (prefetched) milestones; no queries of its own."""
    rows = []
    # A withdrawn review's milestones not done are due no more: never overdue, never red.
    withdrawn = review.state == "withdrawn"
    # The completion milestone moves with any extension; the others keep their dates.
    dated = [
        (review.current_due_date if milestone.kind == "review_complete" else milestone.due_on, milestone)
        for milestone in milestones
    ]
    for due, milestone in sorted(dated, key=lambda pair: (pair[0], pair[1].pk)):
        rows.append(
            MilestoneRow(
                label=MILESTONE_LABELS[milestone.kind],
                due_on=due,
                done_on=milestone.done_on,
                status=Rag.WITHDRAWN
                if withdrawn and milestone.done_on is None
                else rag_status(due, today=today, done=milestone.done_on is not None),
            )
        )
    # The review is as late as its latest open step: an overdue milestone makes it red.
    open_steps = [row.status for row in rows if row.done_on is None] or [
        rag_status(review.current_due_date, today=today)
    ]
    if withdrawn:
        status = Rag.WITHDRAWN
    elif not review.is_open:
        status = Rag.DONE
    else:
        status = min(open_steps, key=SEVERITY.index)
    return Timeline(
        decision_date=review.decision_date,
        due_date=review.due_date,
        current_due_date=review.current_due_date,
        days_elapsed=max(days_between(review.decision_date, today), 0),
        days_left=days_between(today, review.current_due_date),
        status=status,
        milestones=rows,
    )
