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
from decimal import ROUND_DOWN, ROUND_UP

import filetype
from PIL import ExifTags, Image, ImageMode, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, EncodedStreamObject, StreamObject

from caseflow.documents.active_content import WORDING, TooManyObjects, active_content
from caseflow.formats import listing, megapixels, number, size
from caseflow.i18n import _

# filetype's extension for each type a document may be (the workflow files' `accept` names).
_DETECTED = {"pdf": "pdf", "jpg": "jpeg", "png": "png"}
MEDIA_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
# A scan of an A4 page at 600 dpi is 34.8 megapixels; a document needs no more, and the time decoding
# and re-encoding take grows with the pixels whatever their depth.
MAX_PIXELS = 40_000_000
# The memory an image may take while it is checked: its decoded pixels as Pillow keeps them, and the
# copy made to turn a photo upright or to convert a CMYK JPEG, or the coefficients a progressive JPEG's
# decoder holds.  A 40-megapixel colour scan takes 160 MB; a 24.5-megapixel phone photo turned upright
# 196 MB.  (A 170 KB PNG of 59.9 megapixels took a worker from 138 to 576 MB when only the pixels were
# capped, at 60 million: issue 12.)
MAX_IMAGE_MEMORY = 200_000_000
# The modes a re-encoded JPEG keeps; any other (CMYK) is stored as RGB, which every viewer shows alike.
_JPEG_MODES = ("L", "RGB")
MAX_NAME = 150
# The objects of a PDF visited to look for scripts and actions (resources and the structure tree are
# skipped): two manuals typeset with their links and outlines took 9 and 35 a page (so 570 pages or
# more fit); a crafted 8 MB file of 150,000 took 4 s and 200 MB to walk.
MAX_PDF_OBJECTS = 20_000
# The drawing instructions of all a PDF's pages, decoded, where a page of text takes a few KB: more is a
# compression bomb (a 10 MB upload could unpack to 13 GB).
MAX_PDF_CONTENT = 100 * 1024 * 1024
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
            if _content_beyond(reader, MAX_PDF_CONTENT):
                raise Refused(_("This PDF's pages unpack to more than %(max)s, far more than a document needs. "
                                "Print it to a new PDF (in the print window, choose “Save as PDF” or “Microsoft "
                                "Print to PDF”) or scan the paper, and upload the new file.",
                                max=size(MAX_PDF_CONTENT)))
            try:
                found = active_content(reader, MAX_PDF_OBJECTS)
            except TooManyObjects:
                raise Refused(_("This PDF is made of more than %(max)s objects, too many to check. Print it to a "
                                "new PDF (in the print window, choose “Save as PDF” or “Microsoft Print to PDF”) "
                                "and upload the new file.", max=number(MAX_PDF_OBJECTS))) from None
            if found:
                raise Refused(_("This PDF contains %(found)s. PDFs with scripts, automatic actions or attached files "
                                "are not accepted: print it to a new PDF (in the print window, choose “Save as "
                                "PDF” or “Microsoft Print to PDF”) or save it as PDF/A, and upload the new file.",
                                found=listing(WORDING[kind] for kind in found)))
    except Refused:
        raise
    # NotImplementedError: a filter pypdf does not know (a made-up one, or JBIG2 without its decoder).
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            NotImplementedError):
        raise Refused(_("This PDF cannot be read; it may be damaged. Save it again and upload the new "
                        "file.")) from None
    return data


def _content_beyond(reader: PdfReader, limit: int) -> bool:
    """Decode every page's content, one stream at a time; return whether they come to more than ``limit`` bytes.

    pypdf's own ``get_contents`` keeps what it decoded on the stream, for the reader's life: a 2.8 MB file
    of 40 pages of 70 MB each took 2.9 GB.  Decoded here, each is let go before the next.
    """
    left = limit
    for page in reader.pages:
        contents = page.get("/Contents")
        contents = None if contents is None else contents.get_object()
        for stream in contents if isinstance(contents, ArrayObject) else [contents]:
            stream = None if stream is None else stream.get_object()
            if isinstance(stream, EncodedStreamObject):  # one with a /Filter
                left -= len(decode_stream_data(stream))
            elif isinstance(stream, StreamObject):
                left -= len(stream.get_data())
            if left < 0:
                return True
    return False


def _reencode(data: bytes, file_type: str) -> bytes:
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns above ~89 megapixels, beyond MAX_PIXELS: a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                turn, mode = _decoding_plan(probe, file_type)
                probe.verify()  # checks the structure; the image must be opened again to decode it
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                if turn:  # keep a phone photo upright without its EXIF, in place: no second copy
                    ImageOps.exif_transpose(image, in_place=True)
                out = io.BytesIO()
                if file_type == "jpeg":
                    # No optimize: its Huffman pass buffers the whole image again, for a few per cent of size.
                    (image if image.mode == mode else image.convert(mode)).save(out, "JPEG", quality=90)
                else:
                    image.save(out, "PNG", optimize=True)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(_("This image has far more than %(max)s; scan it at a lower resolution (300 dpi is "
                        "enough for a document) and upload it again.", max=megapixels(MAX_PIXELS))) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Refused(_("This image cannot be read; it may be damaged or cut off. Save it again and upload "
                        "the new file.")) from None
    return out.getvalue()


def _decoding_plan(probe: Image.Image, file_type: str) -> tuple[bool, str]:
    """Refuse an image too large to decode; return whether to turn it upright and the mode to store it in.

    Only the header is read: the size, the mode and the EXIF orientation are known before any pixel is
    decoded, and so is what decoding will cost.
    """
    # The base class reads only what the header gave; a PNG's own getexif decodes the image to look for
    # an EXIF chunk after the pixels.
    turn = Image.Image.getexif(probe).get(ExifTags.Base.Orientation, 1) not in (1, None)
    mode = probe.mode if file_type == "png" or probe.mode in _JPEG_MODES else "RGB"
    own = _pixel_bytes(probe.mode)
    # Besides the decoded pixels, one thing at a time: the decoder's buffer, the upright copy, the converted one.
    per_pixel = own + max(_decoder_bytes(probe), own if turn else 0, _pixel_bytes(mode) if mode != probe.mode else 0)
    pixels, limit = probe.width * probe.height, min(MAX_PIXELS, int(MAX_IMAGE_MEMORY / per_pixel))
    if pixels > limit:
        raise Refused(_("This image is %(size)s (%(width)s × %(height)s pixels); at most %(max)s are accepted. "
                        "Scan it at a lower resolution (300 dpi is enough for a document) and upload it again.",
                        size=megapixels(pixels, ROUND_UP), max=megapixels(limit, ROUND_DOWN),
                        width=number(probe.width), height=number(probe.height)))
    return turn, mode


def _decoder_bytes(probe: Image.Image) -> float:
    """Return the bytes per pixel the decoder holds until it is done.

    A progressive JPEG keeps every DCT coefficient of the image (16 bits each, per sample of each
    component: 3 bytes a pixel for colour subsampled 4:2:0) until its last scan; other decoders work
    a row at a time.
    """
    layers = getattr(probe, "layer", None)  # a JPEG's components: (id, horizontal, vertical sampling, table)
    if not probe.info.get("progressive") or not layers:
        return 0
    widest, tallest = max(1, *(layer[1] for layer in layers)), max(1, *(layer[2] for layer in layers))
    return 2 * sum(layer[1] * layer[2] for layer in layers) / (widest * tallest)


def _pixel_bytes(mode: str) -> int:
    """Return the bytes Pillow keeps per pixel of ``mode``.

    Several bands take 4 (RGB is padded to 32 bits, and 16-bit colour is read as 8-bit); one band takes
    its sample's size: 1 for L, P and 1-bit, 2 for 16-bit grey, 4 for I and F.
    """
    described = ImageMode.getmode(mode)
    return 4 if len(described.bands) > 1 else int(described.typestr[-1])
