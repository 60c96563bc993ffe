"""Small, valid sample files: the demo's documents, and what the tests upload."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def sample_pdf(title: str = "Sample document") -> bytes:
    """Return a one-page A4 PDF that says ``title`` (ASCII), with a correct cross-reference table."""
    text = title.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 18 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def sample_image(title: str = "Sample photo", file_type: str = "png", size: tuple[int, int] = (300, 400)) -> bytes:
    """Return a PNG or JPEG picture with ``title`` written on it."""
    image = Image.new("RGB", size, (205, 222, 240))
    ImageDraw.Draw(image).text((12, 12), title, fill=(20, 40, 80))
    out = io.BytesIO()
    image.save(out, "PNG" if file_type == "png" else "JPEG")
    return out.getvalue()


def sample_for(accept: tuple[str, ...], title: str) -> tuple[str, bytes]:
    """Return (file name, bytes) of a sample of the first type a checklist entry accepts."""
    file_type = accept[0]
    if file_type == "pdf":
        return f"{title}.pdf", sample_pdf(title)
    return f"{title}.{'png' if file_type == 'png' else 'jpg'}", sample_image(title, file_type)
