"""What an uploaded report really is, read from its bytes: never from its name or the browser's word.

A report is a PDF or a Word document (DOCX). `filetype` reads the first bytes; a
DOCX is then opened as the zip it is, so that a truncated or forged one is refused
too. No HTTP here: the services call `check_report` with the bytes and the name.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from reviews.services.common import ActionNotAllowed

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPTED = {PDF: "pdf", DOCX: "docx"}
ACCEPTED_WORDS = "a PDF or a Word document (DOCX)"


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str


def max_bytes() -> int:
    return settings.DOCUMENT_UPLOAD_MAX_BYTES


def size_words(limit: int | None = None) -> str:
    """The upload limit as people read it: "20 MB"."""
    limit = limit or max_bytes()
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else filesizeformat(limit).replace("\xa0", " ")


def too_large_message(limit: int | None = None) -> str:
    return f"The selected file must be smaller than {size_words(limit)}"


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _safe_name(filename: str, extension: str) -> str:
    """The person's file name without folders, ending in the extension of what the file really is."""
    # Control characters (a newline, a right-to-left override) never reach a stored name.
    name = (
        "".join(c for c in PurePath(filename.replace("\\", "/")).name if c.isprintable()).strip() or "report"
    )
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    if ext.lower() != extension:
        ext = extension
    # Cut to fit, keeping the extension.
    return f"{stem[: 250 - len(ext)]}.{ext}"


def check_report(filename: str, content: bytes, *, field: str = "file") -> CheckedFile:
    """Return the stored name and true type of a report, or refuse it with the reason on `field`."""
    if not content:
        raise ActionNotAllowed({field: ["The selected file is empty"]})
    if len(content) > max_bytes():
        raise ActionNotAllowed({field: [too_large_message()]})
    kind = filetype.guess(content)
    mime = kind.mime if kind else None
    if mime == DOCX and not _is_docx(content):
        mime = None
    if mime not in ACCEPTED:
        name = PurePath(filename.replace("\\", "/")).name
        what = f"another kind of file ({kind.extension.upper()})" if kind else "neither"
        raise ActionNotAllowed({field: [f"The selected file must be {ACCEPTED_WORDS}: “{name}” is {what}"]})
    return CheckedFile(filename=_safe_name(filename, ACCEPTED[mime]), content_type=mime)
