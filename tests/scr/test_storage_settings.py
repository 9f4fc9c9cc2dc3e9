"""Where documents are kept and what is shared, read from the environment (scr/storage.py, the settings)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from scr.storage import FILESYSTEM, S3, document_storage
from tests.scr.test_settings import load

PRIVATE = {
    "default_acl": "private",
    "querystring_auth": True,
    "querystring_expire": 60,
    "file_overwrite": False,
}


def test_nothing_set_keeps_documents_in_the_local_folder():
    assert document_storage({}) == {"BACKEND": FILESYSTEM}


def test_a_storage_url_names_an_s3_bucket_its_endpoint_region_keys_and_encryption():
    url = "s3://AKIA%2Fkey:se%40cret@scr-documents?endpoint_url=http://127.0.0.1:9000&region=eu-west-2&encryption=AES256"
    assert document_storage({"STORAGE_URL": url}) == {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "scr-documents",
            **PRIVATE,
            "object_parameters": {"ServerSideEncryption": "AES256"},
            "endpoint_url": "http://127.0.0.1:9000",
            "region_name": "eu-west-2",
            "access_key": "AKIA/key",
            "secret_key": "se@cret",
        },
    }


def test_without_keys_in_the_url_boto3_finds_its_own():
    entry = document_storage(
        {"STORAGE_URL": "s3://scr-documents?encryption=aws:kms&kms_key_id=alias/scr&location=lscb/"}
    )
    assert entry == {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "scr-documents",
            **PRIVATE,
            "object_parameters": {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/scr"},
            "location": "lscb",
        },
    }


def test_django_storages_own_names_say_the_same_without_a_url():
    entry = document_storage(
        {
            "AWS_STORAGE_BUCKET_NAME": "scr-documents",
            "AWS_S3_ENDPOINT_URL": "https://minio.internal",
            "AWS_S3_REGION_NAME": "eu-west-2",
            "AWS_S3_SERVER_SIDE_ENCRYPTION": "AES256",
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
    )
    assert entry == {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "scr-documents",
            **PRIVATE,
            "object_parameters": {"ServerSideEncryption": "AES256"},
            "endpoint_url": "https://minio.internal",
            "region_name": "eu-west-2",
            "addressing_style": "path",
        },
    }


def test_a_file_url_names_a_local_folder():
    assert document_storage({"STORAGE_URL": "file:///var/lib/scr/documents"}) == {
        "BACKEND": FILESYSTEM,
        "OPTIONS": {"location": "/var/lib/scr/documents"},
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://host/documents", r"^STORAGE_URL must start with s3:// or file://, not 'ftp'\.$"),
        ("s3://bucket/folder", r"^STORAGE_URL names its bucket as the host: s3://bucket\?region=eu-west-2$"),
        ("s3://bucket?regoin=eu-west-2", r"^STORAGE_URL has options it does not know: regoin \(known: "),
        ("s3://key@bucket", r"^STORAGE_URL gives both keys or neither: s3://KEY:SECRET@bucket$"),
        ("s3://bucket?encryption=rot13", r"^S3 server-side encryption is AES256 or aws:kms, not 'rot13'\.$"),
        ("s3://bucket?kms_key_id=alias/scr", r"^A KMS key id goes with encryption=aws:kms\.$"),
        ("file://documents", r"^STORAGE_URL file:// needs an absolute folder"),
    ],
)
def test_a_storage_url_it_cannot_read_stops_the_start(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        document_storage({"STORAGE_URL": url})


def test_the_settings_take_the_storage_and_a_shared_cache_from_the_environment(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("STORAGE_URL", raising=False)
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    embedded = load(monkeypatch, DJANGO_DEBUG="1")
    assert embedded["STORAGES"]["default"] == {"BACKEND": FILESYSTEM}
    assert embedded["CACHES"] == {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Sessions are rows in the database (agencies.sessions is Django's database engine, refreshed).
    assert embedded["SESSION_ENGINE"] == "agencies.sessions"

    monkeypatch.setenv("REDIS_URL", "redis://redis:6379/0")
    monkeypatch.setenv("STORAGE_URL", "s3://scr-documents?region=eu-west-2")
    production = load(
        monkeypatch,
        DJANGO_SECRET_KEY="k" * 20 + "ey-for-the-storage-settings-test-0123456789",
        DJANGO_ALLOWED_HOSTS="scr.example.org",
        SITE_URL="https://scr.example.org",
    )
    assert production["STORAGES"]["default"]["BACKEND"] == S3
    assert production["STORAGES"]["default"]["OPTIONS"]["bucket_name"] == "scr-documents"
    assert production["CACHES"] == {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://redis:6379/0",
            "KEY_PREFIX": "scr",
        }
    }
