"""What a reminder says, for each kind of thing due and each day it is sent: in whole sentences."""

import datetime

import pytest
from django.core import mail

from reviews import services
from reviews.models import OutboxMessage, ReviewState
from reviews.services.outbox import email_render
from reviews.services.reminders import ACTION_WORDS, IMR_WORDS, MILESTONE_WORDS, reminder_context

DUE = datetime.date(2026, 12, 1)  # a Tuesday
LINK = "http://127.0.0.1:8000/reviews/7/#timeline"


@pytest.mark.parametrize(
    "words, offset, subject, sentence",
    [
        (
            MILESTONE_WORDS["tor_agreed"],
            14,
            "SCR-2026-002: terms of reference due in 14 days",
            "The terms of reference of review SCR-2026-002 are due to be agreed in 14 days, on Tuesday 1 December 2026.",
        ),
        (
            MILESTONE_WORDS["authors_nominated"],
            1,
            "SCR-2026-002: IMR authors' nomination due tomorrow",
            "The agencies' IMR authors for review SCR-2026-002 are due to be nominated (and their files secured) "
            "tomorrow, Tuesday 1 December 2026.",
        ),
        (
            MILESTONE_WORDS["imrs_submitted"],
            0,
            "SCR-2026-002: IMRs due today",
            "The IMRs for review SCR-2026-002 are due to be submitted today, Tuesday 1 December 2026.",
        ),
        (
            MILESTONE_WORDS["overview_to_board"],
            -7,
            "SCR-2026-002: overview report to the board overdue",
            "The overview report of review SCR-2026-002 was due to go to the board on Tuesday 1 December 2026, "
            "7 days ago.",
        ),
        (
            MILESTONE_WORDS["review_complete"],
            -14,
            "SCR-2026-002: completion of the review overdue",
            "Review SCR-2026-002 was due to be completed on Tuesday 1 December 2026, 14 days ago.",
        ),
        (
            IMR_WORDS,
            7,
            "SCR-2026-002: your IMR due in 7 days",
            "Your IMR for review SCR-2026-002 is due to be submitted in 7 days, on Tuesday 1 December 2026.",
        ),
        (
            ACTION_WORDS,
            1,
            "SCR-2026-002: an action of the action plan due tomorrow",
            "An action of the action plan for review SCR-2026-002 is due to be completed tomorrow, "
            "Tuesday 1 December 2026.",
        ),
    ],
)
def test_each_reminder_reads_as_a_sentence(words, offset, subject, sentence):
    rendered_subject, text, html = email_render(
        "reminder", reminder_context(words, "SCR-2026-002", DUE, offset, LINK, copied=True)
    )
    assert rendered_subject == subject
    assert text == (
        f"{sentence}\n\nSign in to see what is needed:\n{LINK}\n\n"
        "This is a reminder from the LSCB's serious case review system. "
        "The LSCB business manager receives a copy.\n\n"
    )
    assert html.startswith("<p>" + sentence.replace("'", "&#x27;") + "</p>\n")


def test_a_reminder_to_the_business_manager_does_not_say_they_get_a_copy():
    _, text, html = email_render(
        "reminder", reminder_context(ACTION_WORDS, "SCR-2026-002", DUE, 0, LINK, copied=False)
    )
    assert text.endswith("This is a reminder from the LSCB's serious case review system.\n\n")
    assert "copy" not in text and "copy" not in html


@pytest.mark.django_db
def test_the_lscbs_own_action_is_reminded_to_the_business_manager_without_a_copy(
    walk, cast, django_capture_on_commit_callbacks
):
    review = walk.at(ReviewState.ACTION_PLAN)
    item = services.action_item_add(
        actor=cast["manager"],
        review=review,
        agency=None,
        description="Audit the referral pathway.",
        owner="LSCB business manager",
        due_on=DUE,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_queue(on=DUE)
    message = OutboxMessage.objects.get(idempotency_key=f"reminder:action:{item.pk}:{DUE}:0")
    assert (message.to, message.cc) == (["manager@example.org"], [])
    assert message.subject == f"{review.reference}: an action of the action plan due today"
    assert message.body_text.startswith(
        f"An action of the action plan for review {review.reference} is due to be completed today, "
        "Tuesday 1 December 2026.\n"
    )
    assert "receives a copy" not in message.body_text
    # No confidential content: the action itself stays behind the sign-in.
    assert "Audit the referral pathway" not in message.body_text
