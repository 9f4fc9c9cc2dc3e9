"""Transition guards that explain themselves, and the one way a state machine's move is declared.

django-fsm-2 asks a condition only for True or False. A `Precondition` wraps a
generator of sentences, one per unmet requirement, so the same guard blocks the
transition and tells a person what to do about it.

Everything here reads the machines through django-fsm's public API
(`can_proceed`, the field's `get_all_transitions`, `Transition.has_perm`), so an
upgrade of the library cannot silently change what a page offers.
"""

from collections.abc import Callable, Iterable
from functools import update_wrapper
from typing import Any

from django.utils.text import capfirst
from django_fsm import can_proceed, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

STATE_FIELD = "state"


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


def move(*, field, source, target, label: str, permission, conditions=(), **custom):
    """Declare a state machine's move: a django-fsm transition, logged by django-fsm-log, with its label.

    The decorated method's body only sets fields on the instance; the services
    check, run and save it (reviews.services.moves).
    """

    def decorate(method):
        declared = transition(
            field=field,
            source=source,
            target=target,
            conditions=list(conditions),
            permission=permission,
            custom={"label": label, **custom},
        )(method)
        return fsm_log_by(fsm_log_description(declared))

    return decorate


def transitions_named(instance, name: str) -> list:
    """Return every declared transition called `name` (one per source state)."""
    field = instance._meta.get_field(STATE_FIELD)
    return [t for t in field.get_all_transitions(type(instance)) if t.name == name]


def current_transition(instance, name: str):
    """Return the transition `name` from the instance's current state, or None when it cannot start here."""
    if not can_proceed(getattr(instance, name), check_conditions=False):
        return None
    state = getattr(instance, STATE_FIELD)
    return next(t for t in transitions_named(instance, name) if t.source in (state, "*"))


def move_label(instance, name: str) -> str:
    declared = transitions_named(instance, name)
    return declared[0].custom.get("label", name) if declared else name


def unmet_preconditions(bound_method) -> list[str]:
    """Return why `bound_method` cannot run now, as sentences; empty when it can."""
    instance, name = bound_method.__self__, bound_method.__name__
    found = current_transition(instance, name)
    if found is None:
        state = getattr(instance, STATE_FIELD)
        sources = [
            instance.get_state_label(t.source) for t in transitions_named(instance, name) if t.source != "*"
        ]
        return [
            f"{capfirst(instance._meta.verbose_name)} is at “{instance.get_state_label(state)}”: "
            f"“{move_label(instance, name)}” can only be done at "
            + " or ".join(f"“{label}”" for label in sources)
            + "."
        ]
    reasons: list[str] = []
    for condition in found.conditions:
        if isinstance(condition, Precondition):
            reasons.extend(condition.reasons(instance))
        elif not condition(instance):
            reasons.append(f"A requirement of “{found.custom.get('label')}” is not met.")
    return reasons


def available_moves(instance, user) -> list[dict]:
    """Return the moves `user` may make from the current state, each with why it is blocked."""
    state = getattr(instance, STATE_FIELD)
    moves = []
    for declared in instance._meta.get_field(STATE_FIELD).get_all_transitions(type(instance)):
        if declared.source not in (state, "*") or not declared.has_perm(instance, user):
            continue
        # A move that can never happen to this kind of review is no next step of it.
        if declared.custom.get("scr_only") and not getattr(instance, "is_scr", True):
            continue
        moves.append(
            {
                "name": declared.name,
                "label": declared.custom.get("label", declared.name),
                "target": declared.target,
                "target_label": instance.get_state_label(declared.target),
                "reasons": unmet_preconditions(getattr(instance, declared.name)),
                "style": declared.custom.get("style", ""),
            }
        )
    # The usual next step first: a move styled apart (reopening, withdrawing) after the others.
    moves.sort(key=lambda move: bool(move["style"]))
    return moves
