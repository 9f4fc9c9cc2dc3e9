from django.db import models


class ReferenceCounter(models.Model):
    """The last number given to a reference of one kind in one year (REF-2026-007, SCR-2026-002).

    One row per prefix and year, taken with SELECT … FOR UPDATE by the service that
    allocates the next reference: two referrals logged at the same instant queue
    on this row instead of racing for the same number.
    """

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_once_per_year"),
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"
