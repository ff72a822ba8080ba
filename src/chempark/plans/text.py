"""Plan documents as text: what kind of file an upload is (by its bytes, not its name), the text of a
DOCX or a PDF, and Chinese text cut into words for the full-text index.

PostgreSQL's text search cannot split Chinese into words; jieba does, and the index then reads the
words separated by spaces with the 'simple' configuration. The index holds the search-engine cut
(words and their shorter parts: 危险化学品 → 危险, 化学, 化学品, 危险化学品), the query the precise
cut, so every query word is one the index holds.

Pure: no Django.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable
from enum import StrEnum

import jieba
from docx import Document
from pypdf import PdfReader

jieba.setLogLevel(logging.WARNING)

MAX_PARTS = 500
MAX_INFLATED = 200 * 1024 * 1024
MAX_PDF_PAGES = 1000
_WORD = re.compile(r"\w", re.UNICODE)


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class UnreadableFile(ValueError):
    """An upload that is neither a PDF nor a sane DOCX; the message says why, in Chinese."""


def sniff(content: bytes) -> FileKind:
    """PDF by its header; DOCX by being a zip holding ``word/document.xml`` whose declared sizes stay
    within bounds (a zip bomb is refused before anything is inflated)."""
    if content.startswith(b"%PDF-"):
        return FileKind.PDF
    try:
        infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise UnreadableFile("文件不是 PDF 或 DOCX（按文件内容判断）。") from None
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_INFLATED:
        raise UnreadableFile("DOCX 文件解压后过大或部件过多，已拒绝。")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise UnreadableFile("文件不是 PDF 或 DOCX（压缩包内没有 Word 文档正文）。")
    return FileKind.DOCX


def docx_text(content: bytes) -> str:
    """The paragraphs and table cells of a DOCX, one per line."""
    try:
        document = Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise UnreadableFile(f"无法读取 DOCX 文件：{exc}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(line for line in lines if line.strip())


def pdf_text(content: bytes) -> str:
    """The text of a PDF's pages (a scanned PDF has none: it is kept, found by its title only)."""
    try:
        reader = PdfReader(io.BytesIO(content))
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise UnreadableFile(f"无法读取 PDF 文件：{exc}") from None
    if pages > MAX_PDF_PAGES:
        raise UnreadableFile(f"PDF 页数过多（{pages} 页，上限 {MAX_PDF_PAGES} 页），已拒绝。")
    try:
        return "\n".join(page.extract_text() or "" for page in reader.pages).strip()
    except Exception as exc:  # as above: a page that cannot be read makes the file unreadable
        raise UnreadableFile(f"无法读取 PDF 文件：{exc}") from None


def document_text(content: bytes, kind: FileKind) -> str:
    return docx_text(content) if kind is FileKind.DOCX else pdf_text(content)


def _words(tokens: Iterable[str]) -> list[str]:
    return [t.strip().lower() for t in tokens if _WORD.search(t)]


def index_words(text: str) -> str:
    """``text`` as the space-separated words the full-text index stores."""
    return " ".join(_words(jieba.cut_for_search(text)))


def query_words(query: str) -> list[str]:
    """The words of a search query, each of which the index of a matching plan holds."""
    return list(dict.fromkeys(_words(jieba.cut(query))))
