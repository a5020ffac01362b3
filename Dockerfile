# hubcommission: one image for the web process (gunicorn), the Celery worker
# and Celery beat. docker-compose.yml picks the process with `command:`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Shared libraries WeasyPrint 70 loads through cffi at import time: GObject
# and Fontconfig come in as dependencies of Pango; HarfBuzz-subset is optional
# (WeasyPrint warns without it) but makes embedded fonts smaller. Without at
# least one font, PDFs render with empty boxes instead of letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libffi8 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The processes run as this unprivileged user; the code itself stays owned
# by root so a compromised process cannot rewrite it.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home app

WORKDIR /app

# Dependencies first, so editing the code does not reinstall them.
# (pyproject.toml declares no packages: `pip install .` installs the
# dependencies; the code runs from /app.)
COPY pyproject.toml ./
RUN pip install --no-cache-dir .

COPY . .

# Static files are collected into the image. Production settings refuse to
# load without these variables, so the build gives throwaway values that are
# used for nothing else and do not stay in the image's environment.
RUN SECRET_KEY=collectstatic-build-only-not-a-real-secret-0123456789abcdefghij \
    DATABASE_URL=postgres://build:build@127.0.0.1:5432/build \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    ALLOWED_HOSTS=localhost \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/private-media \
    && chown app:app /app/private-media

ENV DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/private-media \
    WEB_CONCURRENCY=3

USER app

EXPOSE 8000

# gunicorn takes its worker count from WEB_CONCURRENCY (3 suits the 2-core
# hosts this is sized for; raise it to about 2 x cores + 1 on bigger ones).
# PDF rendering can be slow, hence the longer timeout. The request line, the
# number of headers and each header's size are capped (a URL of 4 KB, 50
# headers of 8 KB); bodies are capped by the app and the proxy in front.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "120", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-", "--no-control-socket", "--limit-request-line", "4094", "--limit-request-fields", "50", "--limit-request-field_size", "8190"]
