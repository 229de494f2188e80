"""Render the plug-in's Office add-in manifest for the gateway's public address."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"

# The add-in's identity in Office. It must stay the same across releases, or Word
# treats a new version as a different add-in.
ADD_IN_ID = "8aa035ef-be21-4667-a0da-f8cfcb3fe656"
ADD_IN_VERSION = "1.0.0.0"

environment = Environment(
    loader=FileSystemLoader(PACKAGE_DIR),
    autoescape=select_autoescape(enabled_extensions=("xml.j2",), default=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def check_base_url(base_url: str) -> str:
    """Return `base_url` without a trailing slash; raise ValueError unless it is an http(s) URL."""
    base_url = base_url.rstrip("/")
    if urlsplit(base_url).scheme not in ("http", "https"):
        raise ValueError(f"base URL {base_url!r} must start with http:// or https://")
    return base_url


def render_manifest(base_url: str) -> str:
    """Render the manifest whose URLs point at the pane and icons under `base_url`."""
    base_url = check_base_url(base_url)
    if urlsplit(base_url).scheme == "http":
        # NOTE: Word loads task panes only over HTTPS; an http:// manifest suits the
        # browser tests and local trials, not sideloading into Word.
        logger.warning("editor plug-in manifest served with http:// URLs (%s); Word requires https://", base_url)

    template = environment.get_template("manifest.xml.j2")
    return template.render(base_url=base_url, add_in_id=ADD_IN_ID, version=ADD_IN_VERSION)
