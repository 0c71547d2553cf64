# Production image: gunicorn serving Django; the same image runs the Celery worker and beat.
FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=zhengzhou_grants.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-wqy-microhei gettext curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages -l zh_Hans -v0 --ignore=.venv \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
RUN useradd --system --uid 10001 app && mkdir -p /app/var/media && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "zhengzhou_grants.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60"]
