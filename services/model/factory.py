"""Build the process's `ModelClient` from settings."""

from __future__ import annotations

import logging

from services.core.settings import Settings
from services.model.backends.base import Backend
from services.model.client import ClientLimits, ModelClient

logger = logging.getLogger(__name__)

# What the fake backend answers when settings select it and no test queued a reply.
FAKE_DEFAULT_REPLY = "（测试模型的固定回复）(canned reply of the fake test model)"


def limits_from_settings(settings: Settings) -> ClientLimits:
    return ClientLimits(
        max_concurrency=settings.model_max_concurrency,
        queue_timeout=settings.model_queue_timeout,
        timeout=settings.model_timeout,
        max_retries=settings.model_max_retries,
        retry_backoff=settings.model_retry_backoff,
        structured_max_retries=settings.structured_max_retries,
        default_max_tokens=settings.model_default_max_tokens,
    )


def build_backend(settings: Settings) -> Backend:
    """Create the backend that `settings.model_backend` names; the embedded weights load lazily."""
    if settings.model_backend == "embedded":
        from services.model.backends.embedded import EmbeddedBackend, LlamaCppChatModel
        from services.model.weights import resolve_model_file

        path = resolve_model_file(
            model_path=settings.model_path,
            packaged_name=settings.embedded_model,
            cache_dir=settings.model_cache_dir,
        )
        chat_model = LlamaCppChatModel(
            model_path=path,
            n_ctx=settings.model_context_tokens,
            n_threads=settings.model_threads,
            repeat_penalty=settings.model_repeat_penalty,
            max_tokens=settings.model_default_max_tokens,
            timeout=settings.model_timeout,
        )
        return EmbeddedBackend(name="embedded", model_name=path.stem, chat_model=chat_model, target=str(path))

    if settings.model_backend == "openai":
        from services.model.backends.openai import build_openai_backend

        return build_openai_backend(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key.get_secret_value(),
            model=settings.openai_model,
            timeout=settings.model_timeout,
            max_tokens=settings.model_default_max_tokens,
            structured_mode=settings.openai_structured_mode,
            token_limit_field=settings.openai_token_limit_field,
        )

    from services.model.backends.fake import build_fake_backend

    logger.warning("using the fake model backend; replies are canned and meant for tests")
    return build_fake_backend(default_reply=FAKE_DEFAULT_REPLY)


def build_model_client(settings: Settings) -> ModelClient:
    backend = build_backend(settings)
    logger.info("model client ready: backend=%s model=%s", backend.name, backend.model_name)
    return ModelClient(backend, limits=limits_from_settings(settings))
