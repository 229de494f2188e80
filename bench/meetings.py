"""Benchmark: the meetings pipeline against faster-whisper alone, with accuracy figures.

On tests/data/meetings/ in one run:

- DER of the pipeline's speaker turns against `pyannote_sample.rttm`
  (pyannote.metrics, collar 0.25 s), with and without the speaker count;
- WER against `pyannote_sample.stm` and CER on the AISHELL clip (jiwer,
  after Simplified conversion and punctuation removal);
- real-time factor and peak resident memory of the process;
- wall time of the whole pipeline (decode, transcribe and diarize at once,
  assign words) divided by faster-whisper alone on the same file with the same
  decoding options. Rounds alternate the two paths; medians are reported.

    python bench/meetings.py [--rounds 2] [--json out.json]

Targets: DER <= 10 % and pipeline / faster-whisper <= 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jiwer  # noqa: E402
import zhconv  # noqa: E402
from pyannote.core import Annotation, Segment  # noqa: E402
from pyannote.metrics.diarization import DiarizationErrorRate  # noqa: E402

from services.core.settings import Settings  # noqa: E402
from services.meetings.diarization import build_diarizer  # noqa: E402
from services.meetings.options import MeetingOptions  # noqa: E402
from services.meetings.pipeline import process_meeting  # noqa: E402
from services.meetings.transcribe import load_whisper  # noqa: E402
from services.meetings.weights import resolve_whisper_dir  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "meetings"
SAMPLE = DATA / "pyannote_sample.wav"
AISHELL = DATA / "zh_aishell_BAC009S0724W0121.wav"


def reference_turns() -> Annotation:
    reference = Annotation()
    for line in (DATA / "pyannote_sample.rttm").read_text().splitlines():
        fields = line.split()
        start, length = float(fields[3]), float(fields[4])
        reference[Segment(start, start + length)] = fields[7]
    return reference


def der(turns: list[dict[str, object]]) -> float:
    hypothesis = Annotation()
    for turn in turns:
        hypothesis[Segment(float(turn["start"]), float(turn["end"]))] = str(turn["speaker"])  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(DiarizationErrorRate(collar=0.25)(reference_turns(), hypothesis))


def normalise_english(text: str) -> str:
    return " ".join(re.sub(r"[^a-z' ]+", " ", text.lower()).split())


def normalise_chinese(text: str) -> str:
    return re.sub(r"[^\u3400-\u9fff0-9a-z]", "", zhconv.convert(text.lower(), "zh-cn"))


def baseline(whisper: object, path: Path, options: MeetingOptions) -> float:
    """faster-whisper alone: decode the file, VAD, word timestamps, same beam; consume every segment."""
    started = time.perf_counter()
    segments, _ = whisper.transcribe(  # type: ignore[attr-defined]
        str(path),
        beam_size=options.beam_size,
        vad_filter=True,
        word_timestamps=True,
        condition_on_previous_text=False,
    )
    for _segment in segments:
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of both paths")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    settings = Settings(_env_file=None, data_dir=Path("var"), model_backend="fake", log_level="WARNING")  # type: ignore[call-arg]
    options = MeetingOptions(minutes=False)

    load_started = time.perf_counter()
    model_dir = resolve_whisper_dir(model_dir=settings.meetings_whisper_model_dir, cache_dir=settings.model_cache_dir)
    whisper = load_whisper(model_dir, compute_type=settings.meetings_compute_type, cpu_threads=0)
    build_diarizer(settings)
    load_seconds = time.perf_counter() - load_started

    data = SAMPLE.read_bytes()
    alone: list[float] = []
    pipeline: list[float] = []
    result = None
    for _ in range(args.rounds):
        alone.append(baseline(whisper, SAMPLE, options))
        started = time.perf_counter()
        result = process_meeting(data, filename=SAMPLE.name, options=options, settings=settings, model=None)
        pipeline.append(time.perf_counter() - started)
    assert result is not None
    transcript = result.transcript
    turns = [turn.model_dump() for turn in transcript.turns]

    two = process_meeting(
        data,
        filename=SAMPLE.name,
        options=MeetingOptions(minutes=False, num_speakers=2),
        settings=settings,
        model=None,
    )
    stm = " ".join(line.split(maxsplit=5)[5] for line in (DATA / "pyannote_sample.stm").read_text().splitlines())
    hypothesis = " ".join(utterance.text for utterance in transcript.utterances)
    chinese = process_meeting(
        AISHELL.read_bytes(),
        filename=AISHELL.name,
        options=MeetingOptions(minutes=False, language="zh"),
        settings=settings,
        model=None,
    )
    chinese_text = "".join(utterance.text for utterance in chinese.transcript.utterances)
    chinese_reference = (DATA / "zh_aishell_BAC009S0724W0121.txt").read_text().strip()

    figures = {
        "der": round(der(turns), 4),
        "der_num_speakers_2": round(der([t.model_dump() for t in two.transcript.turns]), 4),
        "speakers_found": len(transcript.speakers),
        "wer": round(jiwer.wer(normalise_english(stm), normalise_english(hypothesis)), 4),
        "cer_aishell": round(jiwer.cer(normalise_chinese(chinese_reference), normalise_chinese(chinese_text)), 4),
        "aishell_text": chinese_text,
        "audio_seconds": transcript.duration,
        "faster_whisper_alone_s": round(statistics.median(alone), 3),
        "pipeline_s": round(statistics.median(pipeline), 3),
        "pipeline_over_faster_whisper": round(statistics.median(pipeline) / statistics.median(alone), 3),
        "rtf_pipeline": round(statistics.median(pipeline) / transcript.duration, 3),
        "rtf_faster_whisper": round(statistics.median(alone) / transcript.duration, 3),
        "step_seconds_last_round": result.timings,
        "model_load_s": round(load_seconds, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rounds": args.rounds,
        "alone_all_s": [round(value, 2) for value in alone],
        "pipeline_all_s": [round(value, 2) for value in pipeline],
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}",
    }
    for key, value in figures.items():
        print(f"{key:32} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
