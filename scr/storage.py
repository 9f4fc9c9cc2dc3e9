"""Where documents are kept, read from the environment: a local folder, or an S3-compatible bucket.

Every document (an uploaded report or evidence, a PDF the product made) is written and read
through Django's storage API only, so the same code runs on either. The storage is private:
documents are never served from a storage URL, always streamed through the access-checked views.

- Nothing set: `FileSystemStorage` in MEDIA_ROOT (DOCUMENT_ROOT), as on one server.
- `STORAGE_URL=s3://bucket?region=eu-west-2` (or `s3://KEY:SECRET@bucket?...`): django-storages'
  S3 backend. Query options: `endpoint_url` (MinIO, Ceph, a test server), `region`,
  `encryption` (`AES256` or `aws:kms`), `kms_key_id`, `location` (a prefix inside the bucket),
  `addressing_style` (`path` or `virtual`). Keys in the URL must be percent-encoded; without
  them boto3 finds its own (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance role).
- `STORAGE_URL=file:///var/lib/scr/documents`: a local folder, named explicitly.
- Or, without STORAGE_URL, django-storages' own names: AWS_STORAGE_BUCKET_NAME with
  AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_S3_SERVER_SIDE_ENCRYPTION, AWS_S3_KMS_KEY_ID,
  AWS_LOCATION, AWS_S3_ADDRESSING_STYLE.
"""

from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
ENCRYPTIONS = ("AES256", "aws:kms")
# The STORAGE_URL query option, and the environment variable meaning the same without it.
S3_OPTIONS = {
    "endpoint_url": "AWS_S3_ENDPOINT_URL",
    "region": "AWS_S3_REGION_NAME",
    "encryption": "AWS_S3_SERVER_SIDE_ENCRYPTION",
    "kms_key_id": "AWS_S3_KMS_KEY_ID",
    "location": "AWS_LOCATION",
    "addressing_style": "AWS_S3_ADDRESSING_STYLE",
}


def document_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry the environment asks for."""
    url = environ.get("STORAGE_URL", "").strip()
    if url:
        return _from_url(url)
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if bucket:
        options = {key: environ.get(name, "").strip() for key, name in S3_OPTIONS.items()}
        return _s3(bucket, {key: value for key, value in options.items() if value})
    return {"BACKEND": FILESYSTEM}


def _from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not parts.path or parts.netloc:
            raise ImproperlyConfigured(
                "STORAGE_URL file:// needs an absolute folder: file:///var/lib/scr/documents"
            )
        return {"BACKEND": FILESYSTEM, "OPTIONS": {"location": unquote(parts.path)}}
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"STORAGE_URL must start with s3:// or file://, not {parts.scheme or url!r}."
        )
    bucket = parts.netloc.rpartition("@")[2]
    if not bucket or parts.path not in ("", "/"):
        raise ImproperlyConfigured("STORAGE_URL names its bucket as the host: s3://bucket?region=eu-west-2")
    options = dict(parse_qsl(parts.query, keep_blank_values=False))
    unknown = sorted(set(options) - set(S3_OPTIONS))
    if unknown:
        raise ImproperlyConfigured(
            f"STORAGE_URL has options it does not know: {', '.join(unknown)} "
            f"(known: {', '.join(S3_OPTIONS)})."
        )
    credentials = {}
    if parts.username or parts.password:
        if not (parts.username and parts.password):
            raise ImproperlyConfigured("STORAGE_URL gives both keys or neither: s3://KEY:SECRET@bucket")
        credentials = {"access_key": unquote(parts.username), "secret_key": unquote(parts.password)}
    entry = _s3(bucket, options)
    entry["OPTIONS"].update(credentials)
    return entry


def _s3(bucket: str, options: dict[str, str]) -> dict:
    settings = {
        "bucket_name": bucket,
        # Private objects, never a public URL; a URL asked for by mistake is signed and short-lived.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        # Names are fresh for every version; a clash is given another name, never written over.
        "file_overwrite": False,
        "object_parameters": {},
    }
    if options.get("endpoint_url"):
        settings["endpoint_url"] = options["endpoint_url"]
    if options.get("region"):
        settings["region_name"] = options["region"]
    if options.get("location"):
        settings["location"] = options["location"].strip("/")
    if options.get("addressing_style"):
        if options["addressing_style"] not in ("path", "virtual", "auto"):
            raise ImproperlyConfigured("The S3 addressing style is path, virtual or auto.")
        settings["addressing_style"] = options["addressing_style"]
    encryption = options.get("encryption")
    if encryption:
        if encryption not in ENCRYPTIONS:
            raise ImproperlyConfigured(
                f"S3 server-side encryption is {' or '.join(ENCRYPTIONS)}, not {encryption!r}."
            )
        settings["object_parameters"]["ServerSideEncryption"] = encryption
        if options.get("kms_key_id"):
            if encryption != "aws:kms":
                raise ImproperlyConfigured("A KMS key id goes with encryption=aws:kms.")
            settings["object_parameters"]["SSEKMSKeyId"] = options["kms_key_id"]
    elif options.get("kms_key_id"):
        raise ImproperlyConfigured("A KMS key id goes with encryption=aws:kms.")
    return {"BACKEND": S3, "OPTIONS": settings}
