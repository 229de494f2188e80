"""Tests of the PDF loader: page text, regulation headings and encryption."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError

from services.core.errors import InvalidInputError
from services.documents import load_document
from tests.documents.sample_files import build_pdf, encrypt_pdf

PAGES = [
    ["第一章 总则", "第一条 为了规范电信市场秩序，制定本条例。", "Scope: telecom services."],
    ["第一条续 本条例适用于境内电信活动。"],
    ["第二章 电信市场", "第一节 电信业务许可", "第七条 国家对电信业务经营实行许可制度。"],
]


def test_pdf_page_blocks_have_page_numbers() -> None:
    document = load_document(build_pdf(PAGES), "条例.pdf")

    pages = [(block.page, block.text) for block in document.blocks if block.kind == "page"]

    assert pages == [
        (1, "第一条 为了规范电信市场秩序，制定本条例。\nScope: telecom services."),
        (2, "第一条续 本条例适用于境内电信活动。"),
        (3, "第七条 国家对电信业务经营实行许可制度。"),
    ]


def test_pdf_regulation_headings_across_pages() -> None:
    document = load_document(build_pdf(PAGES), "条例.pdf")

    tree = document.headings()

    assert [node.title for node in tree] == ["第一章 总则", "第二章 电信市场"]
    assert [node.level for node in tree] == [1, 1]
    assert [child.title for child in tree[1].children] == ["第一节 电信业务许可"]
    assert tree[1].children[0].level == 2


def test_pdf_page_under_heading_path() -> None:
    document = load_document(build_pdf(PAGES), "条例.pdf")

    (second_page,) = [block for block in document.blocks if block.page == 2]

    assert second_page.heading_path == ["第一章 总则"]


def test_pdf_owner_password_only_opens() -> None:
    data = encrypt_pdf(build_pdf(PAGES), user_password="", owner_password="owner-secret")

    document = load_document(data, "仅限制编辑.pdf")

    assert "国家对电信业务经营实行许可制度" in document.text


def test_pdf_user_password_rejected() -> None:
    data = encrypt_pdf(build_pdf(PAGES), user_password="user-secret", owner_password="owner")

    with pytest.raises(InvalidInputError) as caught:
        load_document(data, "加密.pdf")

    assert caught.value.code == "documents.encrypted"
    assert "user-secret" not in caught.value.message("en")


def test_pdf_unsupported_encryption_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encrypt_pdf(build_pdf(PAGES), user_password="", owner_password="owner")

    def decrypt_without_cryptography(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", decrypt_without_cryptography)

    with pytest.raises(InvalidInputError) as caught:
        load_document(data, "aes.pdf")

    assert caught.value.code == "documents.encryption_unsupported"
    assert "cryptography" in caught.value.message("zh")
    assert "aes.pdf" in caught.value.message("zh")


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.9])
def test_pdf_truncated_is_corrupt(cut: float) -> None:
    data = build_pdf(PAGES)

    with pytest.raises(InvalidInputError) as caught:
        load_document(data[: int(len(data) * cut)], "截断.pdf")

    assert caught.value.code == "documents.corrupt"
    assert caught.value.params["reason"]


def test_pdf_header_after_junk_accepted() -> None:
    document = load_document(b"\n" * 10 + build_pdf(PAGES), "前缀.pdf")

    assert "第七条" in document.text


def test_pdf_mixed_pages_keeps_text_pages(caplog: pytest.LogCaptureFixture) -> None:
    text_only = build_pdf([["第一条 有文字的页面。"]])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_only)))
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)

    with caplog.at_level(logging.WARNING, logger="services.documents.loaders.pdf_loader"):
        document = load_document(buffer.getvalue(), "混合.pdf")

    assert document.text == "第一条 有文字的页面。"
    assert "1 of 2 pages have no text layer" in caplog.text
