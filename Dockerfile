# One image for the Node parts of the stack (docker-compose.yml): the monolith, the users service,
# the proxy, the CDC process and the one-shot helpers (database migrations, tokens, Unleash flags,
# connector registration). Each service runs it with its own command, TypeScript through tsx, as
# the native stack does (`node --import tsx <app>/src/main.ts`).
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -path ./node_modules -prune -o \( -name package.json -o -name package-lock.json -o -path '*/bin/*' \) -type f -print \
    | xargs -I{} cp --parents {} /manifests/

FROM node:20-bookworm-slim

# Prisma's CLI probes the OpenSSL version even on its offline js engine (ADR 0002).
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (a layer that survives source changes): every package.json and package-lock.json
# of the repository (the root's workspaces, whichever they are), plus the bin folders npm links
# (prisma-offline, strangler), collected in a stage of their own so no workspace is named here.
COPY --from=manifests /manifests/ ./
# Install scripts are skipped: Prisma's would download engines (we run the offline js engine and
# generate below), and the embedded PostgreSQL binaries are not used in containers. tsx (a dev
# dependency) runs the apps, so dev dependencies stay.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY . .
RUN npm run generate \
 && mkdir -p /var/lib/strangler/proxy /var/lib/strangler/secrets \
 && chown -R node:node /var/lib/strangler

USER node
# Every service of docker-compose.yml sets its own command and working_dir (an app: its run block
# from the migration config, e.g. `node --import tsx src/main.ts` in its folder).
CMD ["node", "--version"]
