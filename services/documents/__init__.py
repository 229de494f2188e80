"""Document loading, chunking and keyword search.

`load_document` turns a .docx, .pdf, .md, .txt or .html file into a
`Document` with plain text and structural blocks, `chunk_document` cuts it
into passages, and `PassageIndex` finds passages with BM25.
"""

from services.documents import messages as _messages  # noqa: F401  (registers the documents.* codes)
from services.documents.chunking import chunk_document
from services.documents.load import ACCEPTED_EXTENSIONS, load_document, load_path
from services.documents.models import Block, Document, HeadingNode, Passage, ScoredPassage
from services.documents.options import DEFAULT_OPTIONS, DocumentOptions
from services.documents.search import PassageIndex, tokenize

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "DEFAULT_OPTIONS",
    "Block",
    "Document",
    "DocumentOptions",
    "HeadingNode",
    "Passage",
    "PassageIndex",
    "ScoredPassage",
    "chunk_document",
    "load_document",
    "load_path",
    "tokenize",
]
