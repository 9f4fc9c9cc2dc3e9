from django.db import models
from django.db.models import Q


class ContactType(models.TextChoices):
    PHONE_CALL = "phone call", "Phone call"
    HOME_VISIT = "home visit", "Home visit"
    APPOINTMENT = "office or clinic appointment", "Office or clinic appointment"
    CORRESPONDENCE = "correspondence", "Correspondence"
    SUPERVISION = "supervision discussion", "Supervision discussion"
    MEETING = "meeting", "Meeting"
    STRATEGY_DISCUSSION = "strategy discussion", "Strategy discussion"
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    OTHER = "other", "Other"


class WithWhom(models.TextChoices):
    CHILD = "child", "Child"
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    PARTNER = "partner", "Partner"
    OTHER_FAMILY = "other family", "Other family"
    PROFESSIONAL = "professional", "Professional"
    OTHER = "other", "Other"


class ChronologyEntry(models.Model):
    """One contact an agency had with the child, the family or professionals about them.

    The fields are exactly the standard template's columns, in its order; the
    template's `date` column is held as `date` plus `date_is_approximate` (a
    month alone is stored as the month's first day and marked approximate).
    """

    TEMPLATE_COLUMNS = (
        "date",
        "time",
        "contact_type",
        "with_whom",
        "practitioner",
        "summary",
        "outcome",
        "source",
        "comment",
        "key_practice_episode",
    )

    imr = models.ForeignKey("reviews.IMR", on_delete=models.CASCADE, related_name="chronology_entries")
    date = models.DateField()
    date_is_approximate = models.BooleanField(default=False)
    time = models.TimeField(null=True, blank=True)
    contact_type = models.CharField(max_length=40, choices=ContactType.choices)
    with_whom = models.CharField(max_length=20, choices=WithWhom.choices)
    practitioner = models.CharField(
        max_length=100, help_text='Role and pseudonym, e.g. "Health Visitor 1"; never a real name.'
    )
    summary = models.TextField()
    outcome = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    comment = models.TextField(blank=True)
    key_practice_episode = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "time", "pk"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["imr", "date"])]
        constraints = [
            models.CheckConstraint(
                name="chronology_approximate_date_has_no_time",
                condition=Q(date_is_approximate=False) | Q(time__isnull=True),
            ),
            models.CheckConstraint(name="chronology_summary_required", condition=~Q(summary="")),
            models.CheckConstraint(name="chronology_practitioner_required", condition=~Q(practitioner="")),
        ]

    def __str__(self):
        return f"{self.date}: {self.contact_type} with {self.with_whom}"
