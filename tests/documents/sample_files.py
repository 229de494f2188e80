"""Fixture documents for the documents tests, built in memory with real libraries.

PDFs are written by hand because no PDF writer that can lay out text is a
dependency: a Type0 font with Identity-H encoding draws each character as its
Unicode code point, and a ToUnicode CMap maps the codes back, so pypdf
extracts Chinese and English text exactly.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "documents"
REGULATION_PATH = DATA_DIR / "电信条例(2016-02-06).md"


def build_pdf(pages: list[list[str]]) -> bytes:
    """Write a PDF whose pages show the given lines of text, one line per entry."""
    codes = sorted({ord(char) for page in pages for line in page for char in line})
    objects: list[bytes] = [b"", b""]  # the catalog and the page tree, filled in below
    catalog_number, pages_number = 1, 2

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    mappings = "\n".join(f"<{code:04X}> <{code:04X}>" for code in codes)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{mappings}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    to_unicode = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap))
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Fixture"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor << /Type /FontDescriptor /FontName /Fixture /Flags 4"
        b" /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0"
        b" /CapHeight 1000 /StemV 80 >> /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Fixture /Encoding /Identity-H"
        b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, to_unicode)
    )

    page_numbers: list[int] = []
    for page in pages:
        operators = ["BT", "/F1 12 Tf", "14 TL", "50 750 Td"]
        for line in page:
            operators.append("<" + "".join(f"{ord(char):04X}" for char in line) + "> Tj T*")
        operators.append("ET")
        stream = "\n".join(operators).encode()
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        page_numbers.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792]"
                b" /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_number, font, content)
            )
        )

    kids = b" ".join(b"%d 0 R" % number for number in page_numbers)
    objects[catalog_number - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_number
    objects[pages_number - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        kids,
        len(page_numbers),
    )

    output = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_offset = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog_number,
        xref_offset,
    )
    return bytes(output)


def encrypt_pdf(data: bytes, *, user_password: str, owner_password: str) -> bytes:
    """Encrypt a PDF with pypdf's default algorithm (RC4, which needs no extra package)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf(pages: int) -> bytes:
    """Write a PDF of blank pages, which have no text layer, like a scan without OCR."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_docx() -> bytes:
    """Write a Word file with a title, headings set three ways, a list, a table and a TOC line."""
    document = docx.Document()
    document.add_heading("电信服务规范", level=0)
    toc_style = document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("第一章 总则 ........ 1", style=toc_style)
    document.add_heading("第一章 总则", level=1)
    document.add_paragraph("为了规范电信服务，制定本规范。")
    document.add_heading("第一节 适用范围", level=2)
    document.add_paragraph("本规范适用于基础电信业务经营者。")
    document.add_paragraph("固定电话业务", style="List Bullet")
    document.add_paragraph("移动电话业务", style="List Bullet")

    chinese_heading = document.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("第二章 服务质量", style=chinese_heading)

    outlined = document.add_paragraph("2.1 接通率")
    outline_level = OxmlElement("w:outlineLvl")
    outline_level.set(qn("w:val"), "1")
    outlined._p.get_or_add_pPr().append(outline_level)

    document.add_paragraph("网络接通率应当不低于 99%。")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate([("指标", "标准", "备注"), ("接通率", "99%", ""), ("投诉处理", "", "")]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    merged.text = "5 个工作日内"
    controlled = document.add_paragraph("内容控件中的段落。")
    content_control = OxmlElement("w:sdt")
    content_control_body = OxmlElement("w:sdtContent")
    content_control.append(content_control_body)
    controlled._p.addprevious(content_control)
    content_control_body.append(controlled._p)

    document.add_paragraph("End of document.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SAMPLE_MARKDOWN = """---
title: 资费说明
---

# 资费说明

本文说明 5G 套餐的资费。

## 套餐列表

- 畅享套餐：每月 129 元
- 畅享套餐 Plus：每月 199 元

| 套餐 | 月费 | 流量 |
|------|------|------|
| 畅享 | 129 元 | 30 GB |

```python
# 这一行在代码块里，不是标题
price = 129
```

### 国际漫游

出境后按目的地计费。Roaming is billed by destination.
"""

SAMPLE_HTML = """<!DOCTYPE html>
<html><head><title>页面标题</title><style>p { color: red; }</style></head>
<body>
<h1>宽带安装指南</h1>
<p>安装前请确认<b>光猫</b>已通电。<br>第二行。</p>
<script>var secret = "不应出现";</script>
<h2>步骤</h2>
<ol><li>连接光纤</li><li>登录管理页面<ul><li>默认地址 192.168.1.1</li></ul></li></ol>
<table><tr><th>故障</th><th>处理</th></tr><tr><td>无信号</td><td>检查光纤</td></tr></table>
<div>散落的文字<p>段落</p></div>
</body></html>
"""


def sample_files() -> dict[str, bytes]:
    """Build one small file per supported format, keyed by file name."""
    return {
        "规范.docx": build_docx(),
        "条例.pdf": build_pdf(
            [
                ["第一章 总则", "第一条 为了规范电信市场秩序，制定本条例。", "Scope: telecom."],
                ["第二章 电信市场", "第七条 国家对电信业务经营实行许可制度。"],
            ]
        ),
        "资费.md": SAMPLE_MARKDOWN.encode("utf-8"),
        "通知.txt": "第一章 总则\n第一条 本通知自发布之日起施行。\n\n附件说明。\n".encode("gb18030"),
        "指南.html": SAMPLE_HTML.encode("utf-8"),
    }
