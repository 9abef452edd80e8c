FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DEBUG=0
WORKDIR /app

COPY pyproject.toml README.md manage.py ./
COPY quartier ./quartier
COPY neighbourhoods ./neighbourhoods
COPY participation ./participation
COPY network ./network
COPY templates ./templates
COPY static ./static
COPY locale ./locale
RUN python -m pip install . \
 && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home /app quartier \
 && mkdir -p /app/media && chown quartier /app/media

USER quartier
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "-c", "quartier/gunicorn.conf.py"]
