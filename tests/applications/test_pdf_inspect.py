"""PDF uploads are parsed (pypdf): script, launch actions, automatic actions, embedded files and HTML are refused
wherever they sit in the file, also inside compressed object streams; plain documents pass."""

import zlib
from io import BytesIO

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from applications.models import FileType
from applications.services.pdf_inspect import pdf_problem
from applications.services.uploads import detect_type
from tests.factories.applications import MINIMAL_PDF


def written(writer):
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    return writer


def with_open_action(action):
    writer = one_page()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return written(writer)


def hidden_in_object_stream():
    """A PDF whose only script sits in a compressed object stream (so no raw byte spells /JS or /JavaScript),
    found through its cross-reference stream."""
    action = b"<</S/JavaScript/JS(app.alert(1))>>"
    header = b"4 0 "
    objstm = zlib.compress(header + action)
    parts = [b"%PDF-1.5\n"]
    offsets = {}

    def add(num, body):
        offsets[num] = sum(len(p) for p in parts)
        parts.append(f"{num} 0 obj\n".encode() + body + b"\nendobj\n")

    add(1, b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>")
    add(2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>")
    add(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>")
    add(5, b"<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>stream\n" % (len(header), len(objstm))
        + objstm + b"\nendstream")
    xref_at = sum(len(p) for p in parts)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for num in range(1, 7):
        if num == 4:
            rows.append(b"\x02" + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        elif num == 6:
            rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x01" + offsets[num].to_bytes(4, "big") + b"\x00\x00")
    data = b"".join(rows)
    parts.append(b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>stream\n" % len(data) + data
                 + b"\nendstream\nendobj\n")
    parts.append(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return b"".join(parts)


def test_plain_documents_pass():
    assert pdf_problem(BytesIO(written(one_page()))) is None
    assert pdf_problem(BytesIO(MINIMAL_PDF)) is None  # no cross-reference table, no stream: read whole as text
    assert detect_type(BytesIO(written(one_page()))) == (FileType.PDF, "")


def test_script_in_a_compressed_object_stream_is_found_by_parsing():
    data = hidden_in_object_stream()
    assert b"JavaScript" not in data and b"/JS" not in data
    assert pdf_problem(BytesIO(data)) == "script"


@pytest.mark.parametrize("make, expected", [
    (lambda: with_open_action(JavaScript("app.alert(1)")), "script"),
    (lambda: with_open_action(DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                                NameObject("/F"): TextStringObject("calc.exe")})), "launch"),
    (lambda: with_open_action(DictionaryObject({NameObject("/S"): NameObject("/SubmitForm"),
                                                NameObject("/F"): TextStringObject("http://x.example")})), "action"),
    (lambda: written(_attached()), "embedded"),
    (lambda: written(one_page()).replace(b"/MediaBox", b"/AA<<>>/MediaBox"), "action"),
    (lambda: MINIMAL_PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/J#61vaScript/J#53(x)>>"),
     "script"),
])
def test_active_content_is_refused(make, expected):
    assert pdf_problem(BytesIO(make())) == expected


def _attached():
    writer = one_page()
    writer.add_attachment("setup.exe", b"MZ" + b"\x00" * 300)
    return writer


def test_polyglot_with_html_after_the_first_kilobyte_is_refused():
    data = written(one_page())
    polyglot = data[:-6] + b"\n%" + b" " * 2048 + b"\n<html><body><script>alert(document.cookie)</script>\n%%EOF\n"
    assert polyglot.startswith(b"%PDF-") and b"<script" not in polyglot[:1024]
    file_type, label = detect_type(BytesIO(polyglot))
    assert file_type is None and "HTML" in label


def test_damaged_pdf_with_streams_is_refused_but_never_crashes():
    hidden = hidden_in_object_stream()
    cut = hidden[:hidden.index(b"6 0 obj")]  # the script's object stream without the table that finds it
    assert pdf_problem(BytesIO(cut)) == "damaged"
    assert pdf_problem(BytesIO(b"%PDF-1.4\n1 0 obj<</Length 5>>stream\nxx\x00\x01")) == "damaged"
    file_type, label = detect_type(BytesIO(cut))
    assert file_type is None and "PDF" in label
