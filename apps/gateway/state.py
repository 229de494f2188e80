"""The objects one gateway process shares between requests."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from services.core.apikeys import ApiKeyStore
from services.core.db import Database
from services.core.errors import XingchenError
from services.core.jobs import JobRunner, JobStore
from services.core.settings import Settings
from services.model.client import ModelClient

logger = logging.getLogger(__name__)


@dataclass
class GatewayState:
    settings: Settings
    database: Database
    jobs: JobStore
    runner: JobRunner
    keys: ApiKeyStore
    model: ModelClient | None = None
    # Why the model client could not be built or loaded, for /readyz and model calls.
    model_error: XingchenError | None = None
    model_loading: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)

    def start_job_sweeper(self, interval_seconds: float = 60.0) -> None:
        """Mark orphaned jobs failed every `interval_seconds`, so none stays "running" after its worker died."""
        stale_after = timedelta(seconds=self.settings.job_stale_seconds)

        def sweep() -> None:
            while not self.stopping.wait(interval_seconds):
                try:
                    self.jobs.fail_interrupted(stale_after=stale_after)
                except SQLAlchemyError as exc:
                    logger.warning("job sweep failed: %s", exc)

        threading.Thread(target=sweep, name="job-sweeper", daemon=True).start()

    def load_model_in_background(self) -> None:
        """Load the model weights on a thread so the gateway answers /healthz meanwhile."""
        if self.model is None:
            return
        model = self.model

        def load() -> None:
            self.model_loading.set()
            try:
                model.load()
            except XingchenError as exc:
                self.model_error = exc
                logger.error("model failed to load: %s", exc.message("en"))
            except Exception as exc:  # noqa: BLE001  (reported through /readyz)
                self.model_error = XingchenError("config.invalid", reason=repr(exc))
                logger.exception("model failed to load")
            finally:
                self.model_loading.clear()

        threading.Thread(target=load, name="model-load", daemon=True).start()
