# Quartier in production: gunicorn behind a reverse proxy, PostgreSQL through DATABASE_URL.
# Every step here is also run by tests/quartier/test_production.py outside Docker (the same
# editable install as the README, the same collectstatic with production settings, gunicorn
# from the same config answering /healthz).
#
#   docker build -t quartier .
#   docker run --rm -e SECRET_KEY=… -e DATABASE_URL=postgres://… quartier python manage.py migrate
#   docker run -p 8000:8000 -e SECRET_KEY=… -e DATABASE_URL=postgres://… \
#     -e ALLOWED_HOSTS=quartier.example.org quartier
#   docker run -e SECRET_KEY=… -e DATABASE_URL=postgres://… quartier python manage.py worker
# compose.yaml puts these together (nginx, two of these, a worker, PostgreSQL, Redis).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    MEDIA_ROOT=/app/media \
    DATABASE_URL=sqlite:////app/data/quartier.sqlite3
WORKDIR /app

COPY pyproject.toml README.md manage.py ./
COPY quartier ./quartier
COPY neighbourhoods ./neighbourhoods
COPY participation ./participation
COPY network ./network
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Editable install: the code runs from /app, where settings find templates/, static/, locale/
# (a plain `pip install .` would import the copy in site-packages, without those folders);
# with S3 and RQ support for installations on several machines.
RUN python -m pip install -e .[s3,rq] \
 && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home /app quartier \
 && mkdir -p /app/media /app/data \
 && chown quartier /app/media /app/data

USER quartier
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "-c", "quartier/gunicorn.conf.py"]
