"""Reading text out of attachments: .docx, PDF, plain text/HTML/CSV, RTF, and Outlook TNEF
(``winmail.dat``). Pure: bytes in, text out; no I/O, no logging.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable

from parsing.html import html_to_text
from parsing.text import decode_bytes, normalise_text

__all__ = ["MAX_READ_BYTES", "MAX_TEXT_CHARS", "attachment_kind", "read_attachment_text"]

#: Attachments larger than this (decoded bytes) are listed but not read.
MAX_READ_BYTES = 20 * 1024 * 1024
#: Text read from one attachment is cut to this many characters.
MAX_TEXT_CHARS = 1_000_000
# A .docx is a zip: refuse one that would inflate past this (a zip bomb) or by more than this
# ratio; real letters inflate a few times at most.
_MAX_UNZIPPED = 200 * 1024 * 1024
_MAX_ZIP_RATIO = 200
_MAX_PDF_PAGES = 50
# A PDF whose streams inflate past this in total (a "flate bomb": a few KB of zlib data that
# expand to gigabytes of page operators) is not handed to pdfminer at all.
MAX_PDF_INFLATED = 20 * 1024 * 1024
_INFLATE_STEP = 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")
_MAX_TNEF_DEPTH = 3

_DOCX_TYPES = frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_TEXT_EXTS = (".txt", ".csv", ".text", ".log")
_HTML_EXTS = (".htm", ".html")
_LABELS = {
    "docx": "Word document",
    "pdf": "PDF",
    "tnef": "winmail.dat (TNEF) file",
    "rtf": "RTF document",
    "html": "HTML file",
    "text": "text file",
}
# Document types a reviewer would expect us to read but we cannot.
_UNREAD_DOCS = {
    ".doc": "Word 97-2003 (.doc) files are not read",
    ".docm": "macro-enabled Word files are not read",
    ".odt": "OpenDocument (.odt) files are not read",
    ".xls": "spreadsheets are not read",
    ".xlsx": "spreadsheets are not read",
    ".pptx": "presentations are not read",
    ".msg": "Outlook .msg files are not read",
    ".pages": "Apple Pages files are not read",
}


def _ext(filename: str | None) -> str:
    name = (filename or "").lower().strip()
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


def attachment_kind(data: bytes, content_type: str, filename: str | None) -> str:
    """What reader applies: ``docx``, ``pdf``, ``tnef``, ``rtf``, ``html``, ``text``, or
    ``""`` for none. Decided by extension, then declared type, then magic bytes."""
    ext = _ext(filename)
    ctype = content_type.lower()
    name = (filename or "").lower().strip()
    if ext == ".docx" or ctype in _DOCX_TYPES:
        return "docx"
    if ext == ".pdf" or ctype == "application/pdf" or data[:5] == b"%PDF-":
        return "pdf"
    if name == "winmail.dat" or ctype in _TNEF_TYPES or data[:4] == b"\x78\x9f\x3e\x22":
        return "tnef"
    if ext == ".rtf" or ctype in ("application/rtf", "text/rtf") or data[:5] == b"{\\rtf":
        return "rtf"
    if ext in _HTML_EXTS or ctype == "text/html":
        return "html"
    if ext in _TEXT_EXTS or ctype.startswith("text/"):
        return "text"
    return ""


def _finish(text: str) -> str:
    return normalise_text(text)[:MAX_TEXT_CHARS].strip()


def _check_zip(data: bytes) -> str | None:
    """An error in words when ``data`` is not a zip or would inflate dangerously."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "the Word document is damaged (not a valid .docx)"
    if total > _MAX_UNZIPPED or total > _MAX_ZIP_RATIO * max(len(data), 1):
        return "the Word document expands too much to read safely"
    try:
        if not _zip_inflates_safely(data):
            return "the Word document expands too much to read safely"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        return "the Word document is damaged (not a valid .docx)"
    return None


def _zip_inflates_safely(data: bytes) -> bool:
    """True when the entries' *actual* inflated sizes stay within :data:`_MAX_UNZIPPED` (a
    declared size can lie); read in steps, stopping as soon as the budget is spent."""
    budget = min(_MAX_UNZIPPED, _MAX_ZIP_RATIO * max(len(data), 1))
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            with zf.open(info) as fh:
                while chunk := fh.read(_INFLATE_STEP):
                    total += len(chunk)
                    if total > budget:
                        return False
    return True


def _pdf_inflated_size(data: bytes, budget: int) -> int:
    """Total inflated size of the zlib (FlateDecode) streams of a PDF, counted until it passes
    ``budget`` (then a value over ``budget`` is returned). Never inflates more than
    ``budget`` + one step; streams that are not zlib data are skipped."""
    total = 0
    pos = 0
    while total <= budget:
        m = _STREAM.search(data, pos)
        if m is None:
            break
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        pos = end
        inflater = zlib.decompressobj()
        pending = data[start:end]
        try:
            while pending and total <= budget:
                total += len(inflater.decompress(pending, _INFLATE_STEP))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue
    return total


def _docx_cell(cell: object) -> str:
    lines = [p.text.strip() for p in cell.paragraphs]  # type: ignore[attr-defined]
    return " / ".join(line for line in lines if line)


def _docx_table(table: object) -> list[str]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        seen: list[object] = []
        cells = []
        # Merged cells come back once per grid column; keep each once.
        for cell in row.cells:
            if any(cell._tc is s for s in seen):
                continue
            seen.append(cell._tc)
            cells.append(_docx_cell(cell))
        filled = [c for c in cells if c]
        if filled:
            rows.append(" | ".join(filled))
    return rows


def _docx_blocks(container: object) -> list[str]:
    from docx.table import Table

    out: list[str] = []
    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            out.extend(_docx_table(block))
        else:
            out.append(block.text)
    return out


def _read_docx(data: bytes) -> str:
    from docx import Document

    problem = _check_zip(data)
    if problem:
        raise _Unreadable(problem)
    doc = Document(io.BytesIO(data))
    lines: list[str] = []
    headers: list[str] = []
    # Letterheads (organisation, address) sit in the section header.
    for section in doc.sections[:1]:
        headers = [t for t in _docx_blocks(section.header) if t.strip()]
    lines.extend(headers)
    if headers:
        lines.append("")
    lines.extend(_docx_blocks(doc))
    return "\n".join(lines)


def _read_pdf(data: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if _pdf_inflated_size(data, MAX_PDF_INFLATED) > MAX_PDF_INFLATED:
        raise _Unreadable("the PDF expands to too much content to read safely")
    try:
        text = extract_text(io.BytesIO(data), maxpages=_MAX_PDF_PAGES)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _Unreadable("the PDF is password-protected") from exc
    if not text.strip():
        raise _Unreadable("the PDF has no text layer (it may be a scanned image)")
    return text


def _read_rtf(data: bytes) -> str:
    from striprtf.striprtf import rtf_to_text

    text = rtf_to_text(decode_bytes(data, "cp1252").text, errors="ignore")  # type: ignore[no-untyped-call]
    return str(text)


def _as_text(value: object, fallback_charset: str | None = None) -> str:
    if isinstance(value, bytes):
        return decode_bytes(value.rstrip(b"\x00"), fallback_charset).text
    return str(value or "")


def _read_tnef(data: bytes, depth: int = 0) -> str:
    """Body (plain, else HTML, else RTF) and the text of each contained file."""
    from tnefparse.tnef import TNEF

    try:
        tnef = TNEF(data, do_checksum=False)
    except Exception as exc:  # noqa: BLE001 - tnefparse raises many kinds on bad input
        raise _Unreadable("the winmail.dat (TNEF) file could not be read") from exc
    parts: list[str] = []
    if tnef.body:
        parts.append(_as_text(tnef.body))
    elif tnef.htmlbody:
        parts.append(html_to_text(_as_text(tnef.htmlbody)))
    elif tnef.has_body():
        rtf = tnef.rtfbody
        if isinstance(rtf, bytes) and rtf.lstrip().startswith(b"{\\rtf"):
            parts.append(_read_rtf(rtf))
    for att in tnef.attachments:
        name = _safe_tnef_name(att)
        payload = att.data if isinstance(att.data, bytes) else b""
        if not payload or depth >= _MAX_TNEF_DEPTH:
            continue
        text, _ = _read(payload, "application/octet-stream", name, None, depth + 1)
        if text:
            parts.append(f"[{name or 'attachment'}]\n{text}")
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    if not text:
        raise _Unreadable("the winmail.dat (TNEF) file holds no readable text")
    return text


def _safe_tnef_name(att: object) -> str:
    try:
        return str(att.long_filename() or "")  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a damaged name must not stop the reading
        return ""


class _Unreadable(Exception):
    """A reading failure whose message is fit for a reviewer (and holds no personal data)."""


_READERS: dict[str, Callable[[bytes], str]] = {
    "docx": _read_docx,
    "pdf": _read_pdf,
    "rtf": _read_rtf,
}


def _read(
    data: bytes, content_type: str, filename: str | None, charset: str | None, depth: int
) -> tuple[str | None, str | None]:
    kind = attachment_kind(data, content_type, filename)
    if not kind:
        reason = _UNREAD_DOCS.get(_ext(filename))
        return None, reason
    if len(data) > MAX_READ_BYTES:
        return None, f"not read: larger than {MAX_READ_BYTES // (1024 * 1024)} MB"
    if kind == "pdf" and b"%PDF-" not in data[:1024]:
        # Named or declared a PDF but not one (ISO 32000-1 section 7.5.2: the header is in the
        # first 1,024 bytes): pdfminer would only spend time failing on it (issue 11).
        return None, "the PDF is damaged (it does not start as a PDF)"
    try:
        if kind == "tnef":
            raw = _read_tnef(data, depth)
        elif kind == "text":
            raw = decode_bytes(data, charset).text
        elif kind == "html":
            raw = html_to_text(decode_bytes(data, charset).text)
        else:
            raw = _READERS[kind](data)
    except _Unreadable as exc:
        return None, str(exc)
    except RecursionError:
        return None, f"the {_LABELS[kind]} is nested too deeply to read"
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a note, never a crash
        return None, f"the {_LABELS[kind]} could not be read ({type(exc).__name__})"
    return _finish(raw), None


def read_attachment_text(
    data: bytes,
    *,
    content_type: str,
    filename: str | None,
    charset: str | None = None,
) -> tuple[str | None, str | None]:
    """Read the text of one attachment.

    :param data: the decoded payload bytes.
    :param content_type: the declared MIME type, lower case (``application/pdf``).
    :param filename: the declared file name, or None.
    :param charset: the declared charset of a text/* attachment, or None.
    :returns: ``(text, error)``. ``text`` is normalised (see :func:`parsing.text.normalise_text`)
        and at most :data:`MAX_TEXT_CHARS` characters; .docx tables come out one row per line,
        ``cell | cell`` (lines inside a cell joined by `` / ``), after the first section's
        header (letterhead); TNEF gives its body then each contained file's text under a
        ``[filename]`` line. ``(None, reason)`` when reading failed or the type is a document
        we do not read (.doc, .xlsx ...); ``(None, None)`` for types never read (images).
        Attachments over :data:`MAX_READ_BYTES` are not read. Never raises.
    """
    try:
        return _read(data, content_type.lower(), filename, charset, 0)
    except Exception as exc:  # noqa: BLE001 - last guard: reading must never fail the parse
        return None, f"could not be read ({type(exc).__name__})"
