"""The service packages the suite knows, and importing the modules that register their routes and jobs."""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

logger = logging.getLogger(__name__)

SERVICES = ("writing", "knowledge", "analytics", "meetings")


def import_service_api(service: str) -> ModuleType | None:
    """Import `services.<service>.api`, or return None when that service is not present.

    Importing the API module also registers the service's job handlers, which
    is why Celery workers import it too.
    """
    module_name = f"services.{service}.api"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            logger.info("service %s is not installed; skipped", service)
            return None
        raise
