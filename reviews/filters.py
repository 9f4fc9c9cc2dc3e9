"""The filters of the list pages, as django-filter FilterSets: each a select, kept in the address.

`reviews.lists.list_page` runs them; a value that is not among a filter's choices is ignored,
so an edited address shows the whole list rather than an error.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from agencies.models import Agency, User
from reviews.chronology_values import read_date
from reviews.models import (
    IMR,
    ActionItem,
    AgencyParticipation,
    AuditEvent,
    ChronologyEntry,
    ContactType,
    OutboxMessage,
    Recommendation,
    Referral,
    Theme,
)
from reviews.models.action_plan import ActionState
from reviews.models.imr import EDITABLE, IMRState


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Decision",
        empty_label="Any",
        choices=[("awaiting", "Awaiting the panel"), ("decided", "Decided")],
        method="filter_status",
    )
    year = django_filters.ChoiceFilter(label="Year received", empty_label="Any year", method="filter_year")

    class Meta:
        model = Referral
        fields = ["status", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = (
            self.queryset.annotate(year_received=ExtractYear("received_at"))
            .order_by("-year_received")
            .values_list("year_received", flat=True)
            .distinct()
        )
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    def filter_status(self, queryset, name, value):
        return queryset.filter(decision__isnull=value == "awaiting")

    def filter_year(self, queryset, name, value):
        return queryset.filter(received_at__year=int(value))


class ActivityFilter(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        label="Person", field_name="actor", empty_label="Anyone", queryset=User.objects.none()
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", field_name="action", empty_label="Any kind", choices=AuditEvent.Action.choices
    )

    class Meta:
        model = AuditEvent
        fields = ["person", "kind"]

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["person"].queryset = User.objects.filter(audit_events__review=review).distinct()


class IMRFilter(django_filters.FilterSet):
    TO_WRITE = "to_write"
    state = django_filters.ChoiceFilter(
        label="Stage",
        empty_label="Any stage",
        choices=[(TO_WRITE, "Still to write (nominated, in progress or returned)"), *IMRState.choices],
        method="filter_state",
    )

    class Meta:
        model = IMR
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        if value == self.TO_WRITE:
            return queryset.filter(state__in=EDITABLE)
        return queryset.filter(state=value)


class ParticipationFilter(django_filters.FilterSet):
    needs = django_filters.ChoiceFilter(
        label="Show",
        empty_label="Every review",
        choices=[("action", "Waiting for you")],
        method="filter_needs",
    )

    class Meta:
        model = AgencyParticipation
        fields = ["needs"]

    def filter_needs(self, queryset, name, value):
        return queryset.needing_agency_manager()


class FilterDateField(forms.CharField):
    """A whole day typed into a filter, 27/03/2025 or 2025-03-27; a subclass says which days are allowed."""

    example = "27/03/2025"

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs["required"] = False
        super().__init__(max_length=20, strip=True, **kwargs)
        self.error_messages["max_length"] = f"Enter the {what} as a date, like {self.example}"

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            day, approximate = read_date(text)
        except ValueError:
            raise forms.ValidationError(f"Enter the {self.what} as a date, like {self.example}") from None
        if approximate:
            raise forms.ValidationError(
                f"Enter the {self.what} as a whole date, like {self.example}, not a month"
            )
        self.check_bounds(day)
        return day

    def check_bounds(self, day):
        raise NotImplementedError


EARLIEST_DUE = datetime.date(2000, 1, 1)
LATEST_DUE_YEARS = 10


class DueDateField(FilterDateField):
    """A whole day from 2000 to ten years ahead: the bound of a due-date filter."""

    example = "27/03/2027"

    def check_bounds(self, day):
        latest = timezone.localdate().year + LATEST_DUE_YEARS
        if not EARLIEST_DUE <= day <= datetime.date(latest, 12, 31):
            raise forms.ValidationError(
                f"The {self.what} must be between 1 January 2000 and 31 December {latest}"
            )


class DueDateFilter(django_filters.Filter):
    field_class = DueDateField


COLOURS = [
    ("red", "Red: overdue"),
    ("amber", "Amber: due soon"),
    ("green", "Green: on time"),
    ("done", "Done"),
]


class ActionFilter(django_filters.FilterSet):
    """The monitoring page's filters: review, agency, status, colour, due before; and the home page's "due"."""

    review = django_filters.CharFilter(
        label="Review reference",
        method="filter_review",
        max_length=30,
        help_text="For example, SCR-2026-002",
    )
    agency = django_filters.ChoiceFilter(label="Agency", empty_label="Every agency", method="filter_agency")
    state = django_filters.ChoiceFilter(label="Status", empty_label="Any status", choices=ActionState.choices)
    colour = django_filters.ChoiceFilter(
        label="Red, amber or green", empty_label="Any", choices=COLOURS, field_name="rag"
    )
    due_before = DueDateFilter(
        label="Due before",
        field_name="due_on",
        lookup_expr="lt",
        what="“Due before” date",
        help_text="For example, 27/03/2027",
    )
    due = django_filters.ChoiceFilter(
        label="Due",
        empty_label="Any time",
        choices=[("overdue", "Overdue"), ("30", "Overdue or due within 30 days")],
        method="filter_due",
    )

    class Meta:
        model = ActionItem
        fields = ["review", "agency", "state", "colour", "due_before", "due"]

    def __init__(self, *args, today, agencies=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if agencies:
            self.filters["agency"].extra["choices"] = [("lscb", "The LSCB's own")] + [
                (str(pk), name) for pk, name in Agency.objects.order_by("name").values_list("pk", "name")
            ]
        else:
            # Those who see one agency's actions have nothing to choose.
            del self.filters["agency"]

    def filter_review(self, queryset, name, value):
        return queryset.filter(plan__review__reference__iexact=value.strip())

    def filter_agency(self, queryset, name, value):
        if value == "lscb":
            return queryset.filter(plan__agency__isnull=True, owner_agency__isnull=True)
        return queryset.filter(Q(plan__agency_id=value) | Q(owner_agency_id=value))

    def filter_due(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(due_on__lt=self.today).exclude(state__in=ActionItem.DONE)
        return queryset.filter(due_on__lte=self.today + datetime.timedelta(days=30)).exclude(
            state__in=ActionItem.DONE
        )


class ChronologyFilter(django_filters.FilterSet):
    key = django_filters.ChoiceFilter(
        label="Show",
        empty_label="Every contact",
        choices=[("yes", "Key practice episodes only")],
        method="filter_key",
    )

    class Meta:
        model = ChronologyEntry
        fields = ["key"]

    def filter_key(self, queryset, name, value):
        return queryset.filter(key_practice_episode=True)


EARLIEST_CONTACT = datetime.date(1990, 1, 1)


class ContactDateField(FilterDateField):
    """A whole day from 1 January 1990 to today: a contact filter's bound."""

    def check_bounds(self, day):
        if day < EARLIEST_CONTACT:
            raise forms.ValidationError(f"The {self.what} must be on or after 1 January 1990")
        if day > timezone.localdate():
            raise forms.ValidationError(f"The {self.what} must be today or in the past")


class ContactDateFilter(django_filters.Filter):
    field_class = ContactDateField


class IntegratedChronologyForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("date_from"), data.get("date_to")
        if since and until and until < since:
            self.add_error("date_to", "The “To” date must be the same as or after the “From” date")
        return data


class IntegratedChronologyFilter(django_filters.FilterSet):
    """Every agency's contacts: by agency, between two dates, by kind, key practice episodes only.

    A date that cannot be read, or is out of bounds, is shown with its error and not applied.
    """

    agency = django_filters.ModelChoiceFilter(
        label="Agency",
        field_name="imr__participation__agency",
        empty_label="Every agency",
        queryset=Agency.objects.none(),
    )
    date_from = ContactDateFilter(label="From", field_name="date", lookup_expr="gte", what="“From” date")
    date_to = ContactDateFilter(label="To", field_name="date", lookup_expr="lte", what="“To” date")
    contact_type = django_filters.ChoiceFilter(
        label="Kind of contact", empty_label="Any kind", choices=ContactType.choices
    )
    key = django_filters.ChoiceFilter(
        label="Show",
        empty_label="Every contact",
        choices=[("yes", "Key practice episodes only")],
        method="filter_key",
    )

    class Meta:
        model = ChronologyEntry
        fields = ["agency", "date_from", "date_to", "contact_type", "key"]
        form = IntegratedChronologyForm

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = Agency.objects.filter(participations__review=review).order_by(
            "name"
        )

    def filter_key(self, queryset, name, value):
        return queryset.filter(key_practice_episode=True)


class OutboxFilter(django_filters.FilterSet):
    review = django_filters.CharFilter(
        label="Reference",
        help_text="For example, SCR-2026-002 or REF-2026-002",
        method="filter_reference",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", empty_label="Every kind", choices=OutboxMessage.Kind.choices
    )
    status = django_filters.ChoiceFilter(
        label="Status", empty_label="Any status", choices=OutboxMessage.Status.choices
    )

    class Meta:
        model = OutboxMessage
        fields = ["review", "kind", "status"]

    def filter_reference(self, queryset, name, value):
        # A review's e-mails, or a referral's: notification 1 goes before any review is opened.
        value = value.strip()
        return queryset.filter(
            Q(review__reference__iexact=value) | Q(notification__referral__reference__iexact=value)
        )


class ThemeRecommendationFilter(django_filters.FilterSet):
    """A theme's recommendations by the year of their review (the panel's decision that opened it)."""

    year = django_filters.ChoiceFilter(label="Year", empty_label="Any year", method="filter_year")

    class Meta:
        model = Recommendation
        fields = ["year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = (
            self.queryset.annotate(review_year=ExtractYear("review__decision_date"))
            .order_by("-review_year")
            .values_list("review_year", flat=True)
            .distinct()
        )
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    def filter_year(self, queryset, name, value):
        return queryset.filter(review__decision_date__year=int(value))


class ThemeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        empty_label="Any status",
        choices=[("active", "Active"), ("retired", "Retired")],
        method="filter_status",
    )

    class Meta:
        model = Theme
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(retired=value == "retired")
