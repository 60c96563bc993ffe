"""Files are judged by their content: what is refused, with which message, and what is stored."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

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
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")  # small file, 144 megapixels: Pillow's own check warns
    assert "This image has far more than 40 MP; scan it at a lower resolution" in refusal("bomb.png", bomb.getvalue())


def test_a_password_protected_pdf_is_refused():
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


# ------------------------------------------------------- images: decoding bounded by memory


def picture(mode: str, size: tuple[int, int], file_type: str = "PNG", orientation: int = 1, **options) -> bytes:
    """Return an image of one colour (a small file, however many pixels), with an EXIF orientation if asked."""
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation  # Orientation: 6 is a phone held upright
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    Image.new(mode, size).save(out, file_type, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def png_of_59_9_megapixels() -> bytes:
    """The issue's upload: 59.9 megapixels in 190 KB, which took a worker from 138 to 576 MB."""
    return picture("RGB", (6_500, 9_215))


def test_an_image_over_40_megapixels_is_refused_naming_its_size_and_the_limit(png_of_59_9_megapixels):
    assert len(png_of_59_9_megapixels) < 250_000
    assert refusal("scan.png", png_of_59_9_megapixels) == (
        "This image is 59.9 MP (6,500 × 9,215 pixels); at most 40 MP are accepted. Scan it at a lower "
        "resolution (300 dpi is enough for a document) and upload it again.")


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "I;16", "1", "P"])
def test_one_row_over_40_megapixels_is_refused_whatever_the_depth(mode):
    # 40,005,000 pixels reads 40.1 MP, never "40 MP; at most 40 MP".
    assert "This image is 40.1 MP (5,000 × 8,001 pixels); at most 40 MP are accepted." in refusal(
        "scan.png", picture(mode, (5_000, 8_001)))


@pytest.mark.parametrize(("image", "limit"), [
    (picture("RGB", (5_000, 6_000), "JPEG", orientation=6), "25 MP"),  # turned upright: on a second copy
    (picture("CMYK", (5_000, 6_000), "JPEG"), "25 MP"),  # stored as RGB: converted on a second copy
    (picture("RGB", (5_000, 6_000), "JPEG", progressive=True), "28.5 MP"),  # its decoder holds every coefficient
], ids=["turned-phone-photo", "cmyk", "progressive"])
def test_an_image_whose_decoding_needs_more_memory_has_a_lower_limit(image, limit):
    assert f"This image is 30 MP (5,000 × 6,000 pixels); at most {limit} are accepted." in refusal("photo.jpg", image)


def test_the_same_pixels_needing_no_more_memory_are_accepted_and_a_turned_photo_stays_upright():
    plain = check_upload("photo.jpg", picture("RGB", (4_500, 6_000), "JPEG"), ALL, 10 * MB)
    with Image.open(io.BytesIO(plain.content)) as stored:
        assert stored.size == (4_500, 6_000)
    turned = check_upload("photo.jpg", picture("RGB", (4_000, 6_000), "JPEG", orientation=6), ALL, 10 * MB)
    with Image.open(io.BytesIO(turned.content)) as stored:
        assert stored.size == (6_000, 4_000) and not stored.getexif()


# Peak memory of a fresh process checking each file (the worker an upload reaches), in MB over its start.
_PEAK = """
import resource, sys
from caseflow.documents.inspection import Refused, check_upload
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for path in sys.argv[1:]:
    try:
        check_upload("scan.png", open(path, "rb").read(), ("png",), 10 * 1024 * 1024)
        outcome = "accepted"
    except Refused:
        outcome = "refused"
    print(outcome, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start) * 1024 / 1e6)
"""


def test_checking_an_image_takes_no_more_memory_than_its_decoded_pixels(tmp_path, png_of_59_9_megapixels):
    refused, accepted = tmp_path / "59.9.png", tmp_path / "39.9.png"
    refused.write_bytes(png_of_59_9_megapixels)
    accepted.write_bytes(picture("RGB", (5_300, 7_528)))
    run = subprocess.run([sys.executable, "-c", _PEAK, str(refused), str(accepted)], capture_output=True, text=True,
                         check=True)
    (first, peak_refused), (second, peak_accepted) = (line.split() for line in run.stdout.splitlines())
    assert (first, second) == ("refused", "accepted")
    assert float(peak_refused) < 20  # refused from its header: not one pixel decoded (it would take 240 MB)
    # 39.9 million pixels of 4 bytes: 160 MB, and no copy (the worker grew by 306 MB before).
    assert float(peak_accepted) < 180


# ------------------------------------------------- PDFs: no scripts, automatic actions or attachments


def pdf(dress=None) -> bytes:
    """Return a one-page PDF written by pypdf, after ``dress(writer, page)`` has added to it."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    if dress is not None:
        dress(writer, page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def entries(**values) -> DictionaryObject:
    """Return a PDF dictionary: ``entries(S=name("/URI"))`` is ``<< /S /URI >>``."""
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in values.items()})


def name(text: str) -> NameObject:
    return NameObject(text)


def script() -> DictionaryObject:
    return entries(S=name("/JavaScript"), JS=TextStringObject("app.alert('hello')"))


WEB_PAGE = entries(S=name("/URI"), URI=TextStringObject("https://tracker.example/opened"))
FIRST_PAGE = ArrayObject([NumberObject(0), name("/Fit")])


def in_catalogue(key: str, value):
    return lambda writer, page: writer._root_object.__setitem__(name(key), value)


def on_page(key: str, value):
    return lambda writer, page: page.__setitem__(name(key), value)


def link_to(target: DictionaryObject):
    """Put a link on the page that runs ``target`` when clicked."""
    def dress(writer, page):
        annotation = entries(Type=name("/Annot"), Subtype=name("/Link"), A=target,
                             Rect=ArrayObject([NumberObject(0)] * 4))
        page[name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return dress


def document_script(writer, page):
    names = ArrayObject([TextStringObject("greeting"), writer._add_object(script())])
    writer._root_object[name("/Names")] = entries(JavaScript=entries(Names=names))


REFUSED_PDFS = {
    "document-script": (document_script, "scripts"),
    "script-on-opening": (in_catalogue("/OpenAction", script()), "scripts and actions that run by themselves"),
    "web-page-on-opening": (in_catalogue("/OpenAction", WEB_PAGE), "actions that run by themselves"),
    "page-shown-action": (on_page("/AA", entries(O=WEB_PAGE)), "actions that run by themselves"),
    "script-behind-a-go-to": (in_catalogue("/OpenAction", entries(S=name("/GoTo"), D=FIRST_PAGE, Next=script())),
                              "scripts and actions that run by themselves"),
    "link-launching-a-program": (link_to(entries(S=name("/Launch"), F=TextStringObject("cmd.exe"))),
                                 "commands that start other programs"),
    "link-running-a-script": (link_to(script()), "scripts"),
    "attachment": (lambda writer, page: writer.add_attachment("invoice.exe", b"MZ\x90\x00"), "attached files"),
    "xfa-form": (in_catalogue("/AcroForm", entries(Fields=ArrayObject(), XFA=TextStringObject("<xdp/>"))), "scripts"),
}


@pytest.mark.parametrize(("dress", "found"), REFUSED_PDFS.values(), ids=REFUSED_PDFS.keys())
def test_a_pdf_with_scripts_automatic_actions_or_attachments_is_refused_saying_how_to_fix_it(dress, found):
    assert refusal("form.pdf", pdf(dress)) == (
        f"This PDF contains {found}. PDFs with scripts, automatic actions or attached files are not accepted: "
        "print it to a new PDF (in the print window, choose “Save as PDF” or “Microsoft Print to PDF”) or save it "
        "as PDF/A, and upload the new file.")


@pytest.mark.parametrize("dress", [
    None,
    in_catalogue("/OpenAction", FIRST_PAGE),  # where to open, as LibreOffice writes it
    in_catalogue("/OpenAction", entries(S=name("/GoTo"), D=FIRST_PAGE)),
    link_to(WEB_PAGE),  # a link the reader clicks: no more than one on paper
    on_page("/AA", NumberObject(7)),  # events that are no dictionary declare no action
], ids=["plain", "opening-destination", "opening-go-to", "web-link", "events-as-a-number"])
def test_a_pdf_that_only_opens_at_a_page_or_links_to_the_web_is_accepted_as_sent(dress):
    document = pdf(dress)
    assert check_upload("form.pdf", document, ALL, 10 * MB).content == document


@pytest.mark.parametrize(("document", "found"), [
    (pdf(in_catalogue("/OpenAction", entries(S=ArrayObject([name("/JavaScript")])))),
     "actions that run by themselves"),  # not a plain go-to: it may act
    (pdf(in_catalogue("/OpenAction", script())).replace(b"/S /JavaScript", b"/S 99 0 R    "),
     "scripts and actions that run by themselves"),  # its type is a reference to nothing
], ids=["type-is-an-array", "type-refers-to-nothing"])
def test_a_pdf_with_damaged_actions_is_refused_without_a_server_error(document, found):
    assert refusal("form.pdf", document).startswith(f"This PDF contains {found}. ")


def test_an_action_among_a_page_s_resources_is_not_looked_for_since_no_reader_runs_it_from_there():
    def hidden_in_resources(writer, page):
        page[name("/Resources")] = entries(XObject=entries(Im0=writer._add_object(script())))
    document = pdf(hidden_in_resources)
    assert check_upload("form.pdf", document, ALL, 10 * MB).content == document


def chain_of(count: int):
    """Add a catalogue entry leading through ``count`` objects."""
    def dress(writer, page):
        link = writer._add_object(entries())
        for _ in range(count - 1):
            link = writer._add_object(entries(Next=link))
        writer._root_object[name("/Chain")] = link
    return dress


def test_a_pdf_of_more_objects_than_are_checked_is_refused():
    assert check_upload("long.pdf", pdf(chain_of(19_990)), ALL, 10 * MB)  # and the catalogue, pages, page
    assert refusal("longer.pdf", pdf(chain_of(20_001))) == (
        "This PDF is made of more than 20,000 objects, too many to check. Print it to a new PDF (in the print "
        "window, choose “Save as PDF” or “Microsoft Print to PDF”) and upload the new file.")


def pages_drawing(*sizes: int):
    """Give the PDF one page per size, each drawn by a compressed stream of that many bytes (spaces)."""
    def dress(writer, page):
        for index, count in enumerate(sizes):
            drawing = DecodedStreamObject()
            drawing.set_data(b" " * count)
            (page if index == 0 else writer.add_blank_page(595, 842))[name("/Contents")] = writer._add_object(
                drawing.flate_encode())
    return dress


def test_a_pdf_whose_pages_unpack_to_more_than_100_mb_is_refused():
    bomb = pdf(pages_drawing(60 * MB, 60 * MB))  # 120 KB; each page alone would pass
    assert len(bomb) < 300_000
    assert refusal("bomb.pdf", bomb) == (
        "This PDF's pages unpack to more than 100 MB, far more than a document needs. Print it to a new PDF (in "
        "the print window, choose “Save as PDF” or “Microsoft Print to PDF”) or scan the paper, and upload the new "
        "file.")
    heavy = pdf(pages_drawing(60 * MB))
    assert check_upload("drawing.pdf", heavy, ALL, 10 * MB).content == heavy


def test_a_pdf_drawn_through_a_filter_nobody_knows_is_refused_as_unreadable():
    def unknown_filter(writer, page):
        drawing = DecodedStreamObject()
        drawing.set_data(b"BT /F1 18 Tf (Passport) Tj ET")
        drawing[name("/Filter")] = name("/NoSuchDecode")
        page[name("/Contents")] = writer._add_object(drawing)
    assert "This PDF cannot be read; it may be damaged." in refusal("passport.pdf", pdf(unknown_filter))
