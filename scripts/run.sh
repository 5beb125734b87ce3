#!/usr/bin/env bash
# Serve the app with gunicorn and run a background-job worker beside it; Ctrl-C (or TERM)
# stops both, and if either stops on its own the other is stopped too.
#
#   PORT=5000 WORKERS=2 JOB_WORKERS=2 scripts/run.sh      (make run calls this)
#
# The environment (LMS_ENV, DATABASE_URL, REDIS_URL, …) is passed to both as it is.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-.venv/bin}"
PORT="${PORT:-5000}"
HOST="${HOST:-127.0.0.1}"
WORKERS="${WORKERS:-2}"
JOB_WORKERS="${JOB_WORKERS:-2}"
export FLASK_APP="${FLASK_APP:-wsgi}"

pids=()
stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo "run.sh: stopping the web server and the worker" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$BIN/flask" lms worker --workers "$JOB_WORKERS" &
pids+=($!)
"$BIN/gunicorn" --workers "$WORKERS" --bind "$HOST:$PORT" --access-logfile - wsgi:app &
pids+=($!)
echo "run.sh: web server on http://$HOST:$PORT (pid ${pids[1]}), worker pid ${pids[0]}" >&2

# Whichever ends first (a crash, or a signal handled above) ends the other.
wait -n
status=$?
stop
exit "$status"
