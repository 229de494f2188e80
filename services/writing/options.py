"""Options of outline, draft, edit and export; a request's options override the defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from services.core.settings import Settings


class WritingOptions(BaseModel):
    """Limits and sizes for outlining and drafting."""

    max_sections: int = Field(default=8, ge=1, le=40, description="Maximum sections in a generated outline.")
    passages_per_section: int = Field(
        default=3, ge=1, le=20, description="Reference passages quoted to the model for each section."
    )
    section_max_tokens: int = Field(
        default=200, ge=16, le=4096, description="Completion token limit for one section, in tokens."
    )
    outline_max_tokens: int = Field(
        default=700, ge=64, le=4096, description="Completion token limit for the outline, in tokens."
    )
    temperature: float = Field(default=0.3, ge=0.0, le=2.0, description="Sampling temperature for section text.")
    passage_max_chars: int = Field(
        default=400, ge=100, le=4000, description="Maximum characters of one reference passage when references are cut."
    )
    passage_overlap_chars: int = Field(
        default=60, ge=0, le=1000, description="Characters a passage repeats from the previous one of its section."
    )
    passage_quote_chars: int = Field(
        default=300, ge=50, le=4000, description="Maximum characters of one passage quoted in a prompt."
    )
    summary_chars: int = Field(
        default=80,
        ge=0,
        le=1000,
        description="Characters of each earlier section kept in the running summary that later sections see.",
    )
    rrf_k: int = Field(
        default=60, ge=1, description="Constant k of reciprocal rank fusion, score = sum of 1 / (k + rank)."
    )

    @classmethod
    def from_settings(cls, settings: Settings, overrides: dict[str, object] | None = None) -> WritingOptions:
        """Build options from the writing settings, then apply a request's `overrides`."""
        values: dict[str, object] = {
            "passages_per_section": settings.writing_passages_per_section,
            "section_max_tokens": settings.writing_section_max_tokens,
        }
        values.update(overrides or {})
        return cls.model_validate(values)


class EditOptions(BaseModel):
    """Limits of one edit operation."""

    max_tokens: int = Field(default=400, ge=16, le=4096, description="Completion token limit, in tokens.")
    max_selection_chars: int = Field(default=4000, ge=1, description="Maximum characters of a selection.")
    context_chars: int = Field(
        default=300, ge=0, description="Characters of text before and after the selection sent as context."
    )
    temperature: float = Field(default=0.4, ge=0.0, le=2.0, description="Sampling temperature.")


class ExportOptions(BaseModel):
    """Layout of a draft exported as Markdown or .docx."""

    layout: Literal["standard", "official"] = Field(
        default="standard",
        description=(
            "`standard`: Word heading styles. `official`: Chinese official-document layout "
            "(GB/T 9704 conventions: title in 小标宋, body in 仿宋_GB2312, numbering 一、（一）1.（1））."
        ),
    )
    include_citations: bool = Field(default=True, description="Append the list of cited passages.")
    title_font: str = Field(
        default="方正小标宋简体", description="East Asian font of the title in the official layout."
    )
    body_font: str = Field(default="仿宋_GB2312", description="East Asian font of body text in the official layout.")
    heading1_font: str = Field(
        default="黑体", description="East Asian font of level-1 headings in the official layout."
    )
    heading2_font: str = Field(
        default="楷体_GB2312", description="East Asian font of level-2 headings in the official layout."
    )
    standard_font: str = Field(default="宋体", description="East Asian font of body text in the standard layout.")
    standard_heading_font: str = Field(
        default="黑体", description="East Asian font of headings in the standard layout."
    )
