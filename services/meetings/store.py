"""Stored meetings: save a result, read it, rename speakers."""

from __future__ import annotations

import logging
import uuid

from services.core.db import Database
from services.core.errors import InvalidInputError, NotFoundError
from services.meetings.models import MeetingRecord
from services.meetings.results import MeetingResult

logger = logging.getLogger(__name__)


class MeetingStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, result: MeetingResult, *, content_sha256: str, owner: str | None, job_id: str | None) -> str:
        record = MeetingRecord(
            id=uuid.uuid4().hex,
            filename=result.filename[:255],
            content_sha256=content_sha256,
            owner=owner,
            job_id=job_id,
            result=result.model_dump(mode="json"),
        )
        with self.database.session() as session:
            session.add(record)
        logger.info("meeting %s stored for job %s", record.id, job_id)
        return record.id

    def get(self, meeting_id: str) -> MeetingResult:
        with self.database.session() as session:
            record = session.get(MeetingRecord, meeting_id)
            if record is None:
                raise NotFoundError("meetings.not_found", meeting_id=meeting_id)
            return MeetingResult.model_validate(record.result)

    def check_access(self, meeting_id: str, *, owner: str, is_admin: bool) -> None:
        """Raise not-found unless `owner` uploaded the meeting or the caller is an admin."""
        with self.database.session() as session:
            record = session.get(MeetingRecord, meeting_id)
            if record is None or (not is_admin and record.owner != owner):
                raise NotFoundError("meetings.not_found", meeting_id=meeting_id)

    def rename_speakers(self, meeting_id: str, names: dict[str, str]) -> MeetingResult:
        """Set display names for speaker labels; an empty name restores the label."""
        with self.database.session() as session:
            record = session.get(MeetingRecord, meeting_id)
            if record is None:
                raise NotFoundError("meetings.not_found", meeting_id=meeting_id)
            result = MeetingResult.model_validate(record.result)
            known = set(result.transcript.speakers) | {turn.speaker for turn in result.transcript.turns}
            for label, name in names.items():
                if label not in known:
                    raise InvalidInputError(
                        "meetings.unknown_speaker", speaker=label, known=", ".join(sorted(known)) or "-"
                    )
                if name.strip():
                    result.speaker_names[label] = name.strip()
                else:
                    result.speaker_names.pop(label, None)
            record.result = result.model_dump(mode="json")
        logger.info("meeting %s: %d speaker names set", meeting_id, len(names))
        return result
