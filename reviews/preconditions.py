"""Transition guards that explain themselves.

django-fsm-2 asks a condition only for True or False. A `Precondition` wraps a
generator of sentences, one per unmet requirement, so the same guard blocks the
transition and tells a person what to do about it.
"""

from collections.abc import Callable, Iterable
from functools import update_wrapper
from typing import Any

from django.utils.text import capfirst


class Precondition:
    def __init__(self, check: Callable[[Any], Iterable[str]]):
        self.check = check
        update_wrapper(self, check)

    def __call__(self, instance) -> bool:
        return not self.reasons(instance)

    def reasons(self, instance) -> list[str]:
        return list(self.check(instance))


def precondition(check: Callable[[Any], Iterable[str]]) -> Precondition:
    return Precondition(check)


def transition_label(bound_method) -> str:
    return bound_method._django_fsm.transitions[next(iter(bound_method._django_fsm.transitions))].custom.get(
        "label", bound_method.__name__
    )


def unmet_preconditions(bound_method) -> list[str]:
    """Return why `bound_method` cannot run now, as sentences; empty when it can."""
    meta = bound_method._django_fsm
    instance = bound_method.__self__
    state = meta.field.get_state(instance)
    transition = meta.get_transition(state)
    if transition is None:
        sources = [instance.get_state_label(source) for source in meta.transitions if source != "*"]
        return [
            f"{capfirst(instance._meta.verbose_name)} is at “{instance.get_state_label(state)}”: "
            f"“{transition_label(bound_method)}” can only be done at "
            + " or ".join(f"“{label}”" for label in sources)
            + "."
        ]
    reasons: list[str] = []
    for condition in transition.conditions:
        if isinstance(condition, Precondition):
            reasons.extend(condition.reasons(instance))
        elif not condition(instance):
            reasons.append(f"A requirement of “{transition.custom.get('label')}” is not met.")
    return reasons


def available_moves(instance, user) -> list[dict]:
    """Return the moves `user` may make from the current state, each with why it is blocked."""
    field_name = "state"
    state = getattr(instance, field_name)
    moves = []
    for transition in instance._meta.get_field(field_name).get_all_transitions(type(instance)):
        if transition.source not in (state, "*"):
            continue
        if not transition.has_perm(instance, user):
            continue
        method = getattr(instance, transition.name)
        moves.append(
            {
                "name": transition.name,
                "label": transition.custom.get("label", transition.name),
                "target": transition.target,
                "reasons": unmet_preconditions(method),
            }
        )
    return moves
