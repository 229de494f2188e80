"""Options of extraction and answering; a request's options override the settings' defaults."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.core.settings import Settings


class ExtractionOptions(BaseModel):
    """Settings of splitting a document, calling the model and grounding values."""

    model_config = ConfigDict(extra="forbid")

    chunk_max_chars: int = Field(
        default=1600,
        ge=200,
        le=20000,
        description=(
            "Maximum characters of document text sent to the model in one call; longer documents are split by section."
        ),
    )
    chunk_overlap_chars: int = Field(
        default=200, ge=0, description="Characters of text a chunk repeats from the end of the previous one."
    )
    max_tokens: int = Field(
        default=900, ge=64, le=8192, description="Maximum tokens of the model's reply for one chunk."
    )
    fuzzy_threshold: float = Field(
        default=0.85,
        ge=0.5,
        le=1.0,
        description="Minimum similarity (0–1, difflib ratio on normalised text) for a fuzzy evidence match.",
    )
    followup_questions: bool = Field(
        default=True,
        description=(
            "Ask the model again, one field at a time, about fields the first answer left unsupported, "
            "or left out although the text mentions them."
        ),
    )
    followup_retries: int = Field(
        default=1,
        ge=0,
        le=3,
        description="Times a follow-up answer that the text does not support is sent back to the model.",
    )
    followup_max_questions: int = Field(
        default=20, ge=0, le=200, description="Maximum follow-up questions for one document, over all chunks."
    )
    followup_max_tokens: int = Field(
        default=200, ge=32, le=2048, description="Maximum tokens of the model's reply to one follow-up question."
    )
    direct_max_chars: int = Field(
        default=4000,
        ge=0,
        description="Documents up to this many characters are extracted within the request; longer ones become a job.",
    )

    @model_validator(mode="after")
    def _check_overlap(self) -> ExtractionOptions:
        if self.chunk_overlap_chars >= self.chunk_max_chars // 2:
            raise ValueError("chunk_overlap_chars must be less than half of chunk_max_chars")
        return self

    @classmethod
    def from_settings(cls, settings: Settings, overrides: dict[str, Any] | None = None) -> ExtractionOptions:
        values: dict[str, Any] = {
            "chunk_max_chars": settings.knowledge_chunk_max_chars,
            "chunk_overlap_chars": settings.knowledge_chunk_overlap_chars,
            "max_tokens": settings.knowledge_max_tokens,
            "fuzzy_threshold": settings.knowledge_fuzzy_threshold,
            "direct_max_chars": settings.knowledge_direct_max_chars,
        }
        values.update(overrides or {})
        return cls(**values)


class AnswerOptions(BaseModel):
    """Settings of retrieving approved knowledge for a question."""

    model_config = ConfigDict(extra="forbid")

    top_k: int = Field(default=4, ge=1, le=20, description="Passages and records quoted to the model.")
    min_score: float = Field(
        default=1.0,
        ge=0,
        description=(
            "Minimum BM25 score of the best passage; below it the service answers that no approved "
            "knowledge is relevant, without calling the model."
        ),
    )
    max_tokens: int = Field(default=400, ge=32, le=4096, description="Maximum tokens of the answer.")

    @classmethod
    def from_settings(cls, settings: Settings, overrides: dict[str, Any] | None = None) -> AnswerOptions:
        values: dict[str, Any] = {
            "top_k": settings.knowledge_answer_top_k,
            "min_score": settings.knowledge_answer_min_score,
        }
        values.update(overrides or {})
        return cls(**values)
