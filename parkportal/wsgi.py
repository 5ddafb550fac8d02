"""
WSGI config for parkportal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")

application = get_wsgi_application()
# Load every view now, then set what is loaded aside from the garbage collector: its full
# collections, which otherwise walk these objects and fell on about every other cold
# page of the reports, took some 100 ms each.
get_resolver().check()  # imports every URLconf and view
gc.freeze()
