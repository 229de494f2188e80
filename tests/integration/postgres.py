"""A private PostgreSQL cluster in a temporary folder, which a test may stop and restart.

The shared server on port 5432 serves the rest of the test suite, so the
restart fault runs against a cluster of its own: Debian's `initdb` and
`pg_ctl` on a free port, trust authentication, listening on 127.0.0.1 only.
`initdb` refuses to run as root, so under root every command runs as the
`postgres` system user, which then owns the folder.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

DEBIAN_POSTGRES_ROOT = Path("/usr/lib/postgresql")


def postgres_bin_dir() -> Path:
    """Return the `bin` folder of the newest PostgreSQL installed from Debian packages."""
    versions = sorted(
        (path for path in DEBIAN_POSTGRES_ROOT.glob("*/bin") if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not versions:
        raise FileNotFoundError(
            f"no initdb under {DEBIAN_POSTGRES_ROOT}/*/bin; install Debian's postgresql package "
            "(scripts/install-system-packages.sh does)"
        )
    return versions[-1]


class PrivateCluster:
    """One PostgreSQL cluster: `init()` once, then `start()`, `stop()` and `restart()` as a fault needs."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.bin_dir = postgres_bin_dir()
        # Not under pytest's tmp_path: the `postgres` user cannot enter root's private folders.
        self.folder = Path(tempfile.mkdtemp(prefix="xingchen-pg-"))
        self.data_dir = self.folder / "data"
        self.log_path = self.folder / "postgres.log"
        self._run_as = _unprivileged_user()

    def init(self) -> None:
        if self._run_as is not None:
            user = pwd.getpwnam(self._run_as)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run(
            "initdb",
            "--pgdata",
            str(self.data_dir),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "--pgdata", str(self.data_dir), "--log", str(self.log_path), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "--pgdata", str(self.data_dir), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self, name: str) -> str:
        """Create database `name` and return its SQLAlchemy URL."""
        admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def remove(self) -> None:
        """Stop the cluster at once, when it runs, and delete its folder."""
        if (self.data_dir / "postmaster.pid").exists():
            try:
                self.stop(mode="immediate")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.bin_dir / program), *arguments]
        if self._run_as is not None:
            command = ["runuser", "-u", self._run_as, "--", *command]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.folder)
        if completed.returncode != 0:
            raise subprocess.CalledProcessError(
                completed.returncode,
                command,
                output=completed.stdout,
                stderr=f"{completed.stderr}\nserver log:\n{self.log_tail()}",
            )


def _unprivileged_user() -> str | None:
    """Return the user to run PostgreSQL as: `postgres` under root, else None (the current user)."""
    if os.geteuid() != 0:
        return None
    return "postgres"
