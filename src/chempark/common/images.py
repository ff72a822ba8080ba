"""What kind of picture a device sent, from its first bytes (cameras and gates send JPEG or PNG)."""

from __future__ import annotations


def image_type(head: bytes) -> str | None:
    """The MIME type of a JPEG or PNG starting with ``head``; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None
