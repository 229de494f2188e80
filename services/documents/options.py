"""Default limits for loading and chunking documents."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.core.settings import Settings


class DocumentOptions(BaseModel):
    """Limits for loading one document and sizes for splitting it into passages.

    The loading limits default to the same values as `Settings`. Build the
    options of a running service with `DocumentOptions.from_settings`.
    """

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1,
        description="Largest file accepted, in bytes (setting XINGCHEN_MAX_DOCUMENT_BYTES).",
    )
    max_chars: int = Field(
        default=2_000_000,
        ge=1,
        description=(
            "Maximum characters of plain text extracted from one file before it is rejected "
            "(setting XINGCHEN_MAX_DOCUMENT_CHARS)."
        ),
    )
    max_unpacked_bytes: int = Field(
        default=200 * 1024 * 1024,
        ge=1,
        description=(
            "Largest total uncompressed size of the parts of a .docx file, in bytes, as a guard "
            "against zip bombs. An empty .docx from python-docx 1.2's template unpacks to "
            "about 0.8 MB."
        ),
    )
    chunk_max_chars: int = Field(
        default=800,
        ge=1,
        description=("Maximum characters in one passage, counting the overlap with the previous passage."),
    )
    chunk_overlap_chars: int = Field(
        default=100,
        ge=0,
        description=(
            "Maximum characters that a passage repeats from the end of the previous passage of the "
            "same section. The overlap is made of whole sentences, so it may be shorter."
        ),
    )

    @model_validator(mode="after")
    def _check_overlap(self) -> DocumentOptions:
        if self.chunk_overlap_chars >= self.chunk_max_chars:
            raise ValueError(
                f"chunk_overlap_chars ({self.chunk_overlap_chars}) must be smaller than "
                f"chunk_max_chars ({self.chunk_max_chars})"
            )
        return self

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: int) -> DocumentOptions:
        """Build options with the loading limits of `settings`, and any field set by `overrides`."""
        values: dict[str, int] = {
            "max_bytes": settings.max_document_bytes,
            "max_chars": settings.max_document_chars,
        }
        values.update(overrides)
        return cls(**values)


DEFAULT_OPTIONS = DocumentOptions()
