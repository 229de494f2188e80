#!/usr/bin/env bash
# Start PostgreSQL, MariaDB and Redis for the tests when they are installed but not running.
set -euo pipefail

is_listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_for_port() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do
    is_listening "$port" && return 0
    sleep 0.5
  done
  echo "error: $name did not start listening on 127.0.0.1:$port within 30 s" >&2
  return 1
}

if ! is_listening 5432; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "error: PostgreSQL is not installed; install Debian's postgresql package" >&2
    exit 1
  fi
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  wait_for_port PostgreSQL 5432
fi

if ! is_listening 6379; then
  if ! command -v redis-server >/dev/null; then
    echo "error: Redis is not installed; install Debian's redis-server package" >&2
    exit 1
  fi
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for_port Redis 6379
fi

if ! is_listening 3306; then
  if ! command -v mariadbd >/dev/null; then
    echo "error: MariaDB is not installed; install Debian's mariadb-server package" >&2
    exit 1
  fi
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for_port MariaDB 3306
fi
