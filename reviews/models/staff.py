"""The staff involved in a case: pseudonyms, support meetings, counselling and the police's advice to them."""

from django.conf import settings
from django.db import models


class InvolvedStaffQuerySet(models.QuerySet):
    def current(self):
        """Staff still recorded as involved: a withdrawn entry was a mistake and binds nobody."""
        return self.filter(withdrawn_at__isnull=True)


class InvolvedStaff(models.Model):
    """A practitioner whose work is part of the review, known in documents only by pseudonym.

    Corrections keep the earlier values as InvolvedStaffRevision rows; a wrong
    entry is withdrawn with its reason, never deleted.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="involved_staff")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="involved_staff")
    pseudonym = models.CharField(max_length=100, help_text='Role and number, e.g. "Health Visitor 1".')
    real_name = models.CharField(max_length=200)
    role_title = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="involvements",
        null=True,
        blank=True,
        help_text="The person's account, if they have one: they may not author an IMR or the overview.",
    )
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the entry is withdrawn as a mistake; never cleared."
    )
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="involved_staff_withdrawn",
        null=True,
        blank=True,
    )

    objects = InvolvedStaffQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "pseudonym"]
        verbose_name_plural = "involved staff"
        constraints = [
            models.UniqueConstraint(fields=["review", "pseudonym"], name="involved_staff_pseudonym_unique"),
            models.CheckConstraint(
                name="involved_staff_withdrawal_has_reason",
                condition=models.Q(withdrawn_at__isnull=True)
                | (~models.Q(withdrawn_reason="") & models.Q(withdrawn_by__isnull=False)),
            ),
        ]

    def __str__(self):
        return self.pseudonym

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class InvolvedStaffRevision(models.Model):
    """The values an involved-staff entry held before a correction, with why it was corrected."""

    staff = models.ForeignKey(InvolvedStaff, on_delete=models.PROTECT, related_name="revisions")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(max_length=100)
    real_name = models.CharField(max_length=200)
    role_title = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    reason = models.TextField(help_text="Why the entry was corrected.")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involved_staff_corrections"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(name="staff_revision_has_reason", condition=~models.Q(reason=""))
        ]

    def __str__(self):
        return f"{self.staff} before the correction of {self.corrected_at:%d %B %Y}"


class StaffSupportMeeting(models.Model):
    """A support meeting the LSCB hosts for the staff involved (guide §6.5)."""

    class Kind(models.TextChoices):
        BEGINNING = "beginning", "At the beginning of the review"
        END = "end", "At the end of the review"
        OTHER = "other", "During the review"

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="support_meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    attendees = models.ManyToManyField(InvolvedStaff, related_name="support_meetings", blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_meetings_recorded"
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.review}: support meeting {self.held_on}"


class CounsellingOffer(models.Model):
    """Counselling or other support offered to a member of staff involved."""

    class Response(models.TextChoices):
        AWAITING = "awaiting", "Awaiting reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    staff = models.ForeignKey(InvolvedStaff, on_delete=models.PROTECT, related_name="counselling_offers")
    offered_on = models.DateField()
    offered_by = models.CharField(max_length=200, help_text="The agency or service that offered it.")
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)

    class Meta:
        ordering = ["offered_on", "pk"]

    def __str__(self):
        return f"Counselling offered to {self.staff} on {self.offered_on}"


class PoliceAdvice(models.Model):
    """The police's advice on what staff may discuss; each change is a new row."""

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="police_advice")
    given_on = models.DateField()
    source = models.CharField(
        max_length=200, help_text="Who gave the advice, e.g. the senior investigating officer."
    )
    advice = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="police_advice_recorded"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        verbose_name_plural = "police advice"

    def __str__(self):
        return f"{self.review}: police advice of {self.given_on}"
