"""Options of one meeting run; a request's options override these defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.core.errors import InvalidInputError


class MeetingOptions(BaseModel):
    """Options for transcription, speaker detection and the language of the minutes."""

    model_config = ConfigDict(extra="forbid")

    language: Literal["auto", "zh", "en"] = Field(
        "auto", description="Spoken language: `auto` detects it, `zh` Mandarin, `en` English."
    )
    hotwords: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Words the recogniser should prefer (product names, people), e.g. `星辰套件`.",
    )
    beam_size: int = Field(5, ge=1, le=10, description="Beam width of Whisper decoding; 1 is greedy and fastest.")
    compute_type: Literal["int8", "int8_float32", "int16", "float32"] | None = Field(
        None, description="CTranslate2 compute type on the CPU; empty uses the setting `meetings_compute_type`."
    )
    diarize: bool = Field(True, description="Find who spoke when; off labels every word with one speaker.")
    num_speakers: int | None = Field(None, ge=1, le=20, description="Exact number of speakers, when known.")
    min_speakers: int | None = Field(None, ge=1, le=20, description="At least this many speakers.")
    max_speakers: int | None = Field(None, ge=1, le=20, description="At most this many speakers.")
    minutes: bool = Field(True, description="Write minutes with the language model after transcribing.")
    minutes_language: Literal["auto", "zh", "en"] = Field(
        "auto", description="Language of the minutes: `auto` follows the detected speech language."
    )
    speaker_names: dict[str, str] = Field(
        default_factory=dict, description='Names for speaker labels, e.g. `{"SPEAKER_00": "王经理"}`.'
    )

    @model_validator(mode="after")
    def _check_speaker_limits(self) -> MeetingOptions:
        low = self.min_speakers or 1
        high = self.max_speakers or 20
        if low > high or (self.num_speakers is not None and not low <= self.num_speakers <= high):
            raise InvalidInputError(
                "meetings.speaker_limits",
                num=self.num_speakers,
                min=self.min_speakers,
                max=self.max_speakers,
            )
        return self

    def speaker_bounds(self) -> tuple[int | None, int, int]:
        """(exact count or None, lowest, highest) allowed number of speakers."""
        if self.num_speakers is not None:
            return self.num_speakers, self.num_speakers, self.num_speakers
        return None, self.min_speakers or 1, self.max_speakers or 20


def parse_options(raw: dict[str, object] | None) -> MeetingOptions:
    """Build options from a request's JSON object; unknown or bad fields are a 422 naming them."""
    from pydantic import ValidationError

    try:
        return MeetingOptions.model_validate(raw or {})
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors())
        raise InvalidInputError("meetings.bad_options", detail=detail) from exc
