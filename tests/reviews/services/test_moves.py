"""The tables of moves name every declared move of each machine, and nothing else."""

import pytest

from reviews.models import IMR, ActionItem, Review
from reviews.services.moves import ACTION_MOVES, IMR_MOVES, REVIEW_MOVES


@pytest.mark.parametrize(
    ("model", "table"), [(Review, REVIEW_MOVES), (IMR, IMR_MOVES), (ActionItem, ACTION_MOVES)]
)
def test_the_table_names_every_declared_move(model, table):
    declared = {t.name for t in model._meta.get_field("state").get_all_transitions(model)}
    assert declared == set(table)


@pytest.mark.django_db
def test_an_unknown_move_is_refused_and_recorded(walk):
    from reviews import services
    from reviews.models import AuditEvent

    review = walk.decided()
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.review_move(actor=walk.cast["chair"], review=review, move="delete")
    assert refused.value.reasons == ["“delete” is not a move of review."]
    assert AuditEvent.objects.filter(review=review, action="refused").count() == 1
