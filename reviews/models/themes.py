from django.db import models
from django.db.models.functions import Lower


class Theme(models.Model):
    """A theme the QA sub-group follows across reviews, such as "information sharing", tagged on recommendations."""

    name = models.CharField(
        max_length=200, help_text="Unique whatever its case: “Neglect” and “neglect” are one theme."
    )
    description = models.TextField(blank=True)
    retired = models.BooleanField(
        default=False,
        help_text=(
            "A retired theme stays on the recommendations it tags but is added to no new one. "
            "Themes are retired, never deleted."
        ),
    )

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [models.UniqueConstraint(Lower("name"), name="theme_name_unique_any_case")]

    def __str__(self):
        return self.name
