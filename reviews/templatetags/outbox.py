"""The outbox's words for the pages: why an e-mail failed, in plain words."""

from django import template

from reviews.services.outbox import failure_words as words_for

register = template.Library()


@register.filter
def failure_words(last_error: str) -> str:
    """The plain words for a stored delivery error (reviews.services.outbox.failure_words)."""
    return words_for(last_error)
