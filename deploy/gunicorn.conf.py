"""gunicorn's settings for ParkPortal on an app server (README, "多台服务器部署").

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py          # from the portal's folder

Each value comes from the environment or the portal's .env (the real environment wins),
like the portal's own settings:

    GUNICORN_BIND                  127.0.0.1:8001; 0.0.0.0:8001 on an app server that nginx
                                   on another machine reaches (comma-separated for several)
    GUNICORN_WORKERS               2 × cores + 1
    GUNICORN_TIMEOUT               120 seconds; nginx's proxy_read_timeout is a little longer
    GUNICORN_FORWARDED_ALLOW_IPS   127.0.0.1: the nginx addresses whose X-Forwarded-Proto
                                   gunicorn believes (comma-separated)
"""

import multiprocessing
import os
from pathlib import Path

from dotenv import load_dotenv

load_dotenv(Path(__file__).resolve().parent.parent / ".env", override=False)

wsgi_app = "parkportal.wsgi:application"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")]
# Synchronous workers: a page's work is the database's and pandas', not waiting on the network.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# The zone's year-end .docx and .xlsx take the longest; workbook imports run on the workers
# of the task queue, never here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5  # nginx keeps its upstream connections open (keepalive in the upstream block)
# A worker is replaced after about a thousand requests, so that memory a large report took
# (pandas) is given back.
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"  # journald keeps both logs (journalctl -u parkportal)
errorlog = "-"
# Heartbeat files in memory: a slow or full disk cannot make the arbiter kill healthy workers.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
proc_name = "parkportal"
