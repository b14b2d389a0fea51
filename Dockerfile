# syntax=docker/dockerfile:1
# Portail Famille — production image: gunicorn + WhiteNoise, non-root, health-checked.

FROM python:3.13-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /venv
# requirements.lock pins every dependency at the version tested (`make lock`).
COPY requirements.txt requirements.lock /tmp/
RUN /venv/bin/pip install -r /tmp/requirements.txt -c /tmp/requirements.lock

FROM python:3.13-slim-bookworm AS runtime
# WeasyPrint renders PDFs with pango; libharfbuzz-subset0 makes it faster.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 1000 portail
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private \
    PORT=8000
WORKDIR /app
# The code stays root's: the app's user can read it, not change it; it writes only to /data.
COPY . /app
# collectstatic needs settings that import: throw-away values, never used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput -v0 \
 && mkdir -p /data/media /data/private && chown -R portail:portail /data
USER portail
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl --fail --silent http://127.0.0.1:${PORT}/healthz || exit 1
CMD ["sh", "-c", "exec gunicorn cms.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips='*'"]
