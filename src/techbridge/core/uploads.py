"""Checks for uploaded files: the type comes from the content, never the name; sizes are capped."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Leading bytes of the file types we accept, and the type they prove.
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
]


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def safe_filename(name: str, *, extension: str) -> str:
    """A display name without directories, control characters or a misleading extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:80] or "file"
    return f"{stem}{extension}"


def check_upload(upload, *, field: str = "file", max_bytes: int | None = None) -> CheckedUpload:
    """Validate size and content type of an uploaded file; raise ValidationError naming the field."""
    limit = max_bytes or settings.TECHBRIDGE_MAX_ATTACHMENT_BYTES
    size = upload.size
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {field: _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head)
    if found is None:
        raise ValidationError(
            {field: _("Only PDF, PNG, JPEG, GIF or WebP files are accepted (checked by content).")}
        )
    content_type, extension = found
    return CheckedUpload(
        name=safe_filename(upload.name, extension=extension), content_type=content_type, size=size
    )
