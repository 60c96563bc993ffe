"""Files are judged by their content: what is refused, with which message, and what is stored."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from caseflow.documents.inspection import Refused, check_upload, clean_name
from caseflow.documents.samples import sample_image, sample_pdf

ALL = ("pdf", "jpeg", "png")
MB = 1024 * 1024


def refusal(name, data, accept=ALL, max_bytes=10 * MB) -> str:
    with pytest.raises(Refused) as refused:
        check_upload(name, data, accept, max_bytes)
    return refused.value.message


@pytest.mark.parametrize(("name", "data", "file_type"), [
    ("passport.pdf", sample_pdf("Passport"), "pdf"),
    ("photo.jpg", sample_image("Photo", "jpeg"), "jpeg"),
    ("photo.png", sample_image("Photo", "png"), "png"),
    ("named-wrongly.png", sample_pdf("A PDF called .png"), "pdf"),  # the content decides, not the name
])
def test_each_accepted_type_is_recognised_by_its_content(name, data, file_type):
    assert check_upload(name, data, ALL, 10 * MB).file_type == file_type


def test_a_renamed_executable_is_refused_whatever_its_name():
    windows_program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
    assert "not a PDF, JPEG or PNG" in refusal("passport.pdf", windows_program)
    assert "not a PDF, JPEG or PNG" in refusal("photo.jpg", b"\x7fELF\x02\x01\x01" + bytes(100))
    assert "not a PDF, JPEG or PNG" in refusal("notes.pdf", b"just some text, no magic bytes")


def test_a_truncated_pdf_is_refused_as_incomplete():
    pdf = sample_pdf("Transcript")
    assert "incomplete" in refusal("transcript.pdf", pdf[: len(pdf) // 2])


def test_a_damaged_pdf_with_its_end_marker_is_refused_as_unreadable():
    assert "cannot be read" in refusal("x.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n"
                                                b"trailer << /Root 1 0 R >>\n%%EOF\n")


def test_a_truncated_image_is_refused():
    png = sample_image("Photo", "png")
    assert "cannot be read" in refusal("photo.png", png[:120])


def test_an_oversized_file_is_refused_naming_both_sizes():
    message = refusal("big.pdf", sample_pdf("Big") + bytes(2 * MB), max_bytes=1 * MB)
    assert "at most 1 MB" in message and "2 MB" in message


def test_an_empty_file_is_refused():
    assert "empty" in refusal("passport.pdf", b"")


@pytest.mark.parametrize("name", ["../passport.pdf", "..\\passport.pdf", "/etc/passwd", "scans/passport.pdf", ".."])
def test_a_file_name_with_folders_is_refused(name):
    assert "folders" in refusal(name, sample_pdf("Passport"))


def test_a_type_the_checklist_entry_does_not_take_is_refused():
    assert refusal("photo.pdf", sample_pdf("Photo"), accept=("jpeg", "png")) == (
        "This document must be JPEG / PNG; the file is a PDF.")


def test_images_are_stored_re_encoded_without_their_metadata():
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    stored = check_upload("p.jpg", out.getvalue() + b"<script>appended</script>", ALL, 10 * MB).content
    with Image.open(io.BytesIO(stored)) as again:
        assert again.size == (40, 30) and not again.getexif()
    assert b"PhoneMaker" not in stored and b"<script>" not in stored


def test_a_decompression_bomb_is_refused():
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")  # small file, 144 megapixels
    assert "too large" in refusal("bomb.png", bomb.getvalue())


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert "password" in refusal("locked.pdf", out.getvalue())


def test_names_are_cleaned_for_display():
    assert clean_name("  pass\x07port.pdf ") == "passport.pdf"
    assert clean_name("") == "document"
    long = clean_name("a" * 300 + ".pdf")
    assert len(long) <= 150 and long.endswith(".pdf")
