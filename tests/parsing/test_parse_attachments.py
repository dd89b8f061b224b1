"""Reading text out of attachments: .docx, PDF, TNEF, RTF, text; failures become notes."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

import docx

from parsing.attachments import MAX_READ_BYTES, attachment_kind, read_attachment_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_docx() -> bytes:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "Northshire Hospitals NHS Foundation Trust"
    doc.add_paragraph("Dear colleagues,")
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Priya Shah"
    table.cell(1, 0).text = "Email"
    table.cell(1, 1).text = "priya.shah@nhs.net"
    table.cell(2, 0).text = "Telephone"
    cell = table.cell(2, 1)
    cell.text = "07700 900123"
    cell.add_paragraph("ext 4905")
    doc.add_paragraph("Yours sincerely,")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica, with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tnef_attr(level: int, name: int, data: bytes, ptype: int = 0x0001) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BHHI", level, name, ptype, len(data)) + data + struct.pack("<H", checksum)


def make_tnef() -> bytes:
    """A winmail.dat with a plain body and one contained text file."""
    return (
        struct.pack("<IH", 0x223E9F78, 1)
        + tnef_attr(1, 0x800C, b"Our PSS is Priya Shah.\x00")
        + tnef_attr(2, 0x9002, b"\x01\x00\xff\xff\xff\xff")
        + tnef_attr(2, 0x8010, b"details.txt\x00")
        + tnef_attr(2, 0x800F, b"Email: priya.shah@nhs.net")
    )


def test_docx_paragraphs_header_and_table_rows() -> None:
    text, error = read_attachment_text(make_docx(), content_type=DOCX, filename="letter.docx")
    assert error is None
    assert text == (
        "Northshire Hospitals NHS Foundation Trust\n\n"
        "Dear colleagues,\n"
        "Name | Priya Shah\n"
        "Email | priya.shah@nhs.net\n"
        "Telephone | 07700 900123 / ext 4905\n"
        "Yours sincerely,"
    )


def test_damaged_docx_is_a_note_not_an_exception() -> None:
    text, error = read_attachment_text(b"not a zip", content_type=DOCX, filename="a.docx")
    assert text is None
    assert error == "the Word document is damaged (not a valid .docx)"


def test_docx_zip_bomb_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\x00" * (50 * 1024 * 1024))
    text, error = read_attachment_text(buf.getvalue(), content_type=DOCX, filename="b.docx")
    assert text is None
    assert error == "the Word document expands too much to read safely"


def test_docx_entry_lying_about_its_size_is_not_inflated() -> None:
    # B1: declared sizes say 1 KB, the data inflates to 30 MB.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\x00" * (30 * 1024 * 1024))
    data = bytearray(buf.getvalue())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 1024)
    struct.pack_into("<I", data, central + 24, 1024)
    started = time.monotonic()
    text, error = read_attachment_text(bytes(data), content_type=DOCX, filename="b.docx")
    assert time.monotonic() - started < 2
    assert text is None
    assert error == "the Word document is damaged (not a valid .docx)"


def flate_pdf(ops: bytes) -> bytes:
    """A one-page PDF whose /Contents is ``ops`` compressed with FlateDecode."""
    pdf = make_pdf("x")
    comp = zlib.compress(ops, 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream"
    start = pdf.index(b"5 0 obj\n")
    end = pdf.index(b"endobj", start)
    return pdf[:start] + b"5 0 obj\n" + stream + b"\n" + pdf[end:]


def test_pdf_flate_bomb_is_refused_quickly() -> None:
    # B1: 30 MB of page operators in ~60 KB; pdfminer would run for minutes on the full
    # 160 MB version. The pre-scan stops inflating at the 20 MB budget.
    bomb = flate_pdf(b"BT /F1 12 Tf " + b"(aaaaaaaaaa) Tj " * 2_000_000 + b"ET")
    started = time.monotonic()
    text, error = read_attachment_text(bomb, content_type="application/pdf", filename="n.pdf")
    assert time.monotonic() - started < 2
    assert text is None
    assert error == "the PDF expands to too much content to read safely"


def test_pdf_with_a_flate_stream_is_still_read() -> None:
    ops = b"BT /F1 12 Tf 72 720 Td (Nominee: Priya Shah) Tj ET"
    text, error = read_attachment_text(
        flate_pdf(ops), content_type="application/pdf", filename="letter.pdf"
    )
    assert error is None
    assert text == "Nominee: Priya Shah"


def test_pdf_text() -> None:
    text, error = read_attachment_text(
        make_pdf("Nominee: Priya Shah 07700 900123"),
        content_type="application/pdf",
        filename="letter.pdf",
    )
    assert error is None
    assert text == "Nominee: Priya Shah 07700 900123"


def test_broken_pdf_is_a_note() -> None:
    text, error = read_attachment_text(
        b"%PDF-1.4\ngarbage", content_type="application/pdf", filename="x.pdf"
    )
    assert text is None
    assert error == "the PDF could not be read (PDFSyntaxError)"


def test_tnef_body_and_contained_file() -> None:
    text, error = read_attachment_text(
        make_tnef(), content_type="application/ms-tnef", filename="winmail.dat"
    )
    assert error is None
    assert text == "Our PSS is Priya Shah.\n\n[details.txt]\nEmail: priya.shah@nhs.net"


def test_unreadable_tnef_sets_error() -> None:
    text, error = read_attachment_text(
        b"\x78\x9f\x3e\x22garbage", content_type="application/ms-tnef", filename="winmail.dat"
    )
    assert text is None
    assert error is not None and "winmail.dat" in error


def test_rtf() -> None:
    rtf = rb"{\rtf1\ansi Name: Priya Shah\par Trust\'92s PSS}"
    text, error = read_attachment_text(rtf, content_type="application/rtf", filename="a.rtf")
    assert error is None
    assert text == "Name: Priya Shah\nTrust’s PSS"


def test_text_and_html_attachments() -> None:
    assert read_attachment_text(
        b"Zo\xeb", content_type="text/plain", filename="a.txt", charset="iso-8859-1"
    ) == ("Zoë", None)
    assert read_attachment_text(
        b"<p>Name</p><p>Priya</p>", content_type="text/html", filename="a.htm"
    ) == ("Name\nPriya", None)


def test_types_not_read() -> None:
    assert read_attachment_text(b"\x89PNG", content_type="image/png", filename="a.png") == (
        None,
        None,
    )
    text, error = read_attachment_text(
        b"\xd0\xcf\x11\xe0", content_type="application/msword", filename="Letter.DOC"
    )
    assert text is None and error == "Word 97-2003 (.doc) files are not read"


def test_too_large_is_not_read() -> None:
    big = b"a" * (MAX_READ_BYTES + 1)
    text, error = read_attachment_text(big, content_type="text/plain", filename="big.txt")
    assert text is None
    assert error == "not read: larger than 20 MB"


def test_kind_by_extension_type_and_magic() -> None:
    assert attachment_kind(b"", "application/octet-stream", "x.PDF") == "pdf"
    assert attachment_kind(b"%PDF-1.7", "application/octet-stream", None) == "pdf"
    assert attachment_kind(b"", "application/octet-stream", "WINMAIL.DAT") == "tnef"
    assert attachment_kind(b"", DOCX, None) == "docx"
    assert attachment_kind(b"", "image/jpeg", "a.jpg") == ""
