"""Document parsing: the text, blocks and heading tree of an uploaded file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel, Field

from apps.gateway.deps import PrincipalDep, SettingsDep
from services.documents import Block, HeadingNode, load_document
from services.documents.options import DocumentOptions

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


class ParsedDocument(BaseModel):
    id: str = Field(description="First 16 hex digits of the file's SHA-256.")
    filename: str
    format: str
    characters: int = Field(description="Length of the extracted plain text.")
    text: str
    blocks: list[Block]
    headings: list[HeadingNode]


@router.post("/parse", response_model=ParsedDocument)
async def parse_document(
    settings: SettingsDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description=".docx, .pdf, .md, .txt or .html")],
) -> ParsedDocument:
    """Extract a document's text with character offsets per block and its heading tree; stores nothing."""
    options = DocumentOptions.from_settings(settings)
    data = await file.read(options.max_bytes + 1)
    document = load_document(
        data,
        file.filename or "upload",
        max_bytes=options.max_bytes,
        max_chars=options.max_chars,
        max_unpacked_bytes=options.max_unpacked_bytes,
    )
    return ParsedDocument(
        id=document.id,
        filename=document.filename,
        format=document.format,
        characters=len(document.text),
        text=document.text,
        blocks=document.blocks,
        headings=document.headings(),
    )
