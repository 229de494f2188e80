"""Check that the gateway can listen on its address before uvicorn starts."""

from __future__ import annotations

import errno
import socket

import services.core.messages  # noqa: F401  (registers the serve texts)
from services.core.errors import ConflictError


def check_port_free(host: str, port: int) -> None:
    """Bind `host:port` once and release it; raise a localised `ConflictError` when that fails."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConflictError("serve.cannot_bind", host=host, port=port, reason=exc.strerror) from exc
    family, kind, protocol, _, address = addresses[0]
    with socket.socket(family, kind, protocol) as probe:
        # uvicorn sets SO_REUSEADDR too, so a port left in TIME_WAIT is not reported as busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConflictError("serve.port_in_use", host=host, port=port) from exc
            raise ConflictError("serve.cannot_bind", host=host, port=port, reason=exc.strerror) from exc
