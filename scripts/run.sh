#!/bin/sh
# `make run`: the development server and, beside it, the job worker (README, "The worker").
# Redis: used when it answers at REDIS_URL; otherwise a local redis-server is started when one is installed;
# with no Redis at all, jobs run in a thread of the web server (JOBS_IN_PROCESS), so a fresh machine still works.
# Whatever this starts stops with it (Ctrl-C, or runserver ending).
set -u
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export REDIS_URL
pids=""

cleanup() {
    trap - EXIT INT TERM
    for pid in $pids; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis_up() {
    "$PY" -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL'], socket_connect_timeout=1).ping()" \
        >/dev/null 2>&1
}

if ! redis_up && command -v redis-server >/dev/null 2>&1; then
    case "$REDIS_URL" in
    redis://127.0.0.1:6379* | redis://localhost:6379*)
        echo "Starting redis-server on 127.0.0.1:6379 (stopped with make run)."
        redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --loglevel warning &
        pids="$pids $!"
        for _ in 1 2 3 4 5 6 7 8 9 10; do redis_up && break; sleep 0.5; done
        ;;
    esac
fi

if redis_up; then
    echo "Job worker started beside the server (Redis at $REDIS_URL)."
    "$PY" manage.py worker &
    pids="$pids $!"
else
    echo "No Redis at $REDIS_URL and no redis-server to start: jobs (large exports, certificate batches,"
    echo "large imports, e-mails) run inside the web server's process. Install Redis for a real worker."
    export JOBS_IN_PROCESS=1
fi

# In the background, so the trap runs as soon as Ctrl-C (or a TERM) arrives, and stops everything.
"$PY" manage.py runserver "127.0.0.1:$PORT" &
server=$!
pids="$pids $server"
wait "$server"
