import os

from django.core.wsgi import get_wsgi_application

# A deployment's entry point: production unless told otherwise (`make run` says
# geo.settings.local, `make dev` geo.settings.dev).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo.settings.prod")
application = get_wsgi_application()
