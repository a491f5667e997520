import fs from "node:fs";
import path from "node:path";
import { interpolateEnv, type MigrationConfig, parseMigrationConfig } from "@strangler/migration-config";
import { parse } from "yaml";
import { configuredApps } from "../stack/src/apps/configured-apps";
import { isOnServer } from "../stack/src/postgres/databases";

/** Where the image holds the repository (Dockerfile WORKDIR). */
const APP_DIR = "/app";
/** The postgres service, as the containers reach it; the password is compose's variable. */
const CONTAINER_PG = "postgresql://postgres:${STRANGLER_PG_PASSWORD:-strangler}@postgres:5432";
/** The native stack's PostgreSQL with every default: which config databases the stack creates. */
const NATIVE_PG = "postgresql://postgres@127.0.0.1:54329/postgres";

export const COMPOSE_TEMPLATE = path.join("docker", "docker-compose.template.yml");
export const COMPOSE_FILE = "docker-compose.yml";

const SENTINEL = /^__VAR_([A-Z_][A-Z0-9_]*)__$/;

/**
 * The config parsed with every `${NAME…}` replaced by `__VAR_NAME__` (except the names in `keep`,
 * whose defaults apply), to see which variable a value comes from.
 */
function markedConfig(
  text: string,
  keep: ReadonlySet<string> = new Set(),
): { legacy?: RawApp; services?: RawApp[]; toolkit?: { database?: unknown } } {
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, name) => (typeof name === "string" && !keep.has(name) ? `__VAR_${name}__` : undefined),
  });
  return parse(interpolateEnv(text, env).text) as ReturnType<typeof markedConfig>;
}

/** The variable a whole value is, or null when the value is not one `${NAME:-default}` reference. */
function outerVariable(marked: unknown): string | null {
  return typeof marked === "string" ? (SENTINEL.exec(marked)?.[1] ?? null) : null;
}

interface RawApp {
  url?: unknown;
  database?: unknown;
  data?: { database?: unknown };
}

function problem(configFile: string, where: string, message: string): Error {
  return new Error(
    `${configFile}: ${where}: ${message} (docker-compose.yml is generated from it: npm run compose:generate)`,
  );
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * docker-compose.yml from its template and the migration config: one service per managed app
 * (its run block, in the image), the variables through which the containers' copy of the config
 * finds the apps and their databases, and the proxy waiting for every app.
 */
export function composeFileText(repoRoot: string, configFile: string): string {
  const text = fs.readFileSync(configFile, "utf8");
  const migration: MigrationConfig = parseMigrationConfig(text, configFile, {});
  const marked = markedConfig(text);
  const rawApps: RawApp[] = [marked.legacy ?? {}, ...(marked.services ?? [])];
  const relativeConfig = path.relative(repoRoot, configFile).split(path.sep).join("/");
  // One line per variable, however many apps name it.
  const variables = new Map<string, string>();
  const services: string[] = [];
  const dependencies: string[] = [];
  configuredApps(migration).forEach((app, index) => {
    const rawApp = rawApps[index] ?? {};
    const rawDatabase = index === 0 ? rawApp.database : rawApp.data?.database;
    if (app.databaseUrl && isOnServer(app.databaseUrl, NATIVE_PG)) {
      const variable = outerVariable(rawDatabase);
      if (!variable)
        throw problem(
          configFile,
          `${app.configPath}${index === 0 ? ".database" : ".data.database"}`,
          "must be a ${VARIABLE:-default} reference, so the containers can point it at the postgres service",
        );
      variables.set(variable, `${CONTAINER_PG}/${new URL(app.databaseUrl).pathname.slice(1)}`);
    }
    if (!app.run) return;
    const urlVariable = outerVariable(rawApp.url);
    if (!urlVariable)
      throw problem(
        configFile,
        `${app.configPath}.url`,
        "must be a ${VARIABLE:-default} reference, so the containers can reach the app by its service name",
      );
    const url = new URL(app.url);
    const port = Number(url.port || 80);
    variables.set(urlVariable, `http://${app.name}:${port}`);
    // The host port: the variable the url's default takes its port from, if any (the example's STRANGLER_MONOLITH_PORT).
    const inner = markedConfig(text, new Set([urlVariable]));
    const innerUrl = (index === 0 ? inner.legacy?.url : inner.services?.[index - 1]?.url) as unknown;
    const hostPort = typeof innerUrl === "string" ? (/:__VAR_([A-Z_][A-Z0-9_]*)__/.exec(innerUrl)?.[1] ?? null) : null;
    const cwd = path.posix.join(APP_DIR, path.relative(repoRoot, app.run.cwd).split(path.sep).join("/"));
    const environment = {
      HOST: "0.0.0.0",
      PORT: String(port),
      ...app.run.env,
      ...(app.databaseUrl && isOnServer(app.databaseUrl, NATIVE_PG)
        ? { DATABASE_URL: `${CONTAINER_PG}/${new URL(app.databaseUrl).pathname.slice(1)}` }
        : {}),
    };
    services.push(
      [
        `  ${app.name}:`,
        `    <<: *strangler-app`,
        `    working_dir: ${cwd}`,
        `    command: [${app.run.command.map(quote).join(", ")}]`,
        `    environment:`,
        ...Object.entries(environment).map(([name, value]) => `      ${name}: ${quote(value)}`),
        `    ports:`,
        `      - "127.0.0.1:${hostPort ? `\${${hostPort}:-${port}}` : port}:${port}"`,
        `    depends_on:`,
        `      db-migrate:`,
        `        condition: service_completed_successfully`,
        `    healthcheck:`,
        `      test: ["CMD", "node", "-e", ${quote(`fetch('http://127.0.0.1:${port}${app.run.health}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`)}]`,
        `      interval: 5s`,
        `      timeout: 5s`,
        `      retries: 20`,
        `      start_period: 20s`,
        `    restart: unless-stopped`,
        ``,
      ].join("\n"),
    );
    dependencies.push(`      ${app.name}:\n        condition: service_healthy`);
  });
  // The toolkit database (shadow results) on the postgres service too, when the config puts it on the stack's.
  const toolkitDatabase = migration.toolkit.database;
  if (toolkitDatabase && isOnServer(toolkitDatabase, NATIVE_PG)) {
    const variable = outerVariable(marked.toolkit?.database);
    if (!variable)
      throw problem(
        configFile,
        "toolkit.database",
        "must be a ${VARIABLE:-default} reference, so the containers can point it at the postgres service",
      );
    variables.set(variable, `${CONTAINER_PG}/${new URL(toolkitDatabase).pathname.slice(1)}`);
  }
  const template = fs.readFileSync(path.join(repoRoot, COMPOSE_TEMPLATE), "utf8");
  const header = `# GENERATED from ${COMPOSE_TEMPLATE} and ${relativeConfig} by \`npm run compose:generate\`:\n# edit those, not this file (test/docker-compose.test.ts fails when it is stale).`;
  const replacements: Array<[string, string]> = [
    ["# @header", header],
    ["  # @app-variables", [...variables].map(([name, value]) => `  ${name}: ${value}`).join("\n")],
    ["  # @apps\n", services.join("\n")],
    ["      # @app-dependencies", dependencies.join("\n")],
  ];
  let result = template;
  for (const [marker, replacement] of replacements) {
    if (!result.includes(marker)) throw new Error(`${COMPOSE_TEMPLATE} has no ${marker.trim()} marker`);
    result = result.replace(marker, replacement);
  }
  return result;
}
