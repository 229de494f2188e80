"""The objects one gateway process shares between requests."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from services.core.apikeys import ApiKeyStore
from services.core.db import Database
from services.core.errors import XingchenError
from services.core.jobs import JobStore, LocalJobRunner
from services.core.settings import Settings
from services.model.client import ModelClient

logger = logging.getLogger(__name__)


@dataclass
class GatewayState:
    settings: Settings
    database: Database
    jobs: JobStore
    runner: LocalJobRunner
    keys: ApiKeyStore
    model: ModelClient | None = None
    # Why the model client could not be built or loaded, for /readyz and model calls.
    model_error: XingchenError | None = None
    model_loading: threading.Event = field(default_factory=threading.Event)

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
