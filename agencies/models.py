from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Role


class Agency(models.Model):
    """An organisation that works with children and families and takes part in reviews."""

    class Kind(models.TextChoices):
        SOCIAL_CARE = "social_care", "Children's social care"
        HEALTH_TRUST = "health_trust", "Hospital or health trust"
        GP = "gp", "GP practice"
        EDUCATION = "education", "School or education service"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing"
        PROBATION = "probation", "Probation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField(blank=True, help_text="The agency's safeguarding mailbox.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in: panel, board, business manager or an agency's staff."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text="The agency the person works for; blank for LSCB staff and independent authors.",
    )
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Return the names of the role groups the person belongs to (one query, cached)."""
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role) -> bool:
        return bool(self.is_active and self.role_names.intersection(roles))
