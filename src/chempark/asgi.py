"""ASGI entry point (uvicorn ``chempark.asgi:application``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
application = get_asgi_application()

from chempark.core.checks import refuse_insecure_start  # noqa: E402 - needs the apps loaded above

refuse_insecure_start()
