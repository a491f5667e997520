# One image for the Node parts of the stack (docker-compose.yml): the monolith, the users service,
# the proxy, the CDC process and the one-shot helpers (database migrations, tokens, Unleash flags,
# connector registration). Each service runs it with its own command, TypeScript through tsx, as
# the native stack does (`node --import tsx <app>/src/main.ts`).
FROM node:20-bookworm-slim

# Prisma's CLI probes the OpenSSL version even on its offline js engine (ADR 0002).
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (a layer that survives source changes): the lock file and every workspace's
# package.json (root package.json "workspaces"), plus the bins that npm links (prisma-offline, strangler).
COPY package.json package-lock.json ./
COPY libs/prisma-offline/package.json libs/prisma-offline/
COPY libs/prisma-offline/bin libs/prisma-offline/bin
COPY libs/service-kit/package.json libs/service-kit/
COPY libs/users-contract/package.json libs/users-contract/
COPY libs/migration-config/package.json libs/migration-config/
COPY libs/unleash-admin/package.json libs/unleash-admin/
COPY legacy-monolith/package.json legacy-monolith/
COPY extracted/users-service/package.json extracted/users-service/
COPY examples/blog/package.json examples/blog/
COPY strangler-proxy/package.json strangler-proxy/
COPY migration-plan/package.json migration-plan/
COPY migration-plan/bin migration-plan/bin
COPY cdc/package.json cdc/
COPY stack/package.json stack/
# Install scripts are skipped: Prisma's would download engines (we run the offline js engine and
# generate below), and the embedded PostgreSQL binaries are not used in containers. tsx (a dev
# dependency) runs the apps, so dev dependencies stay.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY . .
RUN npm run generate \
 && mkdir -p /var/lib/strangler/proxy /var/lib/strangler/secrets \
 && chown -R node:node /var/lib/strangler

USER node
# Every service of docker-compose.yml sets its own command; this one only documents the pattern.
CMD ["node", "--import", "tsx", "legacy-monolith/src/main.ts"]
