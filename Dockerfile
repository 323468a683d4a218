# Heed's container: a build stage that compiles TypeScript to dist/, and a slim runtime stage with only
# production dependencies, running as the unprivileged `node` user. CI runs the same steps without a
# container runtime (.ci/container-build), so they cannot rot unnoticed.
#
#   docker build -t heed .
#   docker run --env-file .env -v "$PWD/heed.config.yaml:/app/heed.config.yaml:ro" \
#     -v heed-data:/app/data -p 3000:3000 heed

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source where no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Compiling TypeScript needs no native module: skip install scripts here (better-sqlite3 is built once, below).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json main.ts ./
COPY src src
COPY adapters adapters
COPY manifest manifest
RUN npm run build
# Keep only what runs: the production dependencies (reinstalled, so the native module is built here).
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json heed.config.example.yaml ./
COPY bin bin
# The SQLite store (sqlite://./data/heed.sqlite, the default) lives on a volume owned by `node`.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEED_METRICS_PORT||process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
