import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


def rendered_pdf_path(instance, filename):
    # A fresh name for every render; served only through the access-checked download view.
    return f"pdfs/{instance.review_id}/{uuid.uuid4().hex}.pdf"


class RenderedPdf(models.Model):
    """A PDF prepared in the background, kept for as long as its source is unchanged.

    `stamp` names the state of the source it was rendered from (see reviews/pdf_jobs.py): when
    the source changes, the stamp does, and the old PDF is never served again.
    """

    class Kind(models.TextChoices):
        CHRONOLOGY = "chronology", "Agency chronology"
        INTEGRATED_CHRONOLOGY = "integrated_chronology", "Integrated chronology"
        TERMS_OF_REFERENCE = "tor", "Draft terms of reference"
        ACTION_PROGRESS = "action_progress", "Action plan progress report"

    class State(models.TextChoices):
        QUEUED = "queued", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="rendered_pdfs")
    imr = models.ForeignKey(
        "reviews.IMR",
        on_delete=models.CASCADE,
        related_name="rendered_pdfs",
        null=True,
        blank=True,
        help_text="The IMR whose chronology this is; empty for the review's own documents.",
    )
    stamp = models.CharField(max_length=64, help_text="The state of the source the PDF shows.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField(upload_to=rendered_pdf_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the render failed; set only when it did.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rendered_pdfs"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "rendered PDF"
        constraints = [
            # One job per source state, however many people ask at the same instant.
            models.UniqueConstraint(
                fields=["kind", "review", "stamp"],
                condition=Q(imr__isnull=True),
                name="rendered_pdf_one_per_review_stamp",
            ),
            models.UniqueConstraint(
                fields=["kind", "imr", "stamp"],
                condition=Q(imr__isnull=False),
                name="rendered_pdf_one_per_imr_stamp",
            ),
            models.CheckConstraint(
                name="rendered_pdf_chronology_has_imr",
                condition=Q(kind="chronology", imr__isnull=False)
                | (~Q(kind="chronology") & Q(imr__isnull=True)),
            ),
            models.CheckConstraint(
                name="rendered_pdf_ready_has_file", condition=~Q(state="ready") | ~Q(file="")
            ),
        ]

    def __str__(self):
        subject = self.imr if self.imr_id else self.review
        return f"{self.get_kind_display()} PDF of {subject}"
