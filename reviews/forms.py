"""Forms for the product's pages: they parse what was typed; the services decide whether it is allowed."""

from django import forms

from agencies.models import Agency, User
from agencies.roles import PANEL, Role
from reviews import uploads
from reviews.chronology_values import read_date, read_time, show_date
from reviews.govuk_fields import (
    GovukDateField,
    ModelMultipleChoiceField,
    text_area,
    text_input,
    yes_no_field,
)
from reviews.models import (
    ContactType,
    CounsellingOffer,
    InvolvedStaff,
    PanelDecision,
    Recommendation,
    Referral,
    Review,
    StaffSupportMeeting,
    Theme,
    WithWhom,
)

EMAIL_ERRORS = {
    "invalid": "Enter an email address in the correct format, like name@example.com",
    "max_length": "Email address must be 254 characters or fewer",
}


class ReferralForm(forms.Form):
    child_name = text_input(
        "Child's full name",
        max_length=200,
        what="the child's full name",
        error_messages={"required": "Enter the child's full name"},
    )
    child_unborn = forms.BooleanField(label="The child is unborn", required=False)
    child_date_of_birth = GovukDateField(
        what="the child's date of birth",
        required=False,
        label="Child's date of birth",
        help_text="For example, 27 3 2024. Leave empty if the child is unborn.",
    )
    family_members = text_area(
        "Family members",
        required=False,
        help_text="One per line: name and relationship to the child, for example “Dawn Carter, mother”.",
    )
    incident_date = GovukDateField(
        what="the date of the incident", label="Date of the incident", help_text="For example, 12 11 2026"
    )
    incident_kind = forms.ChoiceField(
        label="What happened to the child?",
        choices=Referral.IncidentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened to the child"},
    )
    summary = text_area(
        "Summary of the incident", rows=6, error_messages={"required": "Enter a summary of the incident"}
    )
    agencies_involved = ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        label="Agencies involved with the child or family",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies involved with the child or family"},
    )
    police_investigating = yes_no_field(
        "Are the police investigating?", whether="the police are investigating"
    )
    log_another = forms.BooleanField(
        label="Yes, this is a different referral: log it as well",
        required=False,
        help_text="Only when a referral for the same child was logged in the last day.",
    )


class DecisionFields(forms.Form):
    """The criteria, the outcome and the reasons: what the panel decides and may later correct."""

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
    rationale = text_area("Rationale", rows=5, error_messages={"required": "Enter the panel's rationale"})
    criterion_a_justification = text_area(
        "Why is there no serious case review? (criterion a)",
        rows=5,
        required=False,
        what="the reason there is no serious case review",
        help_text="Needed when the child died with abuse or neglect suspected and the panel decides on anything "
        "but a serious case review. It is shown on every page and report of the review.",
    )

    def decision(self) -> dict:
        """The cleaned data in the services' terms."""
        data = self.cleaned_data
        return {
            "criteria": {name: data[name] for name in PanelDecision.CRITERIA},
            "outcome": data["outcome"],
            "rationale": data["rationale"],
            "criterion_a_justification": data["criterion_a_justification"],
        }


class PanelDecisionForm(DecisionFields):
    held_on = GovukDateField(
        what="the date of the panel meeting",
        label="Date of the panel meeting",
        help_text="The four-month clock starts on this date.",
    )
    attendees = ModelMultipleChoiceField(
        queryset=User.objects.filter(groups__name__in=PANEL, is_active=True).distinct(),
        label="Panel members who attended",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the panel members who attended"},
    )
    other_attendees = text_area(
        "Other attendees (optional)",
        rows=3,
        required=False,
        max_length=2000,
        what="other attendees",
        help_text="One per line, name and role: for example the legal adviser.",
    )
    field_order = ["held_on", "attendees", "other_attendees"]


class DecisionCorrectionForm(DecisionFields):
    reason = text_area(
        "Why is the decision being corrected?",
        error_messages={"required": "Say why the decision is being corrected"},
        what="the reason",
    )


class TermsOfReferenceForm(forms.Form):
    period_start = GovukDateField(
        what="the start of the period under review", label="Start of the period under review"
    )
    period_end = GovukDateField(
        what="the end of the period under review", label="End of the period under review"
    )
    focus_areas = text_area(
        "Focus areas",
        rows=8,
        help_text="The questions the IMR authors must answer, one per line, in order.",
        error_messages={"required": "Enter at least one focus area"},
    )
    agencies = ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        label="Agencies asked to take part",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies asked to take part"},
    )
    further_detail = text_area("Anything else the authors should know (optional)", required=False)

    def questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["focus_areas"].splitlines() if line.strip()]


class ReviewForm(forms.Form):
    """A form about one review: it knows the review, to offer its choices."""

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
    role_title = text_input("Role", max_length=200, error_messages={"required": "Enter the person's role"})
    pseudonym = text_input(
        "Pseudonym",
        max_length=100,
        help_text="How documents refer to the person: their role and a number, for example “Health Visitor 1”. "
        "Never any part of their name.",
        error_messages={"required": "Enter a pseudonym"},
    )
    real_name = text_input(
        "Full name", max_length=200, error_messages={"required": "Enter the person's full name"}
    )
    email = forms.EmailField(
        label="Email address (optional)", required=False, max_length=254, error_messages=EMAIL_ERRORS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(participations__review=self.review)


class InvolvedStaffCorrectionForm(InvolvedStaffForm):
    reason = text_area(
        "Why is the entry being corrected?",
        error_messages={"required": "Say why the entry is being corrected"},
        what="the reason",
    )


class ReasonForm(forms.Form):
    reason = text_area("Reason", error_messages={"required": "Enter the reason"})


class SecureFilesForm(forms.Form):
    originals_location = text_input(
        "Where are the original case files locked away?",
        max_length=300,
        what="where the files are",
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
    note = text_area("Note (optional)", rows=3, required=False, max_length=5000, what="the note")

    def __init__(self, *args, needed: bool = False, label: str = "", hint: str = "", **kwargs):
        # A move that needs a note refuses an empty one in its service; the label must not call it optional.
        super().__init__(*args, **kwargs)
        if needed:
            self.fields["note"].label = "Note"
        if label:
            self.fields["note"].label = label
        if hint:
            self.fields["note"].help_text = hint


class ReturnNoteForm(forms.Form):
    note = text_area(
        "What more work does the IMR need?",
        rows=5,
        max_length=5000,
        what="the note",
        help_text="The IMR's author reads this note at the top of their IMR page.",
        error_messages={"required": "Say what more work the IMR needs"},
    )


class UndoSentForm(forms.Form):
    note = text_area(
        "Why was it not sent after all?",
        rows=3,
        max_length=5000,
        what="the reason",
        error_messages={"required": "Say why the notification was not sent after all"},
    )


class ConfirmForm(forms.Form):
    """A confirmation page's form: nothing to type, the button is the answer."""


class PoliceInvestigationForm(forms.Form):
    """The confirmation carries the state asked for, so a second submission cannot flip it back."""

    open = forms.TypedChoiceField(
        choices=[("yes", "Open"), ("no", "Closed")],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )


class ExtensionForm(ReviewForm):
    new_due_date = GovukDateField(what="the new due date", label="New due date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.review.current_due_date
        self.fields["new_due_date"].help_text = (
            f"The review is due on {current:%-d %B %Y}"
            + (f" (originally {self.review.due_date:%-d %B %Y})" if current != self.review.due_date else "")
            + ". The original due date stays on record."
        )

    reason = text_area(
        "Reason for the extension", error_messages={"required": "Enter the reason for the extension"}
    )
    agreed_by = text_input(
        "Who agreed it?",
        max_length=200,
        what="who agreed it",
        help_text="Name and role.",
        error_messages={"required": "Enter who agreed the extension"},
    )


class PoliceAdviceForm(ReviewForm):
    given_on = GovukDateField(what="the date the advice was given", label="Date the advice was given")
    source = text_input(
        "Who gave the advice?",
        max_length=200,
        what="who gave the advice",
        help_text="For example, the senior investigating officer.",
        error_messages={"required": "Enter who gave the advice"},
    )
    advice = text_area(
        "What may staff discuss?", error_messages={"required": "Enter the advice"}, what="the advice"
    )


class SupportMeetingForm(ReviewForm):
    kind = forms.ChoiceField(
        label="When in the review was it held?",
        choices=StaffSupportMeeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when in the review it was held"},
    )
    held_on = GovukDateField(what="the date of the meeting", label="Date of the meeting")
    attendees = ModelMultipleChoiceField(
        queryset=InvolvedStaff.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Staff who attended",
    )
    notes = text_area("Notes (optional)", rows=3, required=False, what="the notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = self.review.involved_staff.current()


class CounsellingOfferForm(ReviewForm):
    staff = forms.ModelChoiceField(
        queryset=InvolvedStaff.objects.none(),
        label="Member of staff",
        empty_label="Choose the member of staff",
        error_messages={"required": "Select the member of staff"},
    )
    offered_on = GovukDateField(what="the date of the offer", label="Date of the offer")
    offered_by = text_input(
        "Offered by",
        max_length=200,
        what="who offered it",
        help_text="The agency or service that offered it.",
        error_messages={"required": "Enter who offered the support"},
    )
    response = forms.ChoiceField(
        label="Response",
        choices=CounsellingOffer.Response.choices,
        widget=forms.RadioSelect,
        initial=CounsellingOffer.Response.AWAITING,
        error_messages={"required": "Select the response"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = self.review.involved_staff.current()


class ChronologyEntryForm(forms.Form):
    """One row of the standard chronology template (domain.md), as the browser enters it."""

    date = text_input(
        "Date of the contact",
        max_length=10,
        help_text="For example, 27/03/2025. If only the month is known, 03/2025.",
        error_messages={"required": "Enter the date of the contact"},
    )
    time = text_input(
        "Time (optional)", max_length=8, required=False, help_text="On the 24-hour clock, for example 14:30."
    )
    contact_type = forms.ChoiceField(
        label="Kind of contact",
        choices=[("", "Choose the kind of contact"), *ContactType.choices],
        error_messages={
            "required": "Select the kind of contact",
            "invalid_choice": "Select the kind of contact",
        },
    )
    with_whom = forms.ChoiceField(
        label="With whom",
        choices=[("", "Choose who the contact was with"), *WithWhom.choices],
        error_messages={
            "required": "Select who the contact was with",
            "invalid_choice": "Select who the contact was with",
        },
    )
    practitioner = text_input(
        "Practitioner",
        max_length=100,
        what="the practitioner",
        help_text="The worker's role and pseudonym from the review's register, for example Health Visitor 1. Never a real name.",
        error_messages={"required": "Enter the practitioner's role and pseudonym"},
    )
    summary = text_area("What happened", rows=5, error_messages={"required": "Enter what happened"})
    outcome = text_area("Outcome (optional)", required=False, rows=3)
    source = text_input("Source in the agency's records (optional)", max_length=300, required=False)
    comment = text_area("Your analysis of the contact (optional)", required=False, rows=3)
    key_practice_episode = yes_no_field(
        "Is this a key practice episode?",
        whether="this is a key practice episode",
        help_text="A turning point the overview author should see.",
    )

    def clean_date(self):
        try:
            return read_date(self.cleaned_data["date"])
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_time(self):
        try:
            return read_time(self.cleaned_data["time"])
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def entry_fields(self) -> dict:
        """The cleaned values as the chronology services take them."""
        data = dict(self.cleaned_data)
        data["date"], data["date_is_approximate"] = data.pop("date")
        return data

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {
            "date": show_date(entry.date, entry.date_is_approximate),
            "time": entry.time.strftime("%H:%M") if entry.time else "",
            "contact_type": entry.contact_type,
            "with_whom": entry.with_whom,
            "practitioner": entry.practitioner,
            "summary": entry.summary,
            "outcome": entry.outcome,
            "source": entry.source,
            "comment": entry.comment,
            "key_practice_episode": "yes" if entry.key_practice_episode else "no",
        }


class ChronologyUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a filled-in template",
        help_text="A CSV or XLSX file with the template's header row.",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": "Choose the CSV or XLSX file to upload", "empty": "The file is empty"},
    )


class PseudonymChoiceField(forms.ModelChoiceField):
    """A member of staff, named by their pseudonym only."""

    def label_from_instance(self, obj):
        return f"{obj.pseudonym} ({obj.agency})"


class InterviewForm(forms.Form):
    staff = PseudonymChoiceField(
        queryset=InvolvedStaff.objects.none(),
        label="Who was interviewed",
        empty_label="Choose from the staff involved",
        error_messages={
            "required": "Select who was interviewed",
            "invalid_choice": "Select who was interviewed",
        },
    )
    held_on = GovukDateField(
        what="the date of the interview", label="Date of the interview", help_text="For example, 12 11 2026"
    )
    tor_shared_on = GovukDateField(
        what="the date the terms of reference were shared",
        label="Date the terms of reference were shared with them",
        help_text="On or before the interview: staff see the terms of reference first.",
    )
    notes = text_area("Notes (optional)", required=False, rows=4)

    def __init__(self, *args, imr, **kwargs):
        super().__init__(*args, **kwargs)
        # The author interviews their own agency's staff.
        self.fields["staff"].queryset = (
            InvolvedStaff.objects.current()
            .filter(review=imr.participation.review_id, agency=imr.participation.agency_id)
            .select_related("agency")
            .order_by("pseudonym")
        )


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the report",
        help_text="A PDF or a Word document (DOCX). Each upload is kept as a new version; none is overwritten.",
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
        error_messages={"required": "Choose the report to upload", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.max_bytes():
            # Refused on its declared size, before a byte of it is read.
            raise forms.ValidationError(uploads.too_large_message())
        return upload


class RecommendationForm(forms.Form):
    text = text_area(
        "Recommendation",
        rows=4,
        what="the recommendation",
        help_text="One recommendation: what should change, and for whom. It is numbered for you.",
        error_messages={"required": "Enter the recommendation"},
    )


class RecommendationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 90 else f"{obj.text[:87]}…"
        return f"{obj.number}. {text}"


class ActionForm(forms.Form):
    """An action of an action plan, answering one recommendation, with its owner, due date and success measure."""

    OWNER_HELP = "The post responsible, for example Named Nurse for Safeguarding."

    recommendation = RecommendationChoiceField(
        queryset=Recommendation.objects.none(),
        label="Which recommendation does it answer?",
        empty_label="Choose the recommendation",
        error_messages={
            "required": "Select the recommendation the action answers",
            "invalid_choice": "Select the recommendation the action answers",
        },
    )
    description = text_area(
        "What will be done", rows=3, what="the action", error_messages={"required": "Enter what will be done"}
    )
    owner = text_input("Owner", max_length=200, error_messages={"required": "Enter who owns the action"})
    due_on = GovukDateField(what="the due date", label="Due date", help_text="For example, 31 3 2027")
    success_measure = text_area(
        "How you will know it worked",
        rows=3,
        what="the success measure",
        help_text="The evidence the quality-assurance sub-group will look for, for example an audit of case files.",
        error_messages={"required": "Say how you will know the action worked"},
    )

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = recommendations.order_by("number")
        self.fields["owner"].help_text = self.OWNER_HELP


class AgencyActionForm(ActionForm):
    """An action of the agency's action plan, answering one of its IMR's recommendations."""

    def __init__(self, *args, imr, **kwargs):
        super().__init__(*args, recommendations=imr.recommendations, **kwargs)


class FeedbackMeetingForm(forms.Form):
    held_on = GovukDateField(
        what="the date of the feedback meeting",
        label="Date of the feedback meeting",
        help_text="When you fed back the IMR's findings to the agency's staff involved. For example, 12 11 2026",
    )


# Ofsted and the executive summary


class OfstedGradeForm(forms.Form):
    grade = forms.ChoiceField(
        label="Ofsted's grade",
        choices=[choice for choice in Review._meta.get_field("ofsted_grade").choices if choice[0]],
        widget=forms.RadioSelect,
        error_messages={"required": "Select Ofsted's grade", "invalid_choice": "Select Ofsted's grade"},
    )
    graded_on = GovukDateField(
        what="the date of Ofsted's grade", label="Date of the grade", help_text="For example, 12 11 2026"
    )
    feedback = text_area(
        "Ofsted's feedback (optional)", rows=6, required=False, max_length=20_000, what="Ofsted's feedback"
    )


class SummaryForm(forms.Form):
    title = text_input(
        "Title on the public page (optional)",
        max_length=200,
        required=False,
        what="the title",
        help_text="For example, “Child D”. Never the child's name: the title is checked for names as the text is.",
    )
    text = text_area(
        "Executive summary",
        rows=18,
        max_length=50_000,
        what="the executive summary",
        help_text="Anonymised: refer to people by role or pseudonym. Leave a blank line between paragraphs.",
        error_messages={"required": "Enter the executive summary"},
    )


class PublishForm(forms.Form):
    publish_from = GovukDateField(
        what="the first day of publication", label="Publish from", help_text="For example, 1 3 2027"
    )
    publish_until = GovukDateField(
        what="the last day of publication",
        label="Publish until (optional)",
        required=False,
        help_text="The last day it is on the public page. Leave empty to keep it published.",
    )


class SentToStaffForm(forms.Form):
    sent_on = GovukDateField(
        what="the date it was sent", label="Date it was sent", help_text="For example, 12 11 2026"
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A person, named as the product names people elsewhere, with their agency where they have one."""

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.agency})" if obj.agency_id else name


class CommissionOverviewForm(forms.Form):
    author = PersonChoiceField(
        queryset=User.objects.none(),
        label="Overview author",
        empty_label="Choose the overview author",
        help_text="Independent of the case and of the agencies' line management; they sign a declaration.",
        error_messages={
            "required": "Select the overview author",
            "invalid_choice": "Select the overview author",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = (
            User.objects.filter(groups__name=Role.OVERVIEW_AUTHOR, is_active=True)
            .select_related("agency")
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )


class CritiqueForm(forms.Form):
    text = text_area(
        "Your assessment of the IMR",
        rows=6,
        max_length=5000,
        what="the assessment",
        help_text="A short assessment: is the IMR thorough, analytical and honest, and does it answer the "
        "terms of reference? The IMR's author does not see it.",
        error_messages={"required": "Enter your assessment of the IMR"},
    )


class OverviewShareForm(forms.Form):
    shared_with = PersonChoiceField(
        queryset=User.objects.none(),
        label="Share with",
        empty_label="Choose the senior manager",
        help_text="A senior manager of an agency taking part in the review.",
        error_messages={
            "required": "Select who to share the overview report with",
            "invalid_choice": "Select who to share the overview report with",
        },
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = (
            User.objects.filter(
                groups__name=Role.AGENCY_SENIOR_MANAGER,
                is_active=True,
                agency__participations__review=review,
            )
            .exclude(overview_shares__review=review, overview_shares__revoked_at__isnull=True)
            .select_related("agency")
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )


# The LSCB itself owns an action of its plan when no agency does.
LSCB_OWNER = "lscb"


class LSCBActionForm(ActionForm):
    """An action of the LSCB action plan, answering one of the overview report's recommendations."""

    OWNER_HELP = "The person or post responsible, for example LSCB Business Manager."
    field_order = ("recommendation", "description", "owner_agency", "owner", "due_on", "success_measure")

    owner_agency = forms.ChoiceField(
        label="Which agency owns it?",
        choices=(),
        error_messages={
            "required": "Select the agency that owns the action",
            "invalid_choice": "Select the agency that owns the action",
        },
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, recommendations=review.recommendations.filter(imr__isnull=True), **kwargs)
        self.agencies = {str(agency.pk): agency for agency in Agency.objects.order_by("name")}
        self.fields["owner_agency"].choices = [
            ("", "Choose the agency"),
            (LSCB_OWNER, "The LSCB"),
            *((pk, agency.name) for pk, agency in self.agencies.items()),
        ]

    def clean_owner_agency(self):
        value = self.cleaned_data["owner_agency"]
        return None if value == LSCB_OWNER else self.agencies[value]


class EvidenceForm(forms.Form):
    evidence = text_area(
        "What shows the action is complete?",
        rows=5,
        max_length=20_000,
        what="the evidence",
        help_text="The evidence the quality-assurance sub-group will check: what was done, when, and what changed.",
        error_messages={"required": "Record the evidence that the action is complete"},
    )


class ProgressForm(forms.Form):
    note = text_area(
        "What progress has been made?",
        rows=5,
        max_length=5000,
        what="the progress",
        help_text="What has been done since the last update, and what comes next. Use pseudonyms, never real names.",
        error_messages={"required": "Enter the progress made"},
    )


class MonitoringNoteForm(forms.Form):
    note = text_area(
        "Monitoring note",
        rows=5,
        max_length=5000,
        what="the monitoring note",
        help_text="What the QA sub-group found: whether the action is on track, and what it asked for.",
        error_messages={"required": "Enter the monitoring note"},
    )


class EvidenceUploadForm(ReportUploadForm):
    title = text_input(
        "What is the evidence?",
        max_length=200,
        what="the title",
        help_text="For example, Audit of 20 case files, March 2027. Use pseudonyms, never real names.",
        error_messages={"required": "Enter what the evidence is"},
    )

    field_order = ["title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Upload the evidence"
        self.fields["file"].error_messages["required"] = "Choose the evidence to upload"


class EvidenceVersionForm(ReportUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Upload a new version"
        self.fields["file"].error_messages["required"] = "Choose the new version to upload"


class ThemeForm(forms.Form):
    name = text_input(
        "Name",
        max_length=Theme._meta.get_field("name").max_length,
        what="name of the theme",
        error_messages={"required": "Enter the name of the theme"},
    )
    description = text_area(
        "Description (optional)",
        rows=3,
        required=False,
        help_text="What the theme covers, so that everyone tags recommendations alike.",
    )


class ThemeChangeForm(ThemeForm):
    retired = forms.BooleanField(
        label="Retired",
        required=False,
        help_text="A retired theme stays on the recommendations it tags, but is offered for no new one.",
    )


class RecommendationThemesForm(forms.Form):
    """The active themes as checkboxes, and any retired theme the recommendation already has.

    Any theme parses, so that the service says why a retired one is refused.
    """

    themes = ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every theme the recommendation is about.",
        error_messages={
            "invalid_choice": "Choose themes from the list",
            "invalid_pk_value": "Choose themes from the list",
        },
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        having = set(recommendation.themes.values_list("pk", flat=True))
        self.fields["themes"].widget.choices = [
            (theme.pk, f"{theme.name} (retired)" if theme.retired else theme.name)
            for theme in Theme.objects.all()
            if not theme.retired or theme.pk in having
        ]


class DueDateChangeForm(forms.Form):
    due_on = GovukDateField(what="the new due date", label="New due date", help_text="For example, 31 3 2027")
    reason = text_area(
        "Why does the due date change?",
        rows=4,
        max_length=5000,
        what="the reason",
        help_text="What the QA sub-group agreed with the action's owner, and when.",
        error_messages={"required": "Say why the due date changes"},
    )
