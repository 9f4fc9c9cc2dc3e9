FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Production: debug pages off, not a demo, HTTPS expected (Secure cookies, HSTS, the redirect).
# The container refuses to start until DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and SITE_URL are
# set (docs/security.md).
ENV DJANGO_SETTINGS_MODULE=scr.settings.base DJANGO_DEBUG=0 SCR_DEMO=0 DJANGO_HTTPS=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 scr
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Collecting reads the production settings, so it gets a throwaway key and address of its own.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DJANGO_ALLOWED_HOSTS=build.invalid SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput
USER scr
EXPOSE 8000
CMD ["gunicorn", "scr.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
