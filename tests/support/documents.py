"""Small German documents of each kind debrief reads, built here: a presentation with
python-pptx, OpenDocument files and an e-book written part by part as their
specifications lay them out, and PDFs written object by object (Helvetica, WinAnsi, so
that pypdf's real text extraction runs on them)."""

from __future__ import annotations

import base64
import io
import zipfile

# A 1x1 PNG, for a picture the translation must keep.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def zipped(entries: dict[str, bytes], stored_first: str | None = None) -> bytes:
    """A zip of `entries` in order; `stored_first` (an OpenDocument's or e-book's
    mimetype) uncompressed, as their readers require."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            kind = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return output.getvalue()


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def presentation_pptx() -> bytes:
    import pptx
    from pptx.util import Inches

    presentation = pptx.Presentation()
    presentation.core_properties.title = "Haushalt"
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Der Rat berät den Haushalt"
    body = slide.placeholders[1].text_frame
    body.text = "Die Regierung tagte am Sonntag."
    point = body.add_paragraph()
    point.add_run().text = "Sie beschloss "
    bold = point.add_run()
    bold.text = "nichts"
    bold.font.bold = True
    point.add_run().text = "."
    slide.notes_slide.notes_text_frame.text = "Zuerst die Zahlen nennen."
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Die Zahlen"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (row, column), text in {
        (0, 0): "Jahr",
        (0, 1): "Ausgaben",
        (1, 0): "2026",
        (1, 1): "Zwölf Milliarden Euro",
    }.items():
        table.cell(row, column).text = text
    group = second.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(4), Inches(4), Inches(1))
    box.text_frame.text = "Quelle: Stadtrat"
    second.shapes.add_picture(io.BytesIO(PIXEL), Inches(7), Inches(4))
    output = io.BytesIO()
    presentation.save(output)
    return output.getvalue()


_ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"'
)


def _odf(mimetype: str, body: str, master: str = "") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NAMESPACES}>'
        f"<office:automatic-styles/><office:body>{body}</office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODF_NAMESPACES}>'
        f"<office:master-styles>{master}</office:master-styles></office:document-styles>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODF_NAMESPACES}>'
        "<office:meta><dc:title>Haushalt</dc:title><dc:creator>Anna Schmidt</dc:creator>"
        "</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return zipped(
        {
            "mimetype": mimetype.encode(),
            "content.xml": content.encode(),
            "styles.xml": styles.encode(),
            "meta.xml": meta.encode(),
            "Pictures/pixel.png": PIXEL,
            "META-INF/manifest.xml": manifest.encode(),
        },
        stored_first="mimetype",
    )


def report_odt() -> bytes:
    body = (
        "<office:text>"
        '<text:h text:outline-level="1">Der Rat berät den Haushalt</text:h>'
        '<text:p text:style-name="Lead"><text:span text:style-name="Bold">Die Regierung in '
        "Berlin hat</text:span> am Sonntag<text:s/>über den "
        '<text:a xlink:href="https://example.org/haushalt">Haushalt</text:a> beraten.'
        '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>Laut Protokoll.</text:p></text:note-body></text:note></text:p>"
        "<text:list><text:list-item><text:p>Sie beschloss nichts.</text:p></text:list-item>"
        "</text:list>"
        '<text:p><draw:frame draw:name="Bild"><draw:image xlink:href="Pictures/pixel.png"/>'
        "</draw:frame></text:p>"
        "<table:table><table:table-row><table:table-cell><text:p>Jahr</text:p></table:table-cell>"
        "<table:table-cell><text:p>Ausgaben</text:p></table:table-cell></table:table-row>"
        "</table:table>"
        "<text:p>Danach<office:annotation><text:p>Prüfen!</text:p></office:annotation> ging "
        "es um die Schulen.</text:p>"
        "</office:text>"
    )
    master = (
        '<style:master-page style:name="Standard"><style:header><text:p>Stadtrat Berlin</text:p>'
        "</style:header><style:footer><text:p>Seite eins</text:p></style:footer>"
        "</style:master-page>"
    )
    return _odf("application/vnd.oasis.opendocument.text", body, master)


def slides_odp() -> bytes:
    body = (
        "<office:presentation>"
        '<draw:page draw:name="Folie1">'
        '<draw:frame presentation:class="title"><draw:text-box><text:p>Der Rat berät den '
        "Haushalt</text:p></draw:text-box></draw:frame>"
        '<draw:frame presentation:class="outline"><draw:text-box><text:list><text:list-item>'
        "<text:p>Die Regierung tagte am Sonntag.</text:p></text:list-item></text:list>"
        "</draw:text-box></draw:frame>"
        '<draw:frame><draw:image xlink:href="Pictures/pixel.png"/></draw:frame>'
        "<presentation:notes><draw:frame><draw:text-box><text:p>Zuerst die Zahlen nennen."
        "</text:p></draw:text-box></draw:frame></presentation:notes>"
        "</draw:page></office:presentation>"
    )
    return _odf("application/vnd.oasis.opendocument.presentation", body)


_XHTML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de" lang="de">'
    '<head><title>Kapitel</title><link rel="stylesheet" href="style.css"/></head><body>'
)


def book_epub() -> bytes:
    chapter_one = (
        f"{_XHTML_HEAD}<h1>Der Rat berät den Haushalt</h1>"
        "<p>Die Regierung in <em>Berlin</em> hat am Sonntag beraten.<br/>Sie beschloss "
        '<a href="kapitel2.xhtml">nichts</a>.</p>'
        '<p><img src="pixel.png" alt="Bild"/></p>'
        "<pre>code bleibt</pre></body></html>"
    )
    chapter_two = (
        f"{_XHTML_HEAD}<section><h2>Die Zahlen</h2><ul><li>Zwölf Milliarden Euro</li></ul>"
        "<table><tr><td>Jahr</td><td>2026</td></tr></table>"
        "<div>Quelle: Stadtrat<p>Danach ging es um die Schulen.</p></div></section></body></html>"
    )
    navigation = (
        f"{_XHTML_HEAD}<nav><ol><li><a href='kapitel1.xhtml'>Haushalt</a></li></ol></nav>"
        "</body></html>"
    )
    package = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>'
        "<dc:title>Haushalt</dc:title><dc:creator>Anna Schmidt</dc:creator>"
        "<dc:language>de</dc:language></metadata><manifest>"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="k2" href="kapitel2.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="k1" href="kapitel1.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="css" href="style.css" media-type="text/css"/>'
        '<item id="pixel" href="pixel.png" media-type="image/png"/>'
        '</manifest><spine><itemref idref="k1"/><itemref idref="k2"/></spine></package>'
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    return zipped(
        {
            "mimetype": b"application/epub+zip",
            "META-INF/container.xml": container.encode(),
            "OEBPS/content.opf": package.encode(),
            "OEBPS/nav.xhtml": navigation.encode(),
            "OEBPS/kapitel1.xhtml": chapter_one.encode(),
            "OEBPS/kapitel2.xhtml": chapter_two.encode(),
            "OEBPS/style.css": b"p { margin: 0 }",
            "OEBPS/pixel.png": PIXEL,
        },
        stored_first="mimetype",
    )


def _pdf_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return "".join(ch if ord(ch) < 128 else f"\\{ord(ch.encode('cp1252')):03o}" for ch in escaped)


def text_pdf(pages: list[list[str]], title: str = "Haushalt") -> bytes:
    """A PDF whose pages hold these lines of text, top to bottom."""
    objects: list[str] = []
    page_ids = []
    font_id = 3
    for lines in pages:
        commands = ["BT", "/F1 11 Tf", "14 TL", "72 770 Td"]
        for line in lines:
            commands.append(f"({_pdf_string(line)}) Tj T*")
        commands.append("ET")
        stream = "\n".join(commands)
        content_id = 4 + 2 * len(page_ids) + 1
        page_id = content_id - 1
        page_ids.append(page_id)
        objects.append(
            f"{page_id} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >> endobj"
        )
        objects.append(
            f"{content_id} 0 obj << /Length {len(stream.encode('latin-1'))} >> stream\n"
            f"{stream}\nendstream endobj"
        )
    info_id = 4 + 2 * len(pages)
    head = [
        "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
        f"2 0 obj << /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] "
        f"/Count {len(page_ids)} >> endobj",
        "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        "/Encoding /WinAnsiEncoding >> endobj",
    ]
    tail = [f"{info_id} 0 obj << /Title ({_pdf_string(title)}) >> endobj"]
    body = b"%PDF-1.4\n"
    offsets = []
    for text in head + objects + tail:
        offsets.append(len(body))
        body += text.encode("latin-1") + b"\n"
    xref = len(body)
    entries = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    body += (
        f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n{entries}"
        f"trailer << /Size {len(offsets) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode("latin-1")
    return body
