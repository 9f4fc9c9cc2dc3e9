from django.conf import settings
from django.db import models
from django.db.models import Q

from reviews.models.review_states import AWAITING_AGENCIES


class AgencyParticipationQuerySet(models.QuerySet):
    def needing_agency_manager(self):
        """Where the agency's senior manager must act: files to secure or an IMR author to nominate."""
        return self.filter(review__state__in=AWAITING_AGENCIES).filter(
            Q(files_secured_at__isnull=True) | Q(imr__isnull=True)
        )


class AgencyParticipation(models.Model):
    """An agency asked to take part in a review: its files and its IMR."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="participations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="participations")
    files_secured_at = models.DateTimeField(null=True, blank=True)
    files_secured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="files_secured",
        null=True,
        blank=True,
    )
    originals_location = models.CharField(
        max_length=300, blank=True, help_text="Where the locked original records are kept."
    )
    copies_made = models.BooleanField(
        default=False, help_text="Copies made so that work with the family can go on."
    )

    objects = AgencyParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="participation_once_per_agency"),
            models.CheckConstraint(
                name="participation_secured_files_recorded_fully",
                condition=Q(files_secured_at__isnull=True)
                | (Q(files_secured_by__isnull=False) & ~Q(originals_location="")),
            ),
        ]

    def __str__(self):
        return f"{self.agency} in {self.review}"
