"""Check an uploaded file by its content before anything is stored.

What the uploader's browser says (the name's extension, the content type) is
never trusted: the first bytes say what a file is (``filetype``), a PDF must
parse (``pypdf``) and end with its end-of-file marker, an image must decode
(Pillow) and is stored re-encoded, which also drops its metadata (a phone
photo's GPS position) and anything appended to it.
"""

from __future__ import annotations

import io
import logging
import unicodedata
import warnings
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from caseflow.formats import size
from caseflow.i18n import _

# filetype's extension for each type a document may be (the workflow files' `accept` names).
_DETECTED = {"pdf": "pdf", "jpg": "jpeg", "png": "png"}
MEDIA_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
# A scan of an A4 page at 600 dpi is about 35 megapixels; more is not a document photo but a
# decompression bomb (a small file that decodes into gigabytes).
MAX_PIXELS = 60_000_000
MAX_NAME = 150
# The PDF standard puts %%EOF at the end; a file cut off in transfer lacks it.
_PDF_TAIL = 1024

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd but readable files are noise


class Refused(Exception):
    """An upload that is not stored, with the reason the uploader reads."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    file_type: str  # pdf, jpeg or png
    content: bytes  # what is stored: the PDF as sent, an image re-encoded
    file_name: str  # the uploader's name, cleaned, for display only


def clean_name(name: str | None) -> str:
    """Return the uploader's file name fit for display; refuse one that names folders.

    Browsers send a bare name; "../" or a path means a crafted request, and a
    clear refusal is better than guessing which part was meant.
    """
    name = unicodedata.normalize("NFC", (name or "").strip())
    if "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise Refused(_("The file name may not contain folders (“/”, “\\” or “..”); rename the file and "
                        "upload it again."))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # no control characters
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:MAX_NAME - len(extension) - 1] + dot + extension) if dot and len(extension) < 10 \
            else name[:MAX_NAME]
    return name or "document"


def check_upload(name: str | None, data: bytes, accept: tuple[str, ...], max_bytes: int) -> Checked:
    """Return the file to store, or raise Refused saying why it is not accepted."""
    file_name = clean_name(name)
    if not data:
        raise Refused(_("The file is empty. Choose the file again; if it is still empty, save it again "
                        "from the program that made it."))
    if len(data) > max_bytes:
        raise Refused(_("The file is %(size)s; at most %(max)s are accepted. Scan it at a lower resolution "
                        "or save it smaller.", size=size(len(data)), max=size(max_bytes)))
    guess = filetype.guess(data)
    file_type = _DETECTED.get(guess.extension) if guess is not None else None
    if file_type is None:
        what = guess.extension.upper() if guess is not None else _("unknown")  # "DOCX": a code, in any language
        raise Refused(_("This file is not a PDF, JPEG or PNG, whatever its name says (its content is %(what)s). "
                        "Save it as one of these.", what=what))
    if file_type not in accept:
        raise Refused(_("This document must be %(types)s; the file is a %(type)s.",
                        types=" / ".join(t.upper() for t in accept), type=file_type.upper()))
    content = _check_pdf(data) if file_type == "pdf" else _reencode(data, file_type)
    return Checked(file_type=file_type, content=content, file_name=file_name)


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-_PDF_TAIL:]:
        raise Refused(_("This PDF is incomplete (it was cut off, perhaps in transfer). Save or download it "
                        "again and upload the new file."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Refused(_("This PDF is protected by a password; the office cannot open it. Save it "
                                "without the password and upload it again."))
            if len(reader.pages) == 0:
                raise Refused(_("This PDF has no pages."))
            for page in reader.pages:
                page.get_contents()
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise Refused(_("This PDF cannot be read; it may be damaged. Save it again and upload the new "
                        "file.")) from None
    return data


def _reencode(data: bytes, file_type: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise Refused(_("This image is too large (%(width)d × %(height)d pixels); scan it at a "
                                    "lower resolution.", width=probe.width, height=probe.height))
                probe.verify()  # checks the structure; the image must be opened again to decode it
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)  # keep a phone photo upright without its EXIF
                out = io.BytesIO()
                if file_type == "jpeg":
                    image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
                else:
                    image.save(out, "PNG", optimize=True)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(_("This image is too large in pixels; scan it at a lower resolution.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Refused(_("This image cannot be read; it may be damaged or cut off. Save it again and upload "
                        "the new file.")) from None
    return out.getvalue()

