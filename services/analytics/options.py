"""Options of one analytics request; fields left empty take the settings' values."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from services.core.settings import Settings


class AskOptions(BaseModel):
    """How a question is turned into SQL, run, charted and analysed."""

    language: Literal["zh", "en"] = Field("zh", description="Language of prompts, labels and the narrative.")
    max_corrections: int | None = Field(
        None,
        ge=0,
        le=5,
        description="Times a rejected or failing query goes back to the model; empty uses the setting.",
    )
    row_limit: int | None = Field(
        None, ge=1, description="Most rows returned, in rows; clamped to the source's limit; empty uses the source's."
    )
    max_tables: int | None = Field(
        None, ge=1, le=50, description="Most tables shown to the model after schema pruning; empty uses the setting."
    )
    examples: int = Field(3, ge=0, le=10, description="Similar stored examples shown to the model.")
    history_turns: int = Field(3, ge=0, le=10, description="Earlier turns of the conversation shown to the model.")
    chart: bool = Field(True, description="Choose a chart for the result.")
    analyse: bool = Field(True, description="Compute facts and ask the model for a narrative.")
    sql_max_tokens: int = Field(320, ge=32, le=2048, description="Token limit of each SQL reply.")
    narrative_max_tokens: int = Field(240, ge=32, le=2048, description="Token limit of the narrative.")

    def resolved_corrections(self, settings: Settings) -> int:
        return settings.analytics_max_corrections if self.max_corrections is None else self.max_corrections

    def resolved_max_tables(self, settings: Settings) -> int:
        return self.max_tables or settings.analytics_schema_max_tables
