"""One recording end to end: decode once, transcribe and diarize at the same time, assign, write minutes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from services.core.errors import UpstreamError
from services.core.i18n import Language
from services.core.settings import Settings
from services.meetings.assign import assign_speakers, group_utterances, speakers_in_order
from services.meetings.audio import DecodedAudio, decode_audio
from services.meetings.diarization import SpeakerLimits, build_diarizer
from services.meetings.minutes import write_minutes
from services.meetings.options import MeetingOptions
from services.meetings.results import MeetingResult, Transcript, Turn
from services.meetings.transcribe import Recognition, load_whisper, recognise
from services.meetings.weights import resolve_whisper_dir
from services.model.client import ModelClient

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
NO_SPEECH_NOTE = "meetings.no_speech"
MINUTES_FAILED_NOTE = "meetings.minutes_failed"


def _ignore(_: float, __: str) -> None:
    """Progress sink that drops reports."""


def transcribe_audio(
    audio: DecodedAudio, *, options: MeetingOptions, settings: Settings, progress: Progress = _ignore
) -> tuple[Transcript, dict[str, float]]:
    """Words with speakers from decoded audio; recognition and diarization run concurrently."""
    timings: dict[str, float] = {}
    model_dir = resolve_whisper_dir(model_dir=settings.meetings_whisper_model_dir, cache_dir=settings.model_cache_dir)
    whisper = load_whisper(
        model_dir,
        compute_type=options.compute_type or settings.meetings_compute_type,
        cpu_threads=settings.meetings_cpu_threads,
    )
    exact, low, high = options.speaker_bounds()
    limits = SpeakerLimits(num_speakers=exact, min_speakers=low, max_speakers=high)

    def run_recognition() -> Recognition:
        started = time.perf_counter()
        result = recognise(
            whisper, audio.samples, language=options.language, beam_size=options.beam_size, hotwords=options.hotwords
        )
        timings["transcribe"] = time.perf_counter() - started
        return result

    def run_diarization() -> list[Turn]:
        started = time.perf_counter()
        turns = build_diarizer(settings).diarize(audio.samples, limits=limits) if options.diarize else []
        timings["diarize"] = time.perf_counter() - started
        return turns

    progress(0.1, "transcribing and diarizing")
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="meeting") as pool:
        recognition_future = pool.submit(run_recognition)
        diarization_future = pool.submit(run_diarization)
        recognition = recognition_future.result()
        turns = diarization_future.result()

    words = assign_speakers(recognition.words, turns)
    utterances = group_utterances(words)
    notes: list[str] = []
    if not words:
        notes.append(NO_SPEECH_NOTE)
        logger.info("no speech detected in %.1f s of audio", audio.duration)
    if recognition.removed_repeats:
        notes.append("meetings.repeats_cut")
    transcript = Transcript(
        language=recognition.language,
        language_probability=recognition.language_probability,
        duration=audio.duration,
        words=words,
        turns=turns,
        utterances=utterances,
        speakers=speakers_in_order(utterances),
        notes=notes,
    )
    return transcript, timings


def process_meeting(
    data: bytes,
    *,
    filename: str,
    options: MeetingOptions,
    settings: Settings,
    model: ModelClient | None,
    progress: Progress = _ignore,
) -> MeetingResult:
    """Decode, transcribe, diarize and (when asked) write minutes for one recording."""
    started = time.perf_counter()
    progress(0.02, "decoding")
    audio = decode_audio(
        data,
        filename=filename,
        max_seconds=settings.meetings_max_audio_seconds,
        max_bytes=settings.meetings_max_upload_bytes,
    )
    decoded = time.perf_counter()
    transcript, timings = transcribe_audio(audio, options=options, settings=settings, progress=progress)
    timings["decode"] = decoded - started
    progress(0.7, "transcribed")

    result = MeetingResult(filename=filename, transcript=transcript, speaker_names=dict(options.speaker_names))
    if options.minutes and transcript.utterances:
        if model is None:
            from services.core.errors import ConfigurationError

            raise ConfigurationError("meetings.model_missing")
        minutes_started = time.perf_counter()
        try:
            result.minutes = write_minutes(
                transcript,
                model=model,
                language=minutes_language(options, transcript),
                names=result.speaker_names,
                chunk_chars=settings.meetings_minutes_chunk_chars,
                max_tokens=settings.meetings_minutes_max_tokens,
                progress=lambda share, message: progress(0.7 + 0.3 * share, message),
            )
        except UpstreamError as exc:
            # The transcript is still worth keeping; the minutes can be written again later.
            logger.warning("minutes of %s failed, transcript kept: %s", filename, exc.code)
            transcript.notes.append(MINUTES_FAILED_NOTE)
        timings["minutes"] = time.perf_counter() - minutes_started
    timings["total"] = time.perf_counter() - started
    result.timings = {key: round(value, 3) for key, value in timings.items()}
    logger.info(
        "meeting %s: %.1f s audio, %d words, %d speakers in %.1f s",
        filename,
        audio.duration,
        len(transcript.words),
        len(transcript.speakers),
        timings["total"],
    )
    return result


def minutes_language(options: MeetingOptions, transcript: Transcript) -> Language:
    if options.minutes_language != "auto":
        return options.minutes_language
    return "en" if transcript.language == "en" else "zh"
