"""Meetings: recordings to transcripts with speakers, minutes per meeting and per speaker, batch runs.

`process_meeting` decodes a recording once, runs faster-whisper and speaker
diarization at the same time, gives each word to a speaker and writes the
minutes through the shared model client.
"""

from services.meetings import messages as _messages  # noqa: F401  (registers the meetings.* codes)
