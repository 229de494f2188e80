"""API keys: stored as SHA-256 hashes, each allowed a set of services."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from services.core.db import Database, rows_changed
from services.core.errors import InvalidInputError, NotFoundError
from services.core.models import ApiKeyRecord, TokenUsageRecord
from services.core.settings import SERVICE_NAMES
from services.model.usage import Usage

logger = logging.getLogger(__name__)

ALL_SERVICES = "*"
ADMIN_KEY_ID = "admin"
_KEY_PREFIX = "xc_"


@dataclass(frozen=True)
class Principal:
    """The caller behind an API key."""

    key_id: str
    name: str
    services: tuple[str, ...]

    def may_use(self, service: str) -> bool:
        return ALL_SERVICES in self.services or service in self.services

    @property
    def is_admin(self) -> bool:
        return ALL_SERVICES in self.services


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyStore:
    """Creates, checks, lists and revokes API keys, and sums token usage per key."""

    def __init__(self, database: Database, *, admin_key: str | None = None) -> None:
        self.database = database
        self._admin_key = admin_key or None

    def create(self, name: str, services: list[str]) -> tuple[ApiKeyRecord, str]:
        """Create a key; returns the stored record and the plaintext key, which is shown only once."""
        name = name.strip()
        if not name:
            raise InvalidInputError("apikey.empty_name")
        unknown = [service for service in services if service not in (*SERVICE_NAMES, ALL_SERVICES)]
        if unknown or not services:
            raise InvalidInputError(
                "apikey.bad_services", services=", ".join(unknown) or "-", accepted=", ".join(SERVICE_NAMES)
            )
        plaintext = _KEY_PREFIX + secrets.token_urlsafe(32)
        record = ApiKeyRecord(
            id=uuid.uuid4().hex,
            name=name,
            prefix=plaintext[:10],
            key_hash=hash_key(plaintext),
            services=sorted(set(services)),
        )
        with self.database.session() as session:
            session.add(record)
        logger.info("created API key %s (%s) for services %s", record.id, name, ",".join(record.services))
        return record, plaintext

    def authenticate(self, key: str) -> Principal | None:
        """Return the principal for `key`, or None when it is unknown or revoked."""
        return self.authenticate_hash(hash_key(key))

    def authenticate_hash(self, key_hash: str) -> Principal | None:
        """Return the principal for a key's SHA-256 hex digest (what a portal session stores)."""
        if self._admin_key and hmac.compare_digest(key_hash.encode(), hash_key(self._admin_key).encode()):
            return Principal(key_id=ADMIN_KEY_ID, name="admin", services=(ALL_SERVICES,))

        with self.database.session() as session:
            record = session.scalar(select(ApiKeyRecord).where(ApiKeyRecord.key_hash == key_hash))
        if record is None or record.revoked_at is not None:
            return None
        return Principal(key_id=record.id, name=record.name, services=tuple(record.services))

    def list_keys(self) -> list[ApiKeyRecord]:
        with self.database.session() as session:
            return list(session.scalars(select(ApiKeyRecord).order_by(ApiKeyRecord.created_at)))

    def revoke(self, key_id: str) -> None:
        with self.database.session() as session:
            changed = rows_changed(
                session.execute(
                    update(ApiKeyRecord)
                    .where(ApiKeyRecord.id == key_id, ApiKeyRecord.revoked_at.is_(None))
                    .values(revoked_at=datetime.now(UTC))
                )
            )
        if not changed:
            raise NotFoundError("apikey.not_found", id=key_id)
        logger.info("revoked API key %s", key_id)

    def add_usage(self, key_id: str, usage: Usage) -> None:
        """Add one request's tokens to the key's totals."""
        values = {
            "requests": TokenUsageRecord.requests + 1,
            "prompt_tokens": TokenUsageRecord.prompt_tokens + usage.prompt_tokens,
            "completion_tokens": TokenUsageRecord.completion_tokens + usage.completion_tokens,
            "updated_at": datetime.now(UTC),
        }
        # Two requests may create a key's first row at once; the loser of that
        # race gets an IntegrityError and then updates the winner's row.
        for _ in range(2):
            try:
                with self.database.session() as session:
                    changed = rows_changed(
                        session.execute(
                            update(TokenUsageRecord).where(TokenUsageRecord.key_id == key_id).values(**values)
                        )
                    )
                    if not changed:
                        session.add(
                            TokenUsageRecord(
                                key_id=key_id,
                                requests=1,
                                prompt_tokens=usage.prompt_tokens,
                                completion_tokens=usage.completion_tokens,
                            )
                        )
                return
            except IntegrityError:
                continue

    def usage(self, key_id: str | None = None) -> list[TokenUsageRecord]:
        query = select(TokenUsageRecord).order_by(TokenUsageRecord.key_id)
        if key_id is not None:
            query = query.where(TokenUsageRecord.key_id == key_id)
        with self.database.session() as session:
            return list(session.scalars(query))
