#!/bin/sh
# Runs `speakerdb pipeline` over and over with a pause in between: the scheduler for
# containers until speakerdb has one of its own. Installed in the image as
# /app/pipeline-loop. Used by the `pipeline` service in docker-compose.yml, and usable as
# a stopgap inside a platform's web service:
#   sh -c 'PIPELINE_START_DELAY_SECONDS=60 pipeline-loop & exec speakerdb serve'
#
# Read by this script only (not speakerdb settings):
#   PIPELINE_INTERVAL_SECONDS     pause after each run (default 86400, one day)
#   PIPELINE_START_DELAY_SECONDS  wait before the first run (default 0), e.g. to let
#                                 `speakerdb serve` apply migrations first
#   PIPELINE_ONCE=1               one run (with the clean-up below), then exit with its
#                                 status: for running the pipeline by hand
# Arguments are passed to `speakerdb pipeline` (e.g. --max-cost 2).
set -u

interval="${PIPELINE_INTERVAL_SECONDS:-86400}"
delay="${PIPELINE_START_DELAY_SECONDS:-0}"

case "$interval$delay" in
  *[!0-9]*|"") echo "pipeline-loop: PIPELINE_INTERVAL_SECONDS and PIPELINE_START_DELAY_SECONDS must be whole numbers of seconds" >&2; exit 2 ;;
esac

# On SIGTERM (docker stop) or SIGINT: stop the current run, clean up, exit. Sleeps run in
# the background so that the signal is handled at once.
run=""
sleeper=""
stop() {
  if [ -n "$sleeper" ]; then kill "$sleeper" 2>/dev/null; fi
  if [ -n "$run" ]; then
    kill -TERM "$run" 2>/dev/null
    wait "$run"
    pkill -KILL -s "$run" 2>/dev/null
    pkill -KILL -f '^/usr/lib/chromium/chrome_crashpad_handler' 2>/dev/null
  fi
  exit 143
}
trap stop TERM INT

sleep "$delay" & sleeper=$!
wait "$sleeper"
sleeper=""
while :; do
  # Each run gets its own session, so that whatever it leaves running can be found.
  setsid speakerdb pipeline "$@" &
  run=$!
  wait "$run"
  status=$?
  # speakerdb stops chromedriver and Chromium at the end of a run; a run that was killed
  # cannot (about 1 GB). Kill what this run's session left (chromedriver does not exit
  # on SIGTERM), and Chromium's crash handlers, which detach into sessions of their own.
  pkill -KILL -s "$run" 2>/dev/null
  pkill -KILL -f '^/usr/lib/chromium/chrome_crashpad_handler' 2>/dev/null
  if [ "${PIPELINE_ONCE:-0}" = 1 ]; then
    exit "$status"
  fi
  if [ "$status" = 0 ]; then
    echo "pipeline-loop: run finished; next in ${interval}s" >&2
  else
    echo "pipeline-loop: speakerdb pipeline failed (exit $status); next try in ${interval}s" >&2
  fi
  run=""
  sleep "$interval" & sleeper=$!
  wait "$sleeper"
  sleeper=""
done
