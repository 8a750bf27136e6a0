"""Gunicorn settings for Crossroads in production (``make serve`` uses this file).

Workers and threads follow the CPU count; override any of them with the environment
(``GUNICORN_WORKERS``, ``GUNICORN_THREADS``, ``GUNICORN_BIND``, ``GUNICORN_TIMEOUT``).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# A worker is replaced after this many requests, a guard against slow leaks. Not sooner:
# its page cache (opportunities.web.page_cache) and compiled templates go with it, and
# the 10-minute soak (make soak) shows a worker's memory level off at about 120 MB.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# The app logs one JSON access line per request itself (crossroads.access, with the
# request id, user id and duration); gunicorn's own access log stays off unless asked.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
