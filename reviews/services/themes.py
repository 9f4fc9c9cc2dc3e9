"""The themes the QA sub-group follows across reviews, and the themes of each recommendation."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from reviews import permissions as perms
from reviews.models import AuditEvent, Recommendation, Theme
from reviews.services.common import ActionNotAllowed, Problems, audit_record, refuse_if_withdrawn

NAME_MAX = Theme._meta.get_field("name").max_length


def _name(name: str) -> str:
    """The name as stored: spaces around it dropped, and runs of spaces inside it made one."""
    return " ".join(name.split())


def _check_name(problems: Problems, name: str, *, theme: Theme | None = None) -> None:
    if not name:
        problems.add("Enter the name of the theme", field="name")
        return
    if len(name) > NAME_MAX:
        problems.add(f"Name of the theme must be {NAME_MAX} characters or fewer", field="name")
        return
    taken = Theme.objects.filter(name__iexact=name)
    if theme is not None:
        taken = taken.exclude(pk=theme.pk)
    existing = taken.first()
    if existing is not None:
        problems.add(_taken(existing), field="name")


def _taken(existing: Theme) -> str:
    if existing.retired:
        return (
            f"There is already a theme called “{existing.name}”, retired: restore it rather than add it again"
        )
    return f"There is already a theme called “{existing.name}”"


def _save_name(theme: Theme, **save) -> None:
    """Save, turning the database's refusal of a name taken at the same instant into the form's message."""
    try:
        # A savepoint: the unique index on the lower-cased name settles two adds at once.
        with transaction.atomic():
            theme.save(**save)
    except IntegrityError:
        existing = Theme.objects.filter(name__iexact=theme.name).exclude(pk=theme.pk).first()
        if existing is None:
            raise
        raise ActionNotAllowed({"name": [_taken(existing)]}) from None


@transaction.atomic
def theme_add(*, actor, name: str, description: str = "") -> Theme:
    """Add a theme to the list the QA sub-group keeps."""
    if not perms.can_maintain_themes(actor):
        raise PermissionDenied("Only the QA sub-group keeps the list of themes.")
    name = _name(name)
    problems = Problems()
    _check_name(problems, name)
    problems.raise_any()
    theme = Theme(name=name, description=description.strip())
    _save_name(theme)
    audit_record(actor=actor, action=AuditEvent.Action.CREATED, obj=theme, summary=f"Theme “{name}” added")
    return theme


@transaction.atomic
def theme_change(
    *,
    actor,
    theme: Theme,
    name: str | None = None,
    description: str | None = None,
    retired: bool | None = None,
) -> Theme:
    """Rename a theme, describe it, retire it or restore it; what is not given stays as it is."""
    if not perms.can_maintain_themes(actor):
        raise PermissionDenied("Only the QA sub-group keeps the list of themes.")
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    changes = []
    if name is not None:
        name = _name(name)
        problems = Problems()
        _check_name(problems, name, theme=theme)
        problems.raise_any()
        if name != theme.name:
            changes.append(f"renamed from “{theme.name}”")
            theme.name = name
    if description is not None and description.strip() != theme.description:
        theme.description = description.strip()
        changes.append("description changed")
    if retired is not None and retired != theme.retired:
        theme.retired = retired
        changes.append("retired" if retired else "restored")
    if not changes:
        return theme
    _save_name(theme)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=theme,
        summary=f"Theme “{theme.name}”: {', '.join(changes)}",
    )
    return theme


@transaction.atomic
def recommendation_themes_set(*, actor, recommendation: Recommendation, themes) -> Recommendation:
    """Set the themes of a recommendation: a retired theme it already has may stay, but is never added."""
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("review", "imr")
        .get(pk=recommendation.pk)
    )
    if not (perms.can_tag_themes(actor) and perms.can_read_recommendation(actor, recommendation)):
        raise PermissionDenied("Only the QA sub-group and the panel set the themes of a recommendation.")
    refuse_if_withdrawn(recommendation.review_id, what="its recommendations")
    having = set(recommendation.themes.values_list("pk", flat=True))
    wanted = {theme.pk for theme in themes}
    # Read again, locked: a theme retired at this instant is not added.
    added = list(Theme.objects.select_for_update().filter(pk__in=wanted - having).order_by("pk"))
    if len(added) != len(wanted - having):
        raise ActionNotAllowed({"themes": ["Choose themes from the list"]})
    retired = [theme.name for theme in added if theme.retired]
    if retired:
        raise ActionNotAllowed(
            {"themes": [f"“{name}” is retired: it is added to no new recommendation" for name in retired]}
        )
    if wanted == having:
        return recommendation
    recommendation.themes.set(wanted)
    names = list(Theme.objects.filter(pk__in=wanted).values_list("name", flat=True))
    source = "IMR" if recommendation.imr_id else "Overview"
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=recommendation,
        review=recommendation.review,
        summary=f"{source} recommendation {recommendation.number} themes: {', '.join(names) or 'none'}",
    )
    return recommendation
