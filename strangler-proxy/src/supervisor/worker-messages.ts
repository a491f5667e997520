/** What a supervisor asks a worker for: its routing report, its health, or its metrics as JSON. */
export type WorkerQuery = "routes" | "health" | "metrics";

/** One metric as prom-client's registry.getMetricsAsJSON() gives it (at run time `type` is "counter", "gauge", …). */
export interface MetricJson {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: Array<{ value: number; labels: Record<string, string | number | undefined>; metricName?: string }>;
}

/** One worker's metrics. */
export type WorkerMetrics = MetricJson[];

/** Supervisor → worker, over the cluster IPC channel. */
export type SupervisorMessage =
  | { type: "strangler:query"; id: number; what: WorkerQuery }
  /** Stop taking connections, finish the requests in flight (up to graceMs), report final metrics, exit 0. */
  | { type: "strangler:drain"; graceMs: number };

/** Worker → supervisor. */
export type WorkerMessage =
  /** The worker listens on the proxy port and takes connections. */
  | { type: "strangler:listening"; proxyUrl: string }
  /** The worker could not start; it exits next. */
  | { type: "strangler:failed"; message: string }
  | { type: "strangler:answer"; id: number; value: unknown }
  /** The worker drained: its final counters, sent just before it exits, so totals survive a restart. */
  | { type: "strangler:retiring"; metrics: WorkerMetrics };

const WORKER_TYPES = new Set<string>([
  "strangler:listening",
  "strangler:failed",
  "strangler:answer",
  "strangler:retiring",
]);
const SUPERVISOR_TYPES = new Set<string>(["strangler:query", "strangler:drain"]);

function typeOf(message: unknown): string | undefined {
  return typeof message === "object" && message !== null && typeof (message as { type?: unknown }).type === "string"
    ? (message as { type: string }).type
    : undefined;
}

/** The IPC channel carries our messages only from our own processes; the type is checked, the fields trusted. */
export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return WORKER_TYPES.has(typeOf(message) ?? "");
}

export function isSupervisorMessage(message: unknown): message is SupervisorMessage {
  return SUPERVISOR_TYPES.has(typeOf(message) ?? "");
}
