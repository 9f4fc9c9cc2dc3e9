from django.conf import settings
from django.db import models
from django.db.models import F, Q


class TermsOfReference(models.Model):
    """What the review must look at: focus areas, period, agencies and staff."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="terms_of_reference"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    further_detail = models.TextField(blank=True, help_text="Anything else the panel asks of the authors.")
    agreed_at = models.DateTimeField(null=True, blank=True, help_text="Set when agreed; never changed after.")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tors_agreed",
        null=True,
        blank=True,
    )
    shared_with_staff_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.CheckConstraint(
                name="tor_period_in_order",
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
            ),
        ]

    def __str__(self):
        return f"Terms of reference for {self.review}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None


class FocusArea(models.Model):
    """One question the IMR authors must answer, in the panel's order."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="focus_areas")
    position = models.PositiveSmallIntegerField()
    question = models.TextField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "position"], name="focus_area_position_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.question}"
