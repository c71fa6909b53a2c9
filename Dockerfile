# syntax=docker/dockerfile:1
# Jointly's image: gunicorn by default; the same image runs the Celery worker, beat
# and manage.py (see compose.yaml). Nothing secret is in it: every setting comes from
# the environment at run time (README, Configuration).
#
#   docker build .                          on python:3.13-slim
#   scripts/image.sh                        here: on a Debian trixie base made by debootstrap
ARG BASE_IMAGE=python:3.13-slim

FROM ${BASE_IMAGE} AS build
ARG UV_VERSION=0.13.9
# gettext's msgfmt compiles the catalogues; the .mo files are not in git.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext >/dev/null \
 && rm -rf /var/lib/apt/lists/*
# A proxy's certificate authority, when the builder passes one (--secret id=ca,src=…),
# is trusted by pip and uv for this RUN only; without it they use the public ones.
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export SSL_CERT_FILE=/run/secrets/ca PIP_CERT=/run/secrets/ca; fi \
 && python3 -m venv /opt/uv \
 && /opt/uv/bin/pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
# The virtual environment outside the code, so that each is a layer of its own and a
# change to the code leaves the dependencies' layer as it was.
ENV UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
# The dependencies first, so that a change to the code reuses this layer.
COPY pyproject.toml uv.lock .python-version ./
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export SSL_CERT_FILE=/run/secrets/ca; fi \
 && /opt/uv/bin/uv sync --frozen --no-dev --no-cache --quiet
COPY . .
RUN for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check --output-file="${po%.po}.mo" "$po"; done
# collectstatic reads the settings, which need a key: a throwaway one, for this RUN only.
RUN SECRET_KEY=collectstatic-only DEBUG=0 JOINTLY_VAR_DIR=/tmp/var STATIC_ROOT=/app/staticfiles \
    /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
 && rm -rf /tmp/var

FROM ${BASE_IMAGE}
# WeasyPrint's libraries (Pango, fontconfig) and fonts for the statement PDFs.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null \
 && rm -rf /var/lib/apt/lists/*
# A fixed uid, so that a volume's files keep their owner across rebuilds. Its home,
# where gunicorn puts its control socket and uploads go, is the one folder it may
# write to; a new named volume mounted on the uploads folder takes its owner.
RUN useradd --uid 10001 --user-group --home-dir /var/lib/jointly --no-create-home \
      --shell /usr/sbin/nologin jointly \
 && mkdir -p /var/lib/jointly/media \
 && chown -R jointly:jointly /var/lib/jointly
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV PATH=/opt/venv/bin:$PATH \
    HOME=/var/lib/jointly \
    PYTHONUNBUFFERED=1 \
    JOINTLY_VAR_DIR=/var/lib/jointly \
    MEDIA_ROOT=/var/lib/jointly/media \
    STATIC_ROOT=/app/staticfiles
USER jointly
EXPOSE 8000
# The default command rather than an ENTRYPOINT, so that `docker compose run web
# python manage.py createsuperuser` works. gunicorn reads gunicorn.conf.py from /app;
# WEB_CONCURRENCY sets its number of workers.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]
