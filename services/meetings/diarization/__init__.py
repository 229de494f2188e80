"""Speaker diarization behind one interface: the embedded `senko` backend or `pyannote`."""

from services.meetings.diarization.base import Diarizer, SpeakerLimits, build_diarizer

__all__ = ["Diarizer", "SpeakerLimits", "build_diarizer"]
