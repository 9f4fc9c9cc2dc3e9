import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


def version_path(instance, filename):
    # A fresh name for every version: no upload can land on an earlier file.
    return f"documents/{instance.document.review_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A document of a review; its content lives in versions, none ever overwritten."""

    class Kind(models.TextChoices):
        TERMS_OF_REFERENCE = "tor", "Terms of reference"
        IMR_REPORT = "imr_report", "IMR report"
        OVERVIEW_REPORT = "overview_report", "Overview report"
        EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
        OFSTED_PACK = "ofsted_pack", "Ofsted submission pack"
        ACTION_EVIDENCE = "action_evidence", "Evidence for an action"
        OTHER = "other", "Other"

    # Kinds whose every view or download is written to the audit log.
    CONFIDENTIAL = (Kind.IMR_REPORT, Kind.OVERVIEW_REPORT, Kind.OFSTED_PACK, Kind.ACTION_EVIDENCE)

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="documents")
    imr = models.ForeignKey(
        "reviews.IMR", on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    action = models.ForeignKey(
        "reviews.ActionItem",
        on_delete=models.PROTECT,
        related_name="evidence_documents",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="document_imr_report_belongs_to_imr",
                condition=~Q(kind="imr_report") | Q(imr__isnull=False),
            ),
            models.CheckConstraint(
                name="document_evidence_belongs_to_action",
                condition=Q(kind="action_evidence", action__isnull=False)
                | (~Q(kind="action_evidence") & Q(action__isnull=True)),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_confidential(self) -> bool:
        return self.kind in self.CONFIDENTIAL


class DocumentVersion(models.Model):
    """One immutable version of a document, with the SHA-256 of its bytes."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_path, max_length=300)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, help_text="Hex digest of the file's bytes, taken on upload.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_versions"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique"),
            models.CheckConstraint(name="document_version_number_positive", condition=Q(number__gte=1)),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"
