"""The zip packages Office, OpenDocument and EPUB files are: opened only when they are
what they say and safe to unpack, and written back with only the changed parts replaced.

Refused, in one line, before anything is unpacked or written: a file that is no zip, an
OLE container (a password-protected Office file, or the old .doc/.ppt formats), an
encrypted OpenDocument file, one with macros, one without its main part, and one whose
parts unpack to more than MAX_UNPACKED_BYTES or more than MAX_PACKING_RATIO times their
packed size (a zip bomb).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from typing import TypeVar

from debrief.errors import InputError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKING_RATIO = 200
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office keeps macros in vbaProject.bin, OpenDocument in its top-level Basic/ and Scripts/.
_MACRO_FOLDERS = ("Basic/", "Scripts/")


def zip_names(data: bytes) -> set[str]:
    """The entries of the zip `data`, or none when it is no zip."""
    if not data.startswith(b"PK"):
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except zipfile.BadZipFile:
        return set()


def zip_member(data: bytes, member: str, max_bytes: int = 4096) -> bytes:
    """The first `max_bytes` of one entry of the zip `data` (b"" if it has none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as entry:
            return entry.read(max_bytes)
    except (zipfile.BadZipFile, KeyError, OSError):
        return b""


def open_package(data: bytes, name: str, *, kind: str, main_part: str) -> zipfile.ZipFile:
    """The zip `data` opened, once it is checked to be a `kind` document (with its
    `main_part`) that debrief will unpack; a one-line InputError otherwise."""
    if data.startswith(OLE_SIGNATURE):
        raise InputError(
            f"{name} is password-protected or in an old binary format; save it as an "
            f"unprotected {kind} and try again"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(
            f"{name} is not a {kind} document (not a zip file); is it damaged?"
        ) from None
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    if main_part not in names:
        archive.close()
        raise InputError(f"{name} is a zip file but no {kind} document (no {main_part})")
    if any(e.endswith("vbaProject.bin") or e.startswith(_MACRO_FOLDERS) for e in names):
        archive.close()
        raise InputError(
            f"{name} holds macros; debrief does not open documents with macros: save it "
            f"as a {kind} without them"
        )
    unpacked = sum(entry.file_size for entry in entries)
    packed = max(sum(entry.compress_size for entry in entries), 1)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * packed:
        archive.close()
        raise InputError(
            f"{name} unpacks to {unpacked / 1024 / 1024:,.0f} MB from "
            f"{packed / 1024 / 1024:,.1f} MB; debrief does not open documents that large "
            "or that packed"
        )
    manifest = "META-INF/manifest.xml"
    if manifest in names and b"encryption-data" in read_part(archive, manifest, name):
        archive.close()
        raise InputError(f"{name} is password-protected; save it without a password and try again")
    return archive


Loaded = TypeVar("Loaded")


def load_package(
    data: bytes, name: str, *, kind: str, main_part: str, load: Callable[[io.BytesIO], Loaded]
) -> Loaded:
    """`data` checked as `open_package` checks it, then loaded by a library (python-docx,
    python-pptx); what the library raises on a damaged part becomes one line."""
    open_package(data, name, kind=kind, main_part=main_part).close()
    try:
        return load(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(f"{name} could not be read as a {kind} document ({error})") from None
    except Exception as error:  # the libraries raise lxml's errors and their own
        raise InputError(
            f"{name} could not be read as a {kind} document ({type(error).__name__})"
        ) from None


def read_part(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """One part of an opened package, or a one-line InputError naming the document."""
    try:
        return archive.read(member)
    except KeyError:
        raise InputError(f"{name} lacks its part {member}; is it damaged?") from None
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise InputError(f"{name}: its part {member} could not be unpacked ({error})") from None


def replaced_parts(archive: zipfile.ZipFile, parts: Mapping[str, bytes]) -> bytes:
    """The package again, entry for entry in the same order and with the same
    compression, with the entries named in `parts` holding their new bytes (an
    OpenDocument's uncompressed mimetype stays first, as readers require)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as rewritten:
        for entry in archive.infolist():
            data = parts[entry.filename] if entry.filename in parts else archive.read(entry)
            rewritten.writestr(entry, data, compress_type=entry.compress_type)
    return output.getvalue()
