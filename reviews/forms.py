"""Forms for the product's pages, with the GOV.UK Design System's error wording."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from agencies.models import Agency, User
from agencies.roles import PANEL, Role
from reviews.models import (
    CounsellingOffer,
    InvolvedStaff,
    PanelDecision,
    Referral,
    StaffSupportMeeting,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


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

    def __init__(self, *, what: str, past_or_today: bool = False, **kwargs):
        self.what = what
        self.past_or_today = past_or_today
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
        try:
            if len(year) != 4:
                raise ValueError
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{subject} must be a real date") from None
        if self.past_or_today and value > timezone.localdate():
            raise forms.ValidationError(f"{subject} must be today or in the past")
        return value


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


class ReferralForm(forms.Form):
    referring_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label="Referring agency",
        empty_label="Choose the agency",
        error_messages={"required": "Select the referring agency"},
    )
    child_name = forms.CharField(
        label="Child's full name",
        max_length=200,
        error_messages={"required": "Enter the child's full name"},
    )
    child_unborn = forms.BooleanField(label="The child is unborn", required=False)
    child_date_of_birth = GovukDateField(
        what="the child's date of birth",
        past_or_today=True,
        required=False,
        label="Child's date of birth",
        help_text="For example, 27 3 2024. Leave empty if the child is unborn.",
    )
    family_members = forms.CharField(
        label="Family members",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One per line: name and relationship to the child, for example “Dawn Carter, mother”.",
    )
    incident_date = GovukDateField(
        what="the date of the incident",
        past_or_today=True,
        label="Date of the incident",
        help_text="For example, 12 11 2026",
    )
    incident_kind = forms.ChoiceField(
        label="What happened to the child?",
        choices=Referral.IncidentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened to the child"},
    )
    summary = forms.CharField(
        label="Summary of the incident",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary of the incident"},
    )
    agencies_involved = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        label="Agencies involved with the child or family",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies involved with the child or family"},
    )
    police_investigating = yes_no_field(
        "Are the police investigating?", whether="the police are investigating"
    )

    def clean(self):
        data = super().clean()
        unborn, born_on = data.get("child_unborn"), data.get("child_date_of_birth")
        if "child_date_of_birth" not in self.errors:
            if unborn and born_on:
                self.add_error("child_date_of_birth", "Leave the date of birth empty for an unborn child")
            elif not unborn and born_on is None:
                self.add_error(
                    "child_date_of_birth", "Enter the child's date of birth, or say the child is unborn"
                )
        return data


class PanelDecisionForm(forms.Form):
    held_on = GovukDateField(
        what="the date of the panel meeting",
        past_or_today=True,
        label="Date of the panel meeting",
        help_text="The four-month clock starts on this date.",
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(groups__name__in=PANEL, is_active=True).distinct(),
        label="Panel members who attended",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the panel members who attended"},
    )
    other_attendees = forms.CharField(
        label="Other attendees (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, name and role: for example the legal adviser.",
    )
    criterion_a = yes_no_field(
        "Did the child die, with abuse or neglect known or suspected to be a factor?",
        whether="the child died with abuse or neglect known or suspected to be a factor",
    )
    criterion_b = yes_no_field(
        "Did the child suffer a potentially life-threatening injury?",
        whether="the child suffered a potentially life-threatening injury",
    )
    criterion_c = yes_no_field(
        "Did the child suffer serious and permanent impairment of health or development?",
        whether="the child suffered serious and permanent impairment of health or development",
    )
    criterion_d = yes_no_field(
        "Did the child suffer serious sexual abuse?", whether="the child suffered serious sexual abuse"
    )
    criterion_e = yes_no_field(
        "Was the child killed by a parent with a mental illness?",
        whether="the child was killed by a parent with a mental illness",
    )
    criterion_f = yes_no_field(
        "Does the case raise concerns about how agencies worked together?",
        whether="the case raises concerns about how agencies worked together",
    )
    outcome = forms.ChoiceField(
        label="The panel's decision",
        choices=PanelDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the panel's rationale"},
    )
    criterion_a_justification = forms.CharField(
        label="Why is there no serious case review? (criterion a)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed when the child died with abuse or neglect suspected and the panel decides on anything "
        "but a serious case review. It is shown on every page and report of the review.",
    )

    def __init__(self, *args, referral, **kwargs):
        self.referral = referral
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if (
            data.get("criterion_a")
            and data.get("outcome") not in (None, PanelDecision.Outcome.SCR)
            and not data.get("criterion_a_justification", "").strip()
        ):
            self.add_error(
                "criterion_a_justification",
                "Explain why there is no serious case review when the child died and abuse or neglect is suspected",
            )
        held_on = data.get("held_on")
        if held_on and held_on < self.referral.received_at.date() - datetime.timedelta(days=1):
            self.add_error(
                "held_on", "The date of the panel meeting must be on or after the referral was received"
            )
        return data


class TermsOfReferenceForm(forms.Form):
    period_start = GovukDateField(
        what="the start of the period under review", label="Start of the period under review"
    )
    period_end = GovukDateField(
        what="the end of the period under review", label="End of the period under review"
    )
    focus_areas = forms.CharField(
        label="Focus areas",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The questions the IMR authors must answer, one per line, in order.",
        error_messages={"required": "Enter at least one focus area"},
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        label="Agencies asked to take part",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies asked to take part"},
    )
    further_detail = forms.CharField(
        label="Anything else the authors should know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period under review must be after its start")
        return data

    def questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["focus_areas"].splitlines() if line.strip()]


class ReviewForm(forms.Form):
    """A form about one review: it knows the review, to offer its choices and check against it."""

    def __init__(self, *args, review, **kwargs):
        self.review = review
        super().__init__(*args, **kwargs)


class InvolvedStaffForm(ReviewForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency",
        empty_label="Choose the agency",
        error_messages={"required": "Select the agency the person works for"},
    )
    role_title = forms.CharField(
        label="Role", max_length=200, error_messages={"required": "Enter the person's role"}
    )
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=100,
        help_text="How documents refer to the person, for example “Health Visitor 1”.",
        error_messages={"required": "Enter a pseudonym"},
    )
    real_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter the person's full name"}
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(participations__review=self.review)

    def clean_pseudonym(self):
        pseudonym = self.cleaned_data["pseudonym"].strip()
        if InvolvedStaff.objects.filter(review=self.review, pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError(f"The pseudonym “{pseudonym}” is already used in this review")
        return pseudonym


class SecureFilesForm(forms.Form):
    originals_location = forms.CharField(
        label="Where are the original case files locked away?",
        max_length=300,
        error_messages={"required": "Enter where the original case files are locked away"},
    )
    copies_made = yes_no_field(
        "Were copies made so that work with the family can continue?",
        whether="copies were made so that work with the family can continue",
    )


class NominateAuthorForm(forms.Form):
    author = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="IMR author",
        empty_label="Choose the author",
        help_text="A child-protection specialist with no direct involvement in the case.",
        error_messages={"required": "Select the IMR author"},
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = User.objects.filter(
            groups__name=Role.IMR_AUTHOR, agency=agency, is_active=True
        ).distinct()


class DeclarationForm(forms.Form):
    confirm = forms.BooleanField(
        label="I declare that I have had no direct involvement with this child or family, or with the staff's work "
        "under review, and that I am independent of the line management of the staff involved.",
        error_messages={"required": "Confirm the declaration to sign it"},
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(ReviewForm):
    new_due_date = GovukDateField(what="the new due date", label="New due date")
    reason = forms.CharField(
        label="Reason for the extension",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the extension"},
    )
    agreed_by = forms.CharField(
        label="Who agreed it?",
        max_length=200,
        help_text="Name and role.",
        error_messages={"required": "Enter who agreed the extension"},
    )

    def clean_new_due_date(self):
        value = self.cleaned_data["new_due_date"]
        if value and value <= self.review.current_due_date:
            raise forms.ValidationError(
                f"The new due date must be after the current one, {self.review.current_due_date:%-d %B %Y}"
            )
        return value


class PoliceAdviceForm(ReviewForm):
    given_on = GovukDateField(
        what="the date the advice was given", past_or_today=True, label="Date the advice was given"
    )
    source = forms.CharField(
        label="Who gave the advice?",
        max_length=200,
        help_text="For example, the senior investigating officer.",
        error_messages={"required": "Enter who gave the advice"},
    )
    advice = forms.CharField(
        label="What may staff discuss?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the advice"},
    )


class SupportMeetingForm(ReviewForm):
    kind = forms.ChoiceField(
        label="When in the review was it held?",
        choices=StaffSupportMeeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when in the review it was held"},
    )
    held_on = GovukDateField(what="the date of the meeting", past_or_today=True, label="Date of the meeting")
    attendees = forms.ModelMultipleChoiceField(
        queryset=InvolvedStaff.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Staff who attended",
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = self.review.involved_staff.all()


class CounsellingOfferForm(ReviewForm):
    staff = forms.ModelChoiceField(
        queryset=InvolvedStaff.objects.none(),
        label="Member of staff",
        empty_label="Choose the member of staff",
        error_messages={"required": "Select the member of staff"},
    )
    offered_on = GovukDateField(what="the date of the offer", past_or_today=True, label="Date of the offer")
    offered_by = forms.CharField(
        label="Offered by",
        max_length=200,
        help_text="The agency or service that offered it.",
        error_messages={"required": "Enter who offered the support"},
    )
    response = forms.ChoiceField(
        label="Response",
        choices=CounsellingOffer.Response.choices,
        widget=forms.RadioSelect,
        initial=CounsellingOffer.Response.AWAITING,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = self.review.involved_staff.all()
