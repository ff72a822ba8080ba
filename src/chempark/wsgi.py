"""WSGI entry point, for servers that do not speak ASGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
application = get_wsgi_application()

from chempark.core.checks import refuse_insecure_start  # noqa: E402 - needs the apps loaded above

refuse_insecure_start()
