#!/bin/sh
# Serve Umka for `make run`: the background task worker and the web server together;
# stopping the server (Ctrl+C) stops the worker too.
set -eu
"$BIN/python" manage.py run_huey --quiet &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Umka: http://$HOST:$PORT/  (Ctrl+C to stop)"
"$BIN/python" manage.py runserver "$HOST:$PORT" --noreload
