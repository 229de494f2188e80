"""Token usage per API key."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from apps.gateway.deps import PrincipalDep, StateDep

router = APIRouter(prefix="/api/v1/usage", tags=["usage"])


class KeyUsage(BaseModel):
    key_id: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@router.get("", response_model=list[KeyUsage])
def get_usage(state: StateDep, principal: PrincipalDep) -> list[KeyUsage]:
    """Return the caller's token totals; an admin key sees every key's."""
    rows = state.keys.usage(None if principal.is_admin else principal.key_id)
    return [
        KeyUsage(
            key_id=row.key_id,
            requests=row.requests,
            prompt_tokens=row.prompt_tokens,
            completion_tokens=row.completion_tokens,
            total_tokens=row.prompt_tokens + row.completion_tokens,
        )
        for row in rows
    ]
