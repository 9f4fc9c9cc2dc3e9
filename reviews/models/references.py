from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, LPad, StrIndex, Substr


def reference_order(field: str = "reference"):
    """An expression that sorts references as people count them: SCR-2026-999 before SCR-2026-1000.

    A reference is PREFIX-YYYY-NNN, with at least three digits: the number is padded to ten
    digits so that text order is number order past 999.
    """
    hyphen = StrIndex(field, Value("-"))
    return Concat(
        Substr(field, 1, hyphen + 5),
        LPad(Substr(field, hyphen + 6), 10, Value("0")),
        output_field=models.CharField(),
    )


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
