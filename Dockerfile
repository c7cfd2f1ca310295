# The production profile in a container: the web service (gunicorn + WhiteNoise) and, with another command, the tasks
# worker (compose.yaml runs both on one PostgreSQL). The commands are those of `make serve`; see docs/operations.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OPENFTZ_VAR_DIR=/var/lib/openftz \
    OPENFTZ_STATIC_ROOT=/app/staticfiles \
    HOST=0.0.0.0 \
    PORT=8000

# a C compiler for the e-invoice parser's compiled walk (optional: without one the Python walk is used)
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# as `make setup` installs it: the project itself, its walk compiled in place
RUN pip install --no-cache-dir --no-deps -e .

# Static files are collected into the image. collectstatic reads no secret, but settings refuse to load without a
# key: a random one is made for this step only and kept nowhere.
RUN OPENFTZ_SECRET_KEY="$(python -m openftz.core.secret_key --print)" \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --home-dir /var/lib/openftz openftz \
    && mkdir -p /var/lib/openftz && chown openftz /var/lib/openftz
USER openftz
VOLUME ["/var/lib/openftz"]
EXPOSE 8000

# gunicorn refuses to start unless Django's deployment checks pass (openftz/gunicorn_conf.py)
CMD ["gunicorn", "--config", "python:openftz.gunicorn_conf"]
