"""Settings shared by every environment. What varies comes from the environment or
from `.env` at the repository root (written by `make run` for the local PostGIS)."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from geo.secret_key import DEVELOPMENT_KEY

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# `make dev` and the tests may sign with the public development key; production
# refuses it (prod.py, geo/secret_key.py).
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "procrastinate.contrib.django",
    "geo",
    "territories.accounts",
    "territories.registry",
    "territories.reports",
    "territories.boundaries",
    "territories.planning",
    "territories.centres",
    "territories.events",
    "territories.contests",
    "territories.forum",
    "territories.indicators",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refusals before any view, in each edge's format (geo/middleware.py).
    "geo.middleware.RefuseNulMiddleware",
    "geo.middleware.APICommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "geo.middleware.AdminActionIdsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "geo.headers.SecurityHeadersMiddleware",
]

# --- Security headers (docs/security.md, "Headers") ----------------------------------
# No inline script anywhere: our pages load their scripts from static files and pass
# data in json_script blocks (type application/json, never run). img-src also gets
# the basemap's origin, from BASEMAP_URL (geo/headers.py); data: is the page's empty
# favicon and the icons that Leaflet's and Swagger UI's CSS draw inline.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY_BY_PATH = {
    # The admin's change lists and procrastinate's job pages (templates we do not
    # write) carry style attributes and a <style> block; staff only, scripts strict.
    "/admin/": {"style-src": ["'self'", "'unsafe-inline'"]},
}
# Browser features no page here uses are off; the map may ask where the resident is.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Flash messages live in the session (in the database), never in a cookie: a
# `messages` cookie is only as safe as the signing key, and a forged one could carry
# a message marked safe HTML (docs/security.md, "Signing key").
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "geo.urls"
WSGI_APPLICATION = "geo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgis://postgres@127.0.0.1:5432/angarsk",
        engine="django.contrib.gis.db.backends.postgis",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in throttling (docs/architecture.md, "Limits"): after this many failures for
# one user name, or from one address, within the window, every attempt is refused
# for the lockout, even with the right password. An address is shared by an office
# or a school behind one NAT, hence its higher count.
AUTHENTICATION_BACKENDS = ["geo.signin.ThrottledModelBackend"]
SIGNIN_FAILURES_PER_USERNAME = env.int("SIGNIN_FAILURES_PER_USERNAME", default=5)
SIGNIN_FAILURES_PER_ADDRESS = env.int("SIGNIN_FAILURES_PER_ADDRESS", default=20)
SIGNIN_WINDOW_MINUTES = env.int("SIGNIN_WINDOW_MINUTES", default=15)
SIGNIN_LOCKOUT_MINUTES = env.int("SIGNIN_LOCKOUT_MINUTES", default=15)

# The site's own sign-in pages (territories/accounts/pages); the admin keeps its own.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

_validators = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _validators + "UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Russian first, English second.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "geo" / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="Asia/Irkutsk")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
NODE_MODULES = BASE_DIR / "frontend" / "node_modules"
# Only the distribution folders of the npm packages we use are published.
STATICFILES_DIRS = [
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    (
        "vendor/leaflet-geoman",
        NODE_MODULES / "@geoman-io" / "leaflet-geoman-free" / "dist",
    ),
]
# Single files of packages whose folders are too big to publish whole.
NPM_STATIC_FILES = {
    "vendor/ol/ol.js": NODE_MODULES / "ol" / "dist" / "ol.js",
    "vendor/ol/ol.css": NODE_MODULES / "ol" / "ol.css",
    "vendor/chart.js/chart.umd.min.js": (
        NODE_MODULES / "chart.js" / "dist" / "chart.umd.min.js"
    ),
    "vendor/togeojson/togeojson.umd.js": (
        NODE_MODULES / "@tmcw" / "togeojson" / "dist" / "togeojson.umd.js"
    ),
    # The map's vector tiles (docs/architecture.md, "Vector tiles").
    "vendor/protomaps-leaflet/protomaps-leaflet.js": (
        NODE_MODULES / "protomaps-leaflet" / "dist" / "protomaps-leaflet.js"
    ),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "geo.staticfinders.NpmFileFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- GIS -----------------------------------------------------------------------------
# Metric CRS every geometry is stored in. Read before the first migrate: migrations take
# it from here, so another city runs in its own CRS (e.g. a local UTM zone).
GIS_SRID = env.int("GIS_SRID", default=32648)
# Where in WGS 84 the data can lie (minlon,minlat,maxlon,maxlat): bbox parameters are
# clipped to it before going into GIS_SRID. Default: UTM zone 48N widened by 3°.
GIS_AREA = env.list("GIS_AREA", cast=float, default=[99.0, 0.0, 111.0, 84.0])
# The district's centre and the basemap, for the map page.
MAP_CENTER = env.list("MAP_CENTER", cast=float, default=[52.5406, 103.8880])
MAP_ZOOM = env.int("MAP_ZOOM", default=13)
# The most features the map's endpoint of a bounded layer sends; beyond it the answer
# is cut and says so (docs/architecture.md, "Bounded layers").
LAYER_MAP_CAP = env.int("LAYER_MAP_CAP", default=2000)
# Below its clustering zoom a bounded layer comes as clusters counted in SQL when more
# than this many features match; fewer come as points (the browser groups them).
LAYER_MAP_CLUSTER_OVER = env.int("LAYER_MAP_CLUSTER_OVER", default=500)
# Closed reports stay on the map by default this many days after their last change.
REPORTS_MAP_RECENT_DAYS = env.int("REPORTS_MAP_RECENT_DAYS", default=90)
BASEMAP_URL = env(
    "BASEMAP_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
BASEMAP_ATTRIBUTION = env(
    "BASEMAP_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Residents per flat where a building has no recorded count (docs/domain.md, "Norms").
AVERAGE_HOUSEHOLD = env.float("AVERAGE_HOUSEHOLD", default=2.3)

# Coverage analyses (docs/domain.md, "Coverage of grounds"): the largest radius asked.
COVERAGE_MAX_RADIUS_M = env.float("COVERAGE_MAX_RADIUS_M", default=5000.0)
# Greedy plans of where to build next each client may start per hour (a background
# job each; docs/architecture.md, "Limits").
COVERAGE_PLANS_HOURLY_PER_CLIENT = env.int(
    "COVERAGE_PLANS_HOURLY_PER_CLIENT", default=20
)
# Above these many buildings in scope a coverage or candidates analysis with no kept
# result runs as a background job (docs/domain.md, "Coverage of grounds": slow
# analyses).
COVERAGE_SYNC_MAX_BUILDINGS = env.int("COVERAGE_SYNC_MAX_BUILDINGS", default=30000)
COVERAGE_SYNC_MAX_BUILDINGS_NETWORK = env.int(
    "COVERAGE_SYNC_MAX_BUILDINGS_NETWORK", default=10000
)
# Walking distance (docs/domain.md, "Walking distance"): a building or ground further
# than this from every walkable way is not on the walking network.
WALKING_SNAP_M = env.float("WALKING_SNAP_M", default=100.0)

# TOS boundaries (docs/domain.md, "TOS boundaries"): a part shared with an approved
# neighbour (or lying outside the district) smaller than this is a sliver of
# drawing, snapped away rather than refused; a drawn boundary may have at most
# this many vertices, and its request body at most this many bytes.
TERRITORY_SLIVER_M2 = env.float("TERRITORY_SLIVER_M2", default=100.0)
TERRITORY_MAX_VERTICES = env.int("TERRITORY_MAX_VERTICES", default=5000)
TERRITORY_MAX_BODY_BYTES = env.int("TERRITORY_MAX_BODY_BYTES", default=2 * 1024 * 1024)
# Living floor area per resident, to estimate residents from levels × footprint.
LIVING_AREA_PER_RESIDENT_M2 = env.float("LIVING_AREA_PER_RESIDENT_M2", default=25.0)

# Resource centres (docs/domain.md, "Resource centres and bookings"): how far ahead a
# room may be booked, and the longest booking.
BOOKING_HORIZON_DAYS = env.int("BOOKING_HORIZON_DAYS", default=90)
BOOKING_MAX_HOURS = env.int("BOOKING_MAX_HOURS", default=12)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # A script's token first (401 with `WWW-Authenticate: Token` when an account is
    # needed), then the session with no write from another site's page, signed in or
    # not (geo/api/auth.py; docs/security.md).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "geo.api.csrf.SameSiteSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON bodies with a size and a depth limit (geo/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "geo.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ангарск: дружные соседи — API",
    "DESCRIPTION": (
        "Слои городского округа в GeoJSON (RFC 7946). "
        "Layers of Angarsk urban district as GeoJSON (RFC 7946)."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name with another app's get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "EventStateEnum": "territories.events.models.Event.State",
        "EventPlaceKindEnum": "territories.events.models.Event.PlaceKind",
        "RegistrationStateEnum": "territories.events.models.Registration.State",
        "BookingStateEnum": ["requested", "accepted", "declined", "cancelled"],
        "OrganiserKindEnum": ["territory", "council", "group"],
        "AnalysisStateEnum": ["queued", "running", "done", "failed"],
        "ContestSeasonStateEnum": "territories.contests.models.Season.State",
        "ContestEntryStateEnum": "territories.contests.models.Entry.State",
        "ContestPlaceKindEnum": "territories.contests.models.Entry.PlaceKind",
        "ContestModerationEnum": ["approved", "rejected"],
    },
    # One operation per layer, with that layer's filters (geo/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "geo.api.schema.layer_operations",
        "geo.api.schema.token_refusals",
    ],
}

# Debian 12 ships GDAL 3.6, which cannot block file and network access of spatial
# reference strings; we only ever transform between EPSG codes from settings, never from
# user input, so that protection has nothing to guard here.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Background jobs (docs/architecture.md, "Background jobs") ---------------------
# Jobs are rows in PostgreSQL, deferred in the transaction of the change that caused
# them; `manage.py procrastinate worker` runs them. The worker deletes what succeeded
# (the table would otherwise grow with every mail) and keeps what failed for good, for
# staff to see and retry in the admin.
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "successful"}

# --- Problem reports ---------------------------------------------------------------
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")
REPORT_MAX_DESCRIPTION = 4000
REPORT_MAX_PHOTOS = 3
REPORT_MAX_PHOTO_BYTES = env.int("REPORT_MAX_PHOTO_BYTES", default=10 * 1024 * 1024)
REPORT_PHOTO_MAX_SIDE = env.int("REPORT_PHOTO_MAX_SIDE", default=1600)
# Pixels of one photo and of all photos of a request, judged from the headers before
# anything is decoded: a PNG or WebP is decoded whole (4 bytes a pixel), so 40 MP is
# 160 MB for a worker at worst; docs/architecture.md, "Cheap checks first".
REPORT_PHOTO_MAX_PIXELS = env.int("REPORT_PHOTO_MAX_PIXELS", default=40_000_000)
REPORT_REQUEST_MAX_PIXELS = env.int("REPORT_REQUEST_MAX_PIXELS", default=60_000_000)
# Anonymous web submissions per client and hour; Open311 keys have their own quota.
REPORT_HOURLY_QUOTA = env.int("REPORT_HOURLY_QUOTA", default=10)
# Refused submissions per sender and hour (the quota's senders: client, account,
# Open311 key), those being checked included; then 429 until the oldest is an hour old.
REPORT_HOURLY_REFUSALS = env.int("REPORT_HOURLY_REFUSALS", default=10)
# Anonymous «me too» per report from one address and hour: each browser counts once,
# but a client that drops its cookie must not vote without end.
REPORT_SUPPORT_HOURLY_PER_ADDRESS = env.int(
    "REPORT_SUPPORT_HOURLY_PER_ADDRESS", default=10
)
# The other limits of anonymous writes (docs/architecture.md, "Limits"), per hour.
# Follow requests per client (account, or address when anonymous), whatever address
# they give; confirmation mails per mailbox, whoever asks for them.
REPORT_FOLLOW_HOURLY_PER_CLIENT = env.int("REPORT_FOLLOW_HOURLY_PER_CLIENT", default=10)
REPORT_FOLLOW_MAILS_HOURLY_PER_ADDRESS = env.int(
    "REPORT_FOLLOW_MAILS_HOURLY_PER_ADDRESS", default=5
)
# Reopen and forget-me attempts per client and report.
REPORT_REOPEN_HOURLY_PER_CLIENT = env.int("REPORT_REOPEN_HOURLY_PER_CLIENT", default=3)
REPORT_FORGET_ME_HOURLY_PER_CLIENT = env.int(
    "REPORT_FORGET_ME_HOURLY_PER_CLIENT", default=5
)
REPORT_DUPLICATE_RADIUS_M = 250
REPORT_BUILDING_RADIUS_M = 25
# The dashboard's share of reports fixed within this many days of their submission
# (docs/domain.md, "Indicators").
REPORT_FIX_TARGET_DAYS = env.int("REPORT_FIX_TARGET_DAYS", default=30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# --- Events (docs/domain.md, "Events") ---------------------------------------------
# Sign-ups per client (account, or address when anonymous) and hour, and mails with a
# cancel link per mailbox and hour, whoever asks (docs/architecture.md, "Limits").
EVENT_SIGNUPS_HOURLY_PER_CLIENT = env.int("EVENT_SIGNUPS_HOURLY_PER_CLIENT", default=10)
EVENT_SIGNUP_MAILS_HOURLY_PER_ADDRESS = env.int(
    "EVENT_SIGNUP_MAILS_HOURLY_PER_ADDRESS", default=5
)
EVENT_MAX_DESCRIPTION = 4000
# Registrants are reminded by mail this long before their event starts.
EVENT_REMINDER_HOURS = 24

# --- Verified persons (docs/domain.md, "Verified persons") -------------------------
# A one-time code lives this many minutes and takes this many wrong tries; codes per
# account, per client (account, or address) and per contact and hour.
VERIFICATION_CODE_MINUTES = env.int("VERIFICATION_CODE_MINUTES", default=10)
VERIFICATION_MAX_ATTEMPTS = env.int("VERIFICATION_MAX_ATTEMPTS", default=5)
VERIFICATION_CODES_HOURLY_PER_ACCOUNT = env.int(
    "VERIFICATION_CODES_HOURLY_PER_ACCOUNT", default=5
)
VERIFICATION_CODES_HOURLY_PER_CLIENT = env.int(
    "VERIFICATION_CODES_HOURLY_PER_CLIENT", default=10
)
VERIFICATION_CODES_HOURLY_PER_CONTACT = env.int(
    "VERIFICATION_CODES_HOURLY_PER_CONTACT", default=3
)
# New resident accounts per client address and hour (/accounts/register/).
ACCOUNT_REGISTRATIONS_HOURLY_PER_CLIENT = env.int(
    "ACCOUNT_REGISTRATIONS_HOURLY_PER_CLIENT", default=5
)
# No SMS gateway is configured: the default writes messages to the log and to the
# accounts_smsmessage table (the development outbox). Production names a class
# with send(phone, text) that talks to a real gateway.
SMS_BACKEND = env("SMS_BACKEND", default="territories.accounts.sms.OutboxBackend")

# --- After an event: results, photo report, planted trees; calendars ---------------
# docs/domain.md, "After the event" and "Event indicators". The photo report goes
# through the reports' pipeline (geo/photos.py) with limits of its own; the pixel caps
# bound a worker's memory and CPU, so they default to the reports' ones.
EVENT_MAX_PHOTOS = env.int("EVENT_MAX_PHOTOS", default=30)  # per event, all uploads
EVENT_PHOTOS_PER_REQUEST = env.int("EVENT_PHOTOS_PER_REQUEST", default=5)
EVENT_MAX_PHOTO_BYTES = env.int("EVENT_MAX_PHOTO_BYTES", default=REPORT_MAX_PHOTO_BYTES)
EVENT_PHOTO_MAX_SIDE = env.int("EVENT_PHOTO_MAX_SIDE", default=REPORT_PHOTO_MAX_SIDE)
EVENT_PHOTO_MAX_PIXELS = env.int(
    "EVENT_PHOTO_MAX_PIXELS", default=REPORT_PHOTO_MAX_PIXELS
)
EVENT_REQUEST_MAX_PIXELS = env.int(
    "EVENT_REQUEST_MAX_PIXELS", default=REPORT_REQUEST_MAX_PIXELS
)
# The largest yard events of the practice gather hundreds; a city festival a few
# thousand. A figure beyond this is a typing slip.
EVENT_MAX_PARTICIPANTS = env.int("EVENT_MAX_PARTICIPANTS", default=50_000)
EVENT_MAX_OUTCOME = 4000
# Trees one request may record (a drive plants tens, «Укоренись в Ангарске» some
# hundreds over a season).
EVENT_MAX_TREES_PER_REQUEST = env.int("EVENT_MAX_TREES_PER_REQUEST", default=300)
# The calendars (/events.ics) carry events from this many days back to this many
# days ahead; a single event's file has it whatever its date.
EVENT_CALENDAR_PAST_DAYS = env.int("EVENT_CALENDAR_PAST_DAYS", default=90)
EVENT_CALENDAR_FUTURE_DAYS = env.int("EVENT_CALENDAR_FUTURE_DAYS", default=365)

# --- The forum «Ангарск – это мы!» (docs/domain.md, "Forum") ------------------------
# A project's estimated budget in rubles: more than 0, at most this (a yard's
# improvement costs millions; a figure beyond this is a typing slip).
FORUM_MAX_BUDGET = env.int("FORUM_MAX_BUDGET", default=100_000_000)
FORUM_MAX_VERTICES = env.int("FORUM_MAX_VERTICES", default=2_000)
FORUM_MAX_DESCRIPTION = 4000
FORUM_MAX_PHOTOS = env.int("FORUM_MAX_PHOTOS", default=5)
FORUM_PROJECTS_HOURLY_PER_ACCOUNT = env.int(
    "FORUM_PROJECTS_HOURLY_PER_ACCOUNT", default=5
)
FORUM_FOLLOWS_HOURLY_PER_CLIENT = env.int("FORUM_FOLLOWS_HOURLY_PER_CLIENT", default=10)
FORUM_FOLLOW_MAILS_HOURLY_PER_ADDRESS = env.int(
    "FORUM_FOLLOW_MAILS_HOURLY_PER_ADDRESS", default=5
)
