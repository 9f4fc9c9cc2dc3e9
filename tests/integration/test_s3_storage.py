"""Documents in an S3-compatible bucket: the real upload and download, against moto's S3 server on loopback.

moto runs in this process (a thread serving HTTP on a free port), so the test needs no outside
service and never skips. The default storage is pointed at the bucket the way production does it,
through STORAGE_URL as scr/storage.py reads it.
"""

import hashlib

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from reviews import services
from reviews.models import AuditEvent, DocumentVersion, RenderedPdf
from reviews.sample_pdf import text_pdf
from scr.storage import document_storage
from tests.reviews.views.test_chronology import started_imr
from tests.reviews.views.test_imr_work import upload

BUCKET = "scr-documents"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """An empty bucket, made the default storage through STORAGE_URL; yields a boto3 client on it."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-2",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    url = f"s3://test-key:test-secret@{BUCKET}?endpoint_url={s3_endpoint}&region=eu-west-2&encryption=AES256"
    settings.STORAGES = {**settings.STORAGES, "default": document_storage({"STORAGE_URL": url})}
    yield client
    # moto keeps its buckets for the life of the server: the next test starts from an empty one.
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.mark.django_db
def test_an_imr_report_is_uploaded_to_the_bucket_and_streamed_back_through_the_access_check(
    client, walk, cast, bucket
):
    imr = started_imr(walk)
    content = text_pdf("IMR report kept in the bucket")
    client.force_login(cast["author"])

    response = upload(client, imr, "IMR report.pdf", content)

    assert response.status_code == 302
    version = DocumentVersion.objects.get(document__imr=imr)
    assert type(version.file.storage._wrapped).__name__ == "S3Storage"
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    # The object is in the bucket, under the version's name, private and encrypted at rest.
    keys = [item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [version.file.name]
    assert version.file.name.startswith(f"documents/{imr.participation.review_id}/")
    stored = bucket.get_object(Bucket=BUCKET, Key=version.file.name)
    assert stored["Body"].read() == content
    assert stored["ServerSideEncryption"] == "AES256"
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=version.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]

    # The panel chair downloads it: the bytes streamed are the bytes uploaded, and the download is logged.
    client.force_login(cast["chair"])
    response = client.get(reverse("reviews:document-download", args=[version.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="IMR report.pdf"'
    assert list(
        AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOADED).values_list(
            "actor__username", "object_type", "object_id", "summary"
        )
    ) == [
        (
            "chair",
            "reviews.documentversion",
            str(version.pk),
            f"Downloaded IMR report, {imr.participation.agency} version 1",
        )
    ]


@pytest.mark.django_db
def test_someone_without_a_grant_gets_nothing_from_the_bucket(client, walk, cast, bucket):
    imr = started_imr(walk)
    version = services.imr_report_upload(
        actor=cast["author"], imr=imr, content=text_pdf("Report"), filename="report.pdf"
    )
    client.force_login(cast["author2"])

    response = client.get(reverse("reviews:document-download", args=[version.pk]))

    assert response.status_code == 404
    assert list(AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOADED)) == []
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, actor=cast["author2"]).count() == 1


@pytest.mark.django_db
def test_a_pdf_prepared_in_the_background_is_kept_in_the_bucket(client, walk, cast, bucket):
    imr = started_imr(walk)
    review = imr.participation.review
    rendered = services.pdf_request(
        actor=cast["chair"], kind=RenderedPdf.Kind.TERMS_OF_REFERENCE, review=review
    )
    rendered = services.pdf_render(rendered=rendered)

    assert rendered.state == RenderedPdf.State.READY
    keys = [item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [rendered.file.name]
    stored = bucket.get_object(Bucket=BUCKET, Key=rendered.file.name)["Body"].read()
    assert stored.startswith(b"%PDF-") and len(stored) == rendered.size
