"""Filters for the list pages, which write the same few things on every one of their rows.

`date:"j M Y"` and `{% include "includes/rag_tag.html" %}` cost about a tenth of a millisecond
each through the template language: on a page of 50 reviews they took longer than the database.
These write the same markup directly.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from reviews.charts import rag_tag as rag_tag_html
from reviews.charts import short_date

register = template.Library()


@register.filter
def day(value) -> str:
    """3 Mar 2026: a date, or a date and time in the local time zone, as date:"j M Y" writes it."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return short_date(value)


@register.filter
def rag_tag(status, label="") -> SafeString:
    """The red/amber/green tag of includes/rag_tag.html."""
    return rag_tag_html(status, label)
