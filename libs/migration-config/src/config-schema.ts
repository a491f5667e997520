import { z } from "zod";
import { appRunSchema } from "./app-run-schema";
import { compareRulesSchema } from "./compare-rules-schema";
import { dataSchema, postgresUrl } from "./data-config-schema";
import {
  CDC_LISTEN_HOST,
  CDC_LISTEN_PORT,
  PROXY_CLIENT_HEADERS_MS,
  PROXY_CLIENT_IDLE_MS,
  PROXY_CLIENT_REQUEST_MS,
  PROXY_CONNECT_MS,
  PROXY_MAX_TIMEOUT_MS,
  PROXY_MAX_WORKERS,
  PROXY_RESPONSE_MS,
  SHADOW_CONCURRENCY,
  SHADOW_MAX_REQUEST_BODY_BYTES,
  SHADOW_MAX_RESPONSE_BODY_BYTES,
  SHADOW_NOISE_SAMPLE,
  SHADOW_TIMEOUT_MS,
  TOOLKIT_EXAMPLES_PER_SIGNATURE,
  TOOLKIT_RETENTION_DAYS,
} from "./defaults";
import { identitySchema } from "./identity-source-schema";
import { planSchema } from "./plan-config-schema";
import { parseRoutePattern } from "./route-pattern";

const ROUTE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
const port = z.number({ error: "must be a port number" }).int().min(0).max(65535);
const listen = z.strictObject({ host: z.string().min(1).default("127.0.0.1"), port });

const routePath = z.string({ error: "must be a path pattern such as /api/users/:id" }).superRefine((value, ctx) => {
  const parsed = parseRoutePattern(value);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: `path pattern ${parsed}` });
});

const route = z.strictObject({
  id: z
    .string()
    .regex(ROUTE_ID, { error: "must be lower-case letters, digits and dashes (at most 63), e.g. users-list" }),
  methods: z
    .array(z.enum(METHODS, { error: `must be one of ${METHODS.join(", ")}` }))
    .min(1, { error: "must name at least one method" }),
  path: routePath,
  /** Where the service answers this route, when its path differs (same parameters), e.g. /v2/profiles/:id. */
  servicePath: routePath.optional(),
  /** Comparison rules for this route (added to the service's). */
  compare: compareRulesSchema.optional(),
});

const service = z.strictObject({
  name: z.string().regex(ROUTE_ID, { error: "must be lower-case letters, digits and dashes, e.g. users-service" }),
  url: httpUrl,
  /** Present = the stack starts this app ("managed"); absent = the user runs it at `url` ("external"). */
  run: appRunSchema.optional(),
  routes: z.strictObject({
    reads: z.array(route).default([]),
    writes: z.array(route).default([]),
  }),
  /** The service's database and the legacy tables CDC keeps in sync with it. */
  data: dataSchema.optional(),
  /** The service honours `x-strangler-dry-run: 1` (runs the write and rolls it back): shadow mode may mirror writes to it. */
  dryRun: z.boolean().default(false),
  /** Comparison rules for all the service's routes (shadow mode and HTTP parity). */
  compare: compareRulesSchema.optional(),
  /** The service's migration plan: canary shares and gate thresholds (defaults for every key). */
  plan: planSchema.prefault({}),
});

const milliseconds = (fallback: number) =>
  z
    .number({ error: "must be a number of milliseconds" })
    .int({ error: "must be a whole number of milliseconds" })
    .min(1, { error: "must be at least 1 ms" })
    .max(PROXY_MAX_TIMEOUT_MS, { error: `must be at most ${PROXY_MAX_TIMEOUT_MS} ms (an hour)` })
    .default(fallback);

/** Upstream timeouts (connect, response headers) and client timeouts (headers, whole request, idle keep-alive). */
const proxyTimeouts = z
  .strictObject({
    connectMs: milliseconds(PROXY_CONNECT_MS),
    responseMs: milliseconds(PROXY_RESPONSE_MS),
    clientHeadersMs: milliseconds(PROXY_CLIENT_HEADERS_MS),
    clientRequestMs: milliseconds(PROXY_CLIENT_REQUEST_MS),
    clientIdleMs: milliseconds(PROXY_CLIENT_IDLE_MS),
  })
  .superRefine((timeouts, ctx) => {
    // The headers are part of the request: Node refuses a header timeout longer than the request timeout.
    if (timeouts.clientHeadersMs > timeouts.clientRequestMs) {
      ctx.addIssue({
        code: "custom",
        path: ["clientHeadersMs"],
        message: `must not be longer than clientRequestMs (${timeouts.clientRequestMs})`,
      });
    }
  });

const workers = z
  .union([z.literal("auto"), z.number().int().min(1).max(PROXY_MAX_WORKERS)], {
    error: `must be "auto" (one per CPU core) or a whole number from 1 to ${PROXY_MAX_WORKERS}`,
  })
  .default("auto");

/** Shadow traffic: bounds of the mirrored calls (the comparison runs off the request path). */
const shadow = z.strictObject({
  /** Request bodies up to this are teed and mirrored; a larger one is not mirrored (counted). */
  maxRequestBodyBytes: z.number().int().min(0).default(SHADOW_MAX_REQUEST_BODY_BYTES),
  /** Response bodies captured for comparison, per side; a larger one is not compared (counted). */
  maxResponseBodyBytes: z.number().int().min(0).default(SHADOW_MAX_RESPONSE_BODY_BYTES),
  /** A mirrored call without a complete answer in this time is a candidate timeout. */
  timeoutMs: milliseconds(SHADOW_TIMEOUT_MS),
  /** Mirrored calls in flight per worker; above it a request is not mirrored (counted), never queued. */
  concurrency: z.number().int().min(1).default(SHADOW_CONCURRENCY),
  /** Share (0–1) of shadowed reads also sent a second time to the primary's side, to learn noise. */
  noiseSample: z.number().min(0).max(1).default(SHADOW_NOISE_SAMPLE),
  breaker: z
    .strictObject({
      failureThreshold: z.number().int().positive().default(5),
      openMs: z.number().int().positive().default(5000),
    })
    .prefault({}),
});

const proxy = z.strictObject({
  listen: listen.default({ host: "127.0.0.1", port: 4100 }),
  admin: listen.default({ host: "127.0.0.1", port: 4199 }),
  /** Peers whose X-Forwarded-* headers are kept; from anyone else they are replaced. */
  trustedProxies: z.array(z.union([z.ipv4(), z.ipv6()], { error: "must be an IP address" })).default([]),
  /** Where the sticky user and session ids come from (identity-source-schema.ts). */
  identity: identitySchema.prefault({}),
  /** Adds x-strangler-route / x-strangler-backend to responses. */
  backendHeaders: z.boolean().default(true),
  timeouts: proxyTimeouts.prefault({}),
  breaker: z
    .strictObject({
      failureThreshold: z.number().int().positive().default(5),
      openMs: z.number().int().positive().default(5000),
    })
    .default({ failureThreshold: 5, openMs: 5000 }),
  maxUrlLength: z.number().int().min(256).default(8192),
  maxHeaderBytes: z.number().int().min(1024).default(16_384),
  /** Worker processes behind the supervisor (`auto`: one per CPU core). */
  workers,
  shadow: shadow.prefault({}),
});

const unleash = z.strictObject({
  url: httpUrl,
  appName: z.string().min(1).default("strangler-proxy"),
  environment: z.string().min(1).default("development"),
  project: z.string().min(1).default("default"),
  refreshIntervalMs: z.number().int().min(100).default(500),
});

/** "host:port" list, comma-separated (one string, so one `${VAR:-default}` can hold it). */
const brokerList = z
  .string({ error: "must be a comma-separated list of host:port" })
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ""),
  )
  .pipe(
    z
      .array(z.string().regex(/^[^\s:/]+:\d{1,5}$/, { error: "each broker must be host:port, e.g. 127.0.0.1:49092" }))
      .min(1, { error: "must name at least one broker (host:port)" }),
  );

export const CDC_TRANSPORTS = ["embedded", "debezium"] as const;

/**
 * How change events travel from one database to the other: `embedded` (logical replication read by
 * the CDC process itself, no other infrastructure) or `debezium` (the Debezium PostgreSQL connector on
 * Kafka Connect publishes to Kafka; the CDC process consumes the topics with kafkajs). The sink is
 * the same on both.
 */
const cdc = z.strictObject({
  /** Where the CDC process serves /healthz, /readyz, /metrics and /status; `strangler cdc status` asks there. */
  listen: listen.default({ host: CDC_LISTEN_HOST, port: CDC_LISTEN_PORT }),
  transport: z.enum(CDC_TRANSPORTS, { error: `must be one of ${CDC_TRANSPORTS.join(", ")}` }).default("embedded"),
  kafka: z
    .strictObject({
      brokers: brokerList.default(["127.0.0.1:49092"]),
      /** Kafka Connect's REST API (connector registration and status). */
      connectUrl: httpUrl.default("http://127.0.0.1:48083"),
      /** Debezium's `topic.prefix`: topics are `<prefix>.<schema>.<table>`. */
      topicPrefix: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+$/, { error: "must use letters, digits, '.', '_' or '-'" })
        .default("strangler"),
      /** The kafkajs consumer group of the CDC process. */
      groupId: z.string().min(1).default("strangler-cdc"),
    })
    .default({
      brokers: ["127.0.0.1:49092"],
      connectUrl: "http://127.0.0.1:48083",
      topicPrefix: "strangler",
      groupId: "strangler-cdc",
    }),
});

/** The toolkit's own database (shadow results, learnt noise; later parity runs and plan state). */
const toolkit = z.strictObject({
  /** Absent: shadow results are counted in metrics only, not stored. The stack creates the database on its PostgreSQL. */
  database: postgresUrl.optional(),
  retention: z
    .strictObject({
      /** Per-minute counts and examples older than this are deleted. */
      days: z.number().int().min(1).default(TOOLKIT_RETENTION_DAYS),
      /** Examples kept per route and difference signature. */
      examplesPerSignature: z.number().int().min(0).default(TOOLKIT_EXAMPLES_PER_SIGNATURE),
    })
    .prefault({}),
});

/** The whole migration config file. */
export const migrationConfigSchema = z.strictObject({
  version: z.literal(1, { error: "must be 1" }),
  legacy: z.strictObject({
    name: z.string().min(1).default("monolith"),
    url: httpUrl,
    database: postgresUrl.optional(),
    /** Present = the stack starts this app ("managed"); absent = the user runs it at `url` ("external"). */
    run: appRunSchema.optional(),
    /**
     * The monolith honours `x-strangler-dry-run: 1` (runs the write and rolls it back): HTTP parity
     * may send it the writes of a corpus. Without it, write cases are skipped.
     */
    dryRun: z.boolean().default(false),
  }),
  proxy: proxy.default(proxy.parse({})),
  unleash,
  services: z.array(service).min(1, { error: "must list at least one service" }),
  cdc: cdc.default(cdc.parse({})),
  toolkit: toolkit.prefault({}),
});

export type MigrationConfig = z.output<typeof migrationConfigSchema>;
export type ServiceConfig = MigrationConfig["services"][number];
export type RouteConfig = ServiceConfig["routes"]["reads"][number];
export type IdentitySource = MigrationConfig["proxy"]["identity"]["userId"][number];
export type DataConfig = NonNullable<ServiceConfig["data"]>;
export type DataTableConfig = DataConfig["tables"][number];
export type HttpMethod = (typeof METHODS)[number];
export type LegacyConfig = MigrationConfig["legacy"];
export type CdcConfig = MigrationConfig["cdc"];
export type CdcTransport = CdcConfig["transport"];
export type ShadowSettings = MigrationConfig["proxy"]["shadow"];
export type ToolkitConfig = MigrationConfig["toolkit"];
