"""Stored meetings on SQLite and PostgreSQL."""

import pytest

from services.core.db import Database
from services.core.errors import InvalidInputError, NotFoundError
from services.meetings.store import MeetingStore
from tests.meetings.helpers import meeting_result


def test_save_and_get(database: Database) -> None:
    store = MeetingStore(database)

    meeting_id = store.save(meeting_result(), content_sha256="a" * 64, owner="k1", job_id=None)

    assert store.get(meeting_id).transcript.utterances[1].text == "我建议先在广州试点。"


def test_rename_speakers_persists_and_clears(database: Database) -> None:
    store = MeetingStore(database)
    meeting_id = store.save(meeting_result(), content_sha256="a" * 64, owner=None, job_id=None)

    store.rename_speakers(meeting_id, {"SPEAKER_00": " 王经理 ", "SPEAKER_01": "李娜"})
    store.rename_speakers(meeting_id, {"SPEAKER_01": ""})

    assert store.get(meeting_id).speaker_names == {"SPEAKER_00": "王经理"}


def test_rename_unknown_label_keeps_names(database: Database) -> None:
    store = MeetingStore(database)
    meeting_id = store.save(meeting_result(), content_sha256="a" * 64, owner=None, job_id=None)
    store.rename_speakers(meeting_id, {"SPEAKER_00": "王经理"})

    with pytest.raises(InvalidInputError):
        store.rename_speakers(meeting_id, {"SPEAKER_00": "张三", "SPEAKER_07": "x"})

    assert store.get(meeting_id).speaker_names == {"SPEAKER_00": "王经理"}


def test_get_missing_raises(database: Database) -> None:
    with pytest.raises(NotFoundError):
        MeetingStore(database).get("missing")
