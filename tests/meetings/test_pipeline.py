"""The whole pipeline on a real clip: stereo input, minutes failure keeps the transcript."""

from services.core.settings import Settings
from services.meetings.options import MeetingOptions
from services.meetings.pipeline import MINUTES_FAILED_NOTE, process_meeting
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.meetings import clips


def test_pipeline_keeps_transcript_when_minutes_time_out(
    settings: Settings, fake_model: ModelClient, fake_chat: FakeChatModel
) -> None:
    settings.data_dir = clips.DATA.parent.parent.parent / "var"
    fake_chat.queue(TimeoutError("slow"), TimeoutError("slow"), TimeoutError("slow"))
    reports: list[float] = []

    result = process_meeting(
        clips.stereo(),
        filename="stereo.wav",
        options=MeetingOptions(language="zh", num_speakers=1),
        settings=settings,
        model=fake_model,
        progress=lambda share, message: reports.append(share),
    )

    assert result.minutes is None
    assert result.transcript.notes == [MINUTES_FAILED_NOTE]
    assert "广州" in result.transcript.utterances[0].text
    assert result.transcript.speakers == ["SPEAKER_00"]
    assert reports == sorted(reports)
