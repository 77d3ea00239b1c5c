"""gunicorn for Umka's pages (HTTP): several worker processes behind nginx.

    gunicorn -c deploy/gunicorn/umka.conf.py config.wsgi:application

Pages are served through WSGI by preforked processes — Django's request path is
synchronous and CPU-bound, so one process a core (and a few threads each, for the
time a request waits on PostgreSQL or Redis) uses a host fully. The live rooms'
WebSocket is served by uvicorn (deploy/systemd/umka-ws@.service); nginx sends /ws/
there. Knobs: WEB_BIND, WEB_WORKERS (default: cores + 1), WEB_THREADS (4).
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# Load Django once in the master, then fork: workers start fast and share memory.
preload_app = True
# Recycle a worker now and then (a slow leak never grows for ever).
max_requests = 5000
max_requests_jitter = 500
timeout = 60
graceful_timeout = 30
# nginx keeps connections to the app open; a few seconds is plenty behind it.
keepalive = 5
backlog = 2048
# nginx logs every request; gunicorn logs only its own trouble.
accesslog = None
loglevel = os.environ.get("WEB_LOG_LEVEL", "warning")
# Behind nginx on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = "127.0.0.1"
