import os

from django.core.asgi import get_asgi_application

# A deployment's entry point: production unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo.settings.prod")
application = get_asgi_application()
