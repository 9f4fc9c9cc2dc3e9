from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Referral(models.Model):
    """A case referred to the serious case review panel by an agency."""

    class IncidentKind(models.TextChoices):
        DEATH = "death", "Death"
        SERIOUS_INJURY = "serious_injury", "Serious injury"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=20, unique=True, help_text="Set when logged; never changed.")
    referring_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="referrals_made"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_logged"
    )
    child_name = models.CharField(max_length=200)
    child_date_of_birth = models.DateField(null=True, blank=True)
    child_unborn = models.BooleanField(default=False)
    family_members = models.TextField(
        blank=True, help_text="One per line: name and relationship to the child."
    )
    incident_date = models.DateField()
    incident_kind = models.CharField(max_length=20, choices=IncidentKind.choices)
    summary = models.TextField()
    agencies_involved = models.ManyToManyField(
        "agencies.Agency", related_name="referrals_involved_in", blank=True
    )
    police_investigating = models.BooleanField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                name="referral_child_born_xor_unborn",
                condition=Q(child_unborn=True, child_date_of_birth__isnull=True)
                | Q(child_unborn=False, child_date_of_birth__isnull=False),
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_decided(self) -> bool:
        return hasattr(self, "decision")


class PanelMeeting(models.Model):
    """A meeting of the serious case review panel."""

    held_on = models.DateField()
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_meetings_chaired"
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="panel_meetings_attended", blank=True
    )
    other_attendees = models.TextField(
        blank=True, help_text="Attendees without an account: one per line, name and role."
    )

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"Panel meeting {self.held_on:%d %B %Y}"


class PanelDecision(models.Model):
    """The panel's decision on a referral, against the criteria of Working Together."""

    class Outcome(models.TextChoices):
        SCR = "scr", "Serious case review"
        CASE_REVIEW = "case", "Case review"
        MANAGEMENT_REVIEW = "management", "Management review"
        NO_REVIEW = "none", "No review"

    CRITERIA = {
        "criterion_a": "The child died and abuse or neglect is known or suspected to be a factor",
        "criterion_b": "Potentially life-threatening injury",
        "criterion_c": "Serious and permanent impairment of health or development",
        "criterion_d": "Serious sexual abuse",
        "criterion_e": "Killed by a parent with a mental illness",
        "criterion_f": "Concerns about how agencies worked together",
    }

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="decisions")
    criterion_a = models.BooleanField(CRITERIA["criterion_a"])
    criterion_b = models.BooleanField(CRITERIA["criterion_b"])
    criterion_c = models.BooleanField(CRITERIA["criterion_c"])
    criterion_d = models.BooleanField(CRITERIA["criterion_d"])
    criterion_e = models.BooleanField(CRITERIA["criterion_e"])
    criterion_f = models.BooleanField(CRITERIA["criterion_f"])
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField()
    criterion_a_justification = models.TextField(
        blank=True,
        help_text="Why a child's death with abuse or neglect suspected does not lead to an SCR. "
        "Required whenever criterion (a) applies and the outcome is not an SCR.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_decisions"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="decision_criterion_a_needs_scr_or_justification",
                condition=Q(criterion_a=False) | Q(outcome="scr") | ~Q(criterion_a_justification=""),
            ),
        ]

    def __str__(self):
        return f"{self.referral}: {self.get_outcome_display()}"

    @property
    def departs_from_criterion_a(self) -> bool:
        """True when the child died with abuse or neglect suspected and no SCR was held."""
        return self.criterion_a and self.outcome != self.Outcome.SCR

    def criteria_met(self) -> list[str]:
        return [label for field, label in self.CRITERIA.items() if getattr(self, field)]


class PanelDecisionRevision(models.Model):
    """What a panel decision said before the panel corrected it, and why it was corrected."""

    decision = models.ForeignKey(PanelDecision, on_delete=models.PROTECT, related_name="revisions")
    criterion_a = models.BooleanField()
    criterion_b = models.BooleanField()
    criterion_c = models.BooleanField()
    criterion_d = models.BooleanField()
    criterion_e = models.BooleanField()
    criterion_f = models.BooleanField()
    outcome = models.CharField(max_length=20, choices=PanelDecision.Outcome.choices)
    rationale = models.TextField()
    criterion_a_justification = models.TextField(blank=True)
    reason = models.TextField(help_text="Why the panel corrected its decision.")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_decision_corrections"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(name="decision_revision_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"{self.decision} before the correction of {self.corrected_at:%d %B %Y}"

    def criteria_met(self) -> list[str]:
        return [label for field, label in PanelDecision.CRITERIA.items() if getattr(self, field)]
