"""Tests of `load_document` and `load_path`: format choice, offsets, limits and errors."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest

from services.core.errors import (
    CallerError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
)
from services.documents import ACCEPTED_EXTENSIONS, Document, load_document, load_path
from tests.documents.sample_files import blank_pdf, build_docx, build_pdf, encrypt_pdf

FORMATS = {
    "规范.docx": "docx",
    "条例.pdf": "pdf",
    "资费.md": "markdown",
    "通知.txt": "text",
    "指南.html": "html",
}


def assert_offsets_match(document: Document) -> None:
    previous_end = 0
    for index, block in enumerate(document.blocks):
        assert document.text[block.start : block.end] == block.text, f"block {index}"
        assert block.text == block.text.strip(), f"block {index} has surrounding whitespace"
        assert block.text, f"block {index} is empty"
        assert block.start >= previous_end, f"block {index} overlaps the previous block"
        previous_end = block.end


@pytest.mark.parametrize("filename", list(FORMATS))
def test_load_offsets_match_every_block(filename: str, sample_documents: dict[str, bytes]) -> None:
    document = load_document(sample_documents[filename], filename)

    assert document.format == FORMATS[filename]
    assert document.filename == filename
    assert len(document.blocks) >= 3
    assert_offsets_match(document)


@pytest.mark.parametrize("filename", list(FORMATS))
def test_load_finds_headings_in_every_format(filename: str, sample_documents: dict[str, bytes]) -> None:
    document = load_document(sample_documents[filename], filename)

    headings = [block for block in document.blocks if block.kind == "heading"]

    assert headings, "no heading found"
    assert all(block.level is not None for block in headings)
    assert document.headings()


def test_load_regulation_offsets_and_chapters(regulation_text: str) -> None:
    document = load_document(regulation_text.encode("utf-8"), "电信条例.md")

    assert_offsets_match(document)
    assert "第七条 国家对电信业务经营按照电信业务分类，实行许可制度。" in document.text
    assert "INFO END" not in document.text


def test_load_document_id_is_stable(sample_documents: dict[str, bytes]) -> None:
    data = sample_documents["资费.md"]

    first = load_document(data, "资费.md")
    second = load_document(data, "renamed.md")
    other = load_document(data + b"\n\nMore.", "资费.md")
    named = load_document(data, "资费.md", document_id="tariff-2024")

    assert first.id == second.id
    assert len(first.id) == 16
    assert other.id != first.id
    assert named.id == "tariff-2024"


@pytest.mark.parametrize("filename", ["REPORT.TXT", "notes.Markdown", "page.HTM"])
def test_load_extension_case_insensitive(filename: str) -> None:
    document = load_document("第一段。\n\n第二段。".encode(), filename)

    assert "第二段。" in document.text


def test_load_text_at_char_limit_passes() -> None:
    document = load_document(b"abcde", "five.txt", max_chars=5)

    assert document.text == "abcde"


def _zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    return buffer.getvalue()


def _truncated_pdf() -> bytes:
    data = build_pdf([["第一章 总则", "第一条 内容。"]])
    return data[: len(data) // 2]


ERROR_CASES = [
    # (id, filename, data, keyword arguments, error class, status, code)
    ("empty", "空文件.txt", b"", {}, InvalidInputError, 422, "documents.empty"),
    (
        "too_large",
        "大文件.txt",
        b"x" * 101,
        {"max_bytes": 100},
        PayloadTooLargeError,
        413,
        "documents.too_large",
    ),
    (
        "too_many_chars",
        "长文本.txt",
        "电信".encode() * 10,
        {"max_chars": 19},
        PayloadTooLargeError,
        413,
        "documents.too_many_chars",
    ),
    (
        "unsupported_doc",
        "旧格式.doc",
        b"\xd0\xcf\x11\xe0",
        {},
        UnsupportedMediaTypeError,
        415,
        "documents.unsupported_type",
    ),
    (
        "no_extension",
        "README",
        b"text",
        {},
        UnsupportedMediaTypeError,
        415,
        "documents.unsupported_type",
    ),
    (
        "docx_random_bytes",
        "损坏.docx",
        random.Random(0).randbytes(512),
        {},
        InvalidInputError,
        422,
        "documents.content_mismatch",
    ),
    (
        "docx_bad_zip",
        "半截.docx",
        build_docx()[:2000],
        {},
        InvalidInputError,
        422,
        "documents.corrupt",
    ),
    (
        "docx_zip_without_document",
        "压缩包.docx",
        _zip_without_document(),
        {},
        InvalidInputError,
        422,
        "documents.corrupt",
    ),
    (
        "docx_is_old_doc",
        "改名.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        {},
        InvalidInputError,
        422,
        "documents.legacy_word",
    ),
    (
        "docx_zip_bomb",
        "炸弹.docx",
        build_docx(),
        {"max_unpacked_bytes": 100_000},
        PayloadTooLargeError,
        413,
        "documents.unpacked_too_large",
    ),
    (
        "pdf_without_header",
        "假的.pdf",
        b"<html>not a pdf</html>",
        {},
        InvalidInputError,
        422,
        "documents.content_mismatch",
    ),
    (
        "pdf_truncated",
        "截断.pdf",
        _truncated_pdf(),
        {},
        InvalidInputError,
        422,
        "documents.corrupt",
    ),
    (
        "pdf_user_password",
        "加密.pdf",
        encrypt_pdf(build_pdf([["机密"]]), user_password="secret", owner_password="owner"),
        {},
        InvalidInputError,
        422,
        "documents.encrypted",
    ),
    (
        "pdf_scanned",
        "扫描件.pdf",
        blank_pdf(pages=2),
        {},
        InvalidInputError,
        422,
        "documents.pdf_no_text_layer",
    ),
    (
        "txt_whitespace_only",
        "空白.txt",
        b" \n\t\r\n\xe3\x80\x80\n",
        {},
        InvalidInputError,
        422,
        "documents.no_text",
    ),
    (
        "html_script_only",
        "脚本.html",
        b"<html><body><script>alert(1)</script></body></html>",
        {},
        InvalidInputError,
        422,
        "documents.no_text",
    ),
    (
        "txt_unknown_encoding",
        "乱码.txt",
        b"\x80\x81\xff abc",
        {},
        InvalidInputError,
        422,
        "documents.unknown_encoding",
    ),
    (
        "txt_binary",
        "二进制.txt",
        b"abc\x00\x01\x02def",
        {},
        InvalidInputError,
        422,
        "documents.not_text",
    ),
]


@pytest.mark.parametrize(
    ("filename", "data", "kwargs", "error_class", "status", "code"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_load_rejects_bad_file(
    filename: str,
    data: bytes,
    kwargs: dict[str, Any],
    error_class: type[CallerError],
    status: int,
    code: str,
) -> None:
    with pytest.raises(CallerError) as caught:
        load_document(data, filename, **kwargs)

    error = caught.value
    assert type(error) is error_class
    assert error.status == status
    assert error.code == code
    for language in ("zh", "en"):
        message = error.message(language)
        assert filename in message, f"{language} message does not name the file: {message}"
        assert "{" not in message, f"{language} message has an unfilled placeholder: {message}"


def test_load_too_large_names_limit_and_setting() -> None:
    with pytest.raises(PayloadTooLargeError) as caught:
        load_document(b"x" * 2048, "big.txt", max_bytes=1024)

    for language in ("zh", "en"):
        message = caught.value.message(language)
        assert "2048" in message
        assert "1024" in message
        assert "XINGCHEN_MAX_DOCUMENT_BYTES" in message


def test_load_too_many_chars_names_setting() -> None:
    with pytest.raises(PayloadTooLargeError) as caught:
        load_document(b"abcdef", "six.txt", max_chars=5)

    assert "XINGCHEN_MAX_DOCUMENT_CHARS" in caught.value.message("en")
    assert "5" in caught.value.message("zh")


def test_load_unsupported_lists_accepted_extensions() -> None:
    with pytest.raises(UnsupportedMediaTypeError) as caught:
        load_document(b"data", "表格.xlsx")

    for language in ("zh", "en"):
        message = caught.value.message(language)
        assert ".xlsx" in message
        for extension in ACCEPTED_EXTENSIONS:
            assert extension in message


def test_load_corrupt_gives_parser_reason() -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_document(b"PK\x03\x04 broken zip", "损坏.docx")

    assert caught.value.params["reason"]
    assert caught.value.params["reason"] in caught.value.message("en")


def test_load_path_reads_file(tmp_path: Path, sample_documents: dict[str, bytes]) -> None:
    path = tmp_path / "资费.md"
    path.write_bytes(sample_documents["资费.md"])

    document = load_path(path)

    assert document.filename == "资费.md"
    assert document == load_document(sample_documents["资费.md"], "资费.md")


def test_load_path_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        load_path(tmp_path / "不存在.txt")

    assert caught.value.code == "documents.file_not_found"
    assert "不存在.txt" in caught.value.message("zh")
    assert "不存在.txt" in caught.value.message("en")


def test_load_path_directory_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()

    with pytest.raises(InvalidInputError) as caught:
        load_path(folder)

    assert caught.value.code == "documents.file_unreadable"
    assert "folder.txt" in caught.value.message("en")


def test_load_path_checks_size_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)

    def fail_read(self: Path) -> bytes:
        raise AssertionError("the file was read although it is over the limit")

    monkeypatch.setattr(Path, "read_bytes", fail_read)

    with pytest.raises(PayloadTooLargeError) as caught:
        load_path(path, max_bytes=1000)
    assert caught.value.params["size"] == 2000


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(
    ("filename", "data", "chinese", "english"),
    [
        ("截图.md", PNG_HEADER, "PNG 图片数据", "PNG image data"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG 图片数据", "JPEG image data"),
        ("archive.html", b"PK\x03\x04\x14\x00", "ZIP 压缩包数据", "ZIP archive data"),
        ("report.md", b"%PDF-1.7\n%\xe2\xe3", "PDF 文档数据", "PDF document data"),
        ("noise.txt", b"ab\xfe\x00\x81cd", "二进制数据", "binary data"),
    ],
)
def test_load_binary_in_text_format_is_not_text(filename: str, data: bytes, chinese: str, english: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_document(data, filename)

    assert caught.value.code == "documents.not_text"
    assert f"文件“{filename}”不是文本文档（看起来是{chinese}）" in caught.value.message("zh")
    assert f"is not a text document (it looks like {english})" in caught.value.message("en")
    assert "UTF-8" not in caught.value.message("zh")


def test_load_utf16_text_with_bom_is_text() -> None:
    document = load_document("第一章 总则\n".encode("utf-16"), "utf16.txt")

    assert document.text.startswith("第一章 总则")


def test_content_mismatch_detail_in_each_language() -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_document(b"not a zip", "report.docx")

    assert "它不是 ZIP 压缩包" in caught.value.message("zh")
    assert "it is not a zip archive" in caught.value.message("en")
