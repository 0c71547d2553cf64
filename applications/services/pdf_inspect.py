"""What an uploaded PDF carries besides pages: parsed with pypdf, not guessed from its first bytes.

A file that starts with ``%PDF-`` is refused when anywhere in it there is

- HTML or script (a polyglot that a browser could render as a page): markers searched in the whole file;
- JavaScript or an action that runs something: /JS, /JavaScript, /Launch, /AA (additional actions),
  /OpenAction or any action of type JavaScript, Launch, ImportData, GoToE, SubmitForm or Rendition;
- embedded files or rich media: /EmbeddedFile(s), /EF, /RichMedia;
- a structure pypdf cannot read at all (a damaged or disguised file), or encryption it cannot open.

Every indirect object is read, the ones inside compressed object streams too, so a name hidden in a
compressed stream or spelt with #xx escapes is found; the raw scan of the bytes catches what a broken
cross-reference table would hide from the parser.
"""

import re

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

CHUNK = 1024 * 1024
OVERLAP = 64
# long markers only: the whole file is searched, and short ones would turn up by chance in compressed data
HTML_IN_BODY = (b"<script", b"<html", b"<!doctype html", b"<iframe", b"<body", b"javascript:", b"<object",
                b"<embed", b"<svg ", b"<svg>", b"onload=", b"onerror=")
RAW_NAMES = re.compile(rb"/(?:JS|JavaScript|Launch|AA|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9#])")
ACTIVE_KEYS = {"/JS": "script", "/JavaScript": "script", "/Launch": "launch", "/AA": "action",
               "/EmbeddedFile": "embedded", "/EmbeddedFiles": "embedded", "/EF": "embedded",
               "/RichMedia": "embedded", "/XFA": "script"}
ACTIVE_ACTIONS = {"/JavaScript": "script", "/Launch": "launch", "/ImportData": "launch", "/GoToE": "embedded",
                  "/SubmitForm": "action", "/Rendition": "script"}
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_OBJECTS = 200_000


def _raw_scan(fileobj):
    """(problem from the bytes themselves or None, whether the file has any stream). Names are searched as
    written and with their #xx escapes decoded (/J#53 is /JS)."""
    fileobj.seek(0)
    tail, streams = b"", False
    while chunk := fileobj.read(CHUNK):
        window = tail + chunk
        lowered = window.lower()
        if any(marker in lowered for marker in HTML_IN_BODY):
            return "html", streams
        streams = streams or b"stream" in window
        found = RAW_NAMES.search(window) or RAW_NAMES.search(NAME_ESCAPE.sub(_unescape, window))
        if found:
            return ACTIVE_KEYS.get(found.group().decode("latin-1"), "script"), streams
        tail = window[-OVERLAP:]
    return None, streams


def _unescape(match):
    return bytes([int(match.group(1), 16)])


def _walk(node, budget):
    """The first active feature in ``node`` (dicts and arrays, not following indirect references)."""
    stack = [node]
    while stack:
        budget[0] -= 1
        if budget[0] < 0:
            return "too_complex"
        item = stack.pop()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
                if key == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                    return ACTIVE_ACTIONS[value]
                if key == "/OpenAction" and isinstance(value, DictionaryObject | IndirectObject):
                    stack.append(value.get_object())
                elif not isinstance(value, IndirectObject):
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in item if not isinstance(v, IndirectObject))
    return None


def _parsed_scan(fileobj):
    fileobj.seek(0)
    reader = PdfReader(fileobj, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):  # only an empty user password lets us look inside
        return "encrypted"
    found = _walk(reader.trailer, budget := [MAX_OBJECTS])
    if found:
        return found
    numbers = {(num, gen) for gen, objects in reader.xref.items() for num in objects}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    for num, gen in sorted(numbers):
        found = _walk(reader.get_object(IndirectObject(num, gen, reader)), budget)
        if found:
            return found
    return None


def pdf_problem(fileobj):
    """None for a plain document, else what makes it unsafe: 'html', 'script', 'launch', 'action', 'embedded',
    'encrypted', 'damaged' or 'too_complex'."""
    found, streams = _raw_scan(fileobj)
    if found is None:
        try:
            found = _parsed_scan(fileobj)
        except (PdfReadError, PdfStreamError, ValueError, TypeError, KeyError, AttributeError, IndexError,
                RecursionError, OSError):
            # A file pypdf cannot index is accepted only when it has no stream at all: then every byte of it is
            # plain text and the raw scan above has seen it whole. Compressed data must be parsed to be checked.
            found = "damaged" if streams else None
    fileobj.seek(0)
    return found


def problem_label(problem):
    """The refusal's wording for ``pdf_problem``'s answer: what the file is, by its content."""
    return {
        "html": _("a PDF with an HTML page or script hidden inside"),
        "script": _("a PDF with JavaScript"),
        "launch": _("a PDF that starts programs"),
        "action": _("a PDF with automatic actions"),
        "embedded": _("a PDF with embedded files"),
        "encrypted": _("an encrypted PDF"),
        "damaged": _("a damaged PDF that cannot be read"),
        "too_complex": _("a PDF too complex to check"),
    }[problem]
