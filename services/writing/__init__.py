"""Writing service: outline from a title and references, a cited draft section by section, edit operations, export."""

from services.writing import messages as _messages  # noqa: F401  (registers the writing.* codes)
