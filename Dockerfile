# Gaung: one image for the api (which also serves the web app) and, later, the worker.

FROM node:20-bookworm-slim AS spa
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 GAUNG_ENV=production \
    GAUNG_DATA_DIR=/data GAUNG_SPA_DIR=/app/frontend/dist
RUN useradd --system --uid 10001 --home /app gaung && mkdir -p /data && chown gaung /data
WORKDIR /app/backend
COPY backend/pyproject.toml ./
COPY backend/src ./src
COPY backend/migrations ./migrations
COPY backend/alembic.ini ./
RUN pip install --no-cache-dir -e .
COPY --from=spa /app/frontend/dist /app/frontend/dist
USER gaung
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health')"
# Migrations run at start; they are safe to run from several replicas (Alembic takes a lock
# through its version table transaction).
CMD ["sh", "-c", "gaung migrate && gaung api --host 0.0.0.0 --port 8000"]
