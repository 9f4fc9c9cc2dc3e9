"""Form fields the GOV.UK way: the day-month-year date input, yes/no radios, bounded text.

Fields here parse and say what is malformed ("must be a real date"); what a
valid value may be is a rule, and rules live in the services.
"""

import datetime
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

# The largest key the database holds: a larger number posted as a choice is no choice at all.
MAX_KEY = 2**63 - 1


def is_invisible(text: str) -> bool:
    """True when text holds nothing a reader can see: spaces, control and format characters only."""
    return all(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in text)


class TextField(forms.CharField):
    """Text that must be seen to count: a value of only invisible characters is an empty one."""

    def to_python(self, value):
        value = super().to_python(value)
        return "" if is_invisible(value) else value


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choices by key, refusing a key no database could hold before it reaches the database."""

    def _check_values(self, value):
        for key in value or ():
            if str(key).strip().isdigit() and int(str(key).strip()) > MAX_KEY:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": key}
                )
        return super()._check_values(value)


YES_NO = [("yes", "Yes"), ("no", "No")]
# Free text has a bound too: a paste of a whole case file belongs in a document, not a box.
LONG_TEXT = 20_000


def text_area(label, *, rows=4, required=True, max_length=LONG_TEXT, **kwargs):
    """A textarea with a bound and the GOV.UK wording when it is too long."""
    what = kwargs.pop("what", label.lower().removesuffix(" (optional)"))
    return TextField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"{capfirst(what)} must be {max_length:,} characters or fewer",
            **kwargs.pop("error_messages", {}),
        },
        **kwargs,
    )


def text_input(label, *, max_length, required=True, **kwargs):
    """A one-line text input bounded by its model field's length, with the GOV.UK wording."""
    what = kwargs.pop("what", label.lower().removesuffix(" (optional)"))
    return TextField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "max_length": f"{capfirst(what)} must be {max_length} characters or fewer",
            **kwargs.pop("error_messages", {}),
        },
        **kwargs,
    )


class DateInputWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "includes/widgets/date_input.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            {
                "day": forms.TextInput(numeric),
                "month": forms.TextInput(numeric),
                "year": forms.TextInput(numeric),
            },
            attrs,
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Django marks a field with errors aria-invalid; the boxes then take the error style.
        context["widget"]["has_error"] = str((attrs or {}).get("aria-invalid", "")).lower() == "true"
        # Name each box's id after its part (id_held_on_day), as the error summary links to it.
        for subwidget, part in zip(context["widget"]["subwidgets"], ("day", "month", "year"), strict=True):
            if context["widget"]["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, checked the way GOV.UK services word it."""

    widget = DateInputWidget

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("error_messages", {"required": f"Enter {what}", "incomplete": f"Enter {what}"})
        parts = (forms.CharField(required=False),) * 3
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = ((part or "").strip() for part in data_list)
        missing = [
            name
            for name, value in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not value
        ]
        subject = capfirst(self.what.removeprefix("the "))
        if missing:
            raise forms.ValidationError(f"{subject} must include a {' and '.join(missing)}")
        # A huge number overflows C integers inside datetime (OverflowError), not only ValueError.
        try:
            if len(year) != 4 or not (day.isdigit() and month.isdigit() and year.isdigit()):
                raise ValueError
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"{subject} must be a real date") from None


def yes_no_field(label, *, whether, **kwargs):
    """A yes/no question as radios; `whether` completes "Select whether …" when unanswered."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        error_messages={"required": f"Select whether {whether}"},
        **kwargs,
    )
