import path from "node:path";
import { z } from "zod";
import {
  DEFAULT_CDC_PORT,
  DEFAULT_CONNECT_PORT,
  DEFAULT_KAFKA_CONTROLLER_PORT,
  DEFAULT_KAFKA_PORT,
  DEFAULT_HOME_DIR,
  DEFAULT_HOST,
  DEFAULT_MIGRATION_CONFIG,
  DEFAULT_PG_PORT,
  DEFAULT_PROXY_ADMIN_PORT,
  DEFAULT_PROXY_ENTRY,
  DEFAULT_PROXY_PORT,
  DEFAULT_UNLEASH_PORT,
  TEST_HOME_SUBDIR,
  TEST_PG_PORT,
} from "../defaults";
import { StackError } from "../errors/stack-error";
import { findRepoRoot } from "./repo-root";

/** PostgreSQL owned by the stack: a cluster in `<home>/postgres/data`. */
export interface ManagedPostgresConfig {
  kind: "managed";
  port: number;
  /** `STRANGLER_PG_BIN`; undefined = embedded package, else the newest system PostgreSQL. */
  binDir: string | undefined;
}

/** An existing server given by `STRANGLER_PG_URL`: the stack only creates databases and migrates. */
export interface ExternalPostgresConfig {
  kind: "external";
  url: string;
}

/** Everything the stack needs, parsed once from the environment. */
export interface StackConfig {
  repoRoot: string;
  home: string;
  host: string;
  postgres: ManagedPostgresConfig | ExternalPostgresConfig;
  unleashPort: number;
  proxyPort: number;
  proxyAdminPort: number;
  /** `STRANGLER_CDC_PORT`: the CDC process's HTTP port. */
  cdcPort: number;
  /** `STRANGLER_KAFKA_PORT`: the Kafka broker (started only when cdc.transport is "debezium"), on 127.0.0.1. */
  kafkaPort: number;
  /** `STRANGLER_KAFKA_CONTROLLER_PORT`: that broker's KRaft controller listener, on 127.0.0.1. */
  kafkaControllerPort: number;
  /** `STRANGLER_CONNECT_PORT`: Kafka Connect's REST API, on 127.0.0.1. */
  connectPort: number;
  /** `STRANGLER_CONFIG`: absolute path of the migration config the stack provisions flags from and the proxy runs on. */
  migrationConfigPath: string;
  /** `STRANGLER_PROXY_ENTRY`: absolute path of the proxy's entry point. */
  proxyEntry: string;
  /** The environment children inherit (PATH and friends), before the stack adds its own variables. */
  childEnv: Readonly<Record<string, string>>;
}

const PORT_EXPECTED = "expected a TCP port, an integer from 1 to 65535";

const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, PORT_EXPECTED)
    .transform(Number)
    .refine((value) => value >= 1 && value <= 65535, PORT_EXPECTED)
    .default(fallback);

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "postgresql:" || url.protocol === "postgres:") && url.hostname !== "";
  } catch {
    return false;
  }
}, "expected a PostgreSQL superuser URL such as postgresql://user:password@host:5432/postgres");

const envSchema = z.object({
  STRANGLER_HOME: z.string().optional(),
  STRANGLER_PG_PORT: port(DEFAULT_PG_PORT),
  STRANGLER_PG_BIN: z.string().optional(),
  STRANGLER_PG_URL: postgresUrl.optional(),
  STRANGLER_UNLEASH_PORT: port(DEFAULT_UNLEASH_PORT),
  STRANGLER_PROXY_PORT: port(DEFAULT_PROXY_PORT),
  STRANGLER_PROXY_ADMIN_PORT: port(DEFAULT_PROXY_ADMIN_PORT),
  STRANGLER_CDC_PORT: port(DEFAULT_CDC_PORT),
  STRANGLER_KAFKA_PORT: port(DEFAULT_KAFKA_PORT),
  STRANGLER_KAFKA_CONTROLLER_PORT: port(DEFAULT_KAFKA_CONTROLLER_PORT),
  STRANGLER_CONNECT_PORT: port(DEFAULT_CONNECT_PORT),
  STRANGLER_CONFIG: z.string().optional(),
  STRANGLER_PROXY_ENTRY: z.string().optional(),
  STRANGLER_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, "expected a host name or IP address such as 127.0.0.1")
    .default(DEFAULT_HOST),
});

type Env = Readonly<Record<string, string | undefined>>;

/** Unset and empty variables both mean "use the default". */
function definedEntries(env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== "") result[key] = value;
  return result;
}

function describeIssues(error: z.ZodError, env: Record<string, string>): string {
  return error.issues
    .map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const value = env[name];
      return `  ${name}${value === undefined ? "" : `=${JSON.stringify(value)}`}: ${issue.message}`;
    })
    .join("\n");
}

/** Parses the stack's environment variables (see stack/README and defaults.ts); throws STACK_CONFIG_INVALID. */
export function loadStackConfig(env: Env = process.env, cwd: string = process.cwd()): StackConfig {
  const defined = definedEntries(env);
  const parsed = envSchema.safeParse(defined);
  if (!parsed.success) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `Invalid stack configuration:\n${describeIssues(parsed.error, defined)}`,
    );
  }
  const vars = parsed.data;
  const repoRoot = findRepoRoot();
  return {
    repoRoot,
    home: vars.STRANGLER_HOME ? path.resolve(cwd, vars.STRANGLER_HOME) : path.join(repoRoot, DEFAULT_HOME_DIR),
    host: vars.STRANGLER_HOST,
    postgres: vars.STRANGLER_PG_URL
      ? { kind: "external", url: vars.STRANGLER_PG_URL }
      : {
          kind: "managed",
          port: vars.STRANGLER_PG_PORT,
          binDir: vars.STRANGLER_PG_BIN ? path.resolve(cwd, vars.STRANGLER_PG_BIN) : undefined,
        },
    unleashPort: vars.STRANGLER_UNLEASH_PORT,
    proxyPort: vars.STRANGLER_PROXY_PORT,
    proxyAdminPort: vars.STRANGLER_PROXY_ADMIN_PORT,
    cdcPort: vars.STRANGLER_CDC_PORT,
    kafkaPort: vars.STRANGLER_KAFKA_PORT,
    kafkaControllerPort: vars.STRANGLER_KAFKA_CONTROLLER_PORT,
    connectPort: vars.STRANGLER_CONNECT_PORT,
    migrationConfigPath: path.resolve(cwd, vars.STRANGLER_CONFIG ?? path.join(repoRoot, DEFAULT_MIGRATION_CONFIG)),
    proxyEntry: path.resolve(cwd, vars.STRANGLER_PROXY_ENTRY ?? path.join(repoRoot, DEFAULT_PROXY_ENTRY)),
    childEnv: defined,
  };
}

/**
 * The configuration of the cluster the jest global setup starts: its own home and port, so it
 * never touches a developer's running stack. STRANGLER_PG_URL and STRANGLER_PG_BIN still apply.
 */
export function loadTestStackConfig(env: Env = process.env): StackConfig {
  const base = loadStackConfig({ ...env, STRANGLER_HOME: undefined, STRANGLER_PG_PORT: undefined });
  const port = parseTestPort(env[TEST_PG_PORT_VARIABLE]);
  // Another port gets its own cluster directory, so two checkouts' or two engineers' runs never share one.
  const home = path.join(
    base.repoRoot,
    DEFAULT_HOME_DIR,
    port === TEST_PG_PORT ? TEST_HOME_SUBDIR : `${TEST_HOME_SUBDIR}-${port}`,
  );
  const postgres = base.postgres.kind === "managed" ? { ...base.postgres, port } : base.postgres;
  return { ...base, home, postgres };
}

/** Moves the test cluster to another port (and home), e.g. for two jest runs side by side. */
export const TEST_PG_PORT_VARIABLE = "STRANGLER_TEST_PG_PORT";

function parseTestPort(value: string | undefined): number {
  if (value === undefined || value === "") return TEST_PG_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `${TEST_PG_PORT_VARIABLE}=${JSON.stringify(value)}: expected a port number between 1024 and 65535`,
    );
  }
  return port;
}

/** Name of the variable through which the jest global setup hands the admin URL to test files. */
export const TEST_PG_URL_VARIABLE = "STRANGLER_TEST_PG_URL";

/** The admin URL of the test PostgreSQL, set by test/jest-global-setup.ts. */
export function loadTestDatabaseUrl(env: Env = process.env): string {
  const url = env[TEST_PG_URL_VARIABLE];
  if (!url) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `${TEST_PG_URL_VARIABLE} is not set: run tests through jest, whose global setup (test/jest-global-setup.ts) starts PostgreSQL and sets it`,
    );
  }
  return url;
}
