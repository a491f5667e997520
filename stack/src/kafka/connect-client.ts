import {
  CONNECT_HTTP_TIMEOUT,
  CONNECTOR_RUNNING_TIMEOUT,
  DEBEZIUM_POSTGRES_CONNECTOR,
  KAFKA_READY_POLL_INTERVAL,
} from "../defaults";
import { StackError, describeError } from "../errors/stack-error";
import { sleep } from "../process/process-state";

/** A connector as Connect's REST API takes it: PUT /connectors/{name}/config with `config`. */
export interface ConnectorDefinition {
  name: string;
  config: Record<string, string>;
}

/** GET /connectors/{name}/status, reduced to what the stack shows. */
export interface ConnectorState {
  name: string;
  /** RUNNING, PAUSED, FAILED, UNASSIGNED, …; "MISSING" when Connect does not know it. */
  connector: string;
  tasks: Array<{ id: number; state: string; trace?: string }>;
  trace?: string;
}

interface HttpAnswer {
  status: number;
  body: unknown;
}

async function request(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method,
    headers:
      body === undefined
        ? { accept: "application/json" }
        : { accept: "application/json", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(CONNECT_HTTP_TIMEOUT),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's HTML error page): keep the text
  }
  return { status: response.status, body: parsed };
}

/** The status code of GET `url`, or null when nothing answers. */
async function statusOf(url: string): Promise<number | null> {
  try {
    return (await request("GET", url)).status;
  } catch {
    return null;
  }
}

/** True when the worker answers GET / and GET /connector-plugins lists Debezium's PostgresConnector. */
export async function connectReady(connectUrl: string): Promise<boolean> {
  if ((await statusOf(`${connectUrl}/`)) !== 200) return false;
  try {
    const plugins = await request("GET", `${connectUrl}/connector-plugins`);
    return (
      plugins.status === 200 &&
      Array.isArray(plugins.body) &&
      plugins.body.some((plugin: { class?: string }) => plugin.class === DEBEZIUM_POSTGRES_CONNECTOR)
    );
  } catch {
    return false;
  }
}

/** kafka_cluster_id from the worker's GET /: the cluster of the broker it works with; null when it does not answer. */
export async function connectKafkaClusterId(connectUrl: string): Promise<string | null> {
  try {
    const answer = await request("GET", `${connectUrl}/`);
    const id = (answer.body as { kafka_cluster_id?: unknown } | null)?.kafka_cluster_id;
    return answer.status === 200 && typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/** The state of one connector; "MISSING" when the worker does not know it. */
export async function connectorState(connectUrl: string, name: string): Promise<ConnectorState> {
  const answer = await request("GET", `${connectUrl}/connectors/${encodeURIComponent(name)}/status`);
  if (answer.status === 404) return { name, connector: "MISSING", tasks: [] };
  if (answer.status !== 200)
    throw new StackError(
      "STACK_CONNECT_FAILED",
      `GET ${connectUrl}/connectors/${name}/status → ${answer.status}: ${JSON.stringify(answer.body)}`,
      { retriable: true },
    );
  const body = answer.body as {
    connector?: { state?: string; trace?: string };
    tasks?: Array<{ id: number; state: string; trace?: string }>;
  };
  return {
    name,
    connector: body.connector?.state ?? "UNKNOWN",
    tasks: body.tasks ?? [],
    ...(body.connector?.trace ? { trace: body.connector.trace } : {}),
  };
}

/** Names of the connectors the worker runs. */
export async function listConnectors(connectUrl: string): Promise<string[]> {
  const answer = await request("GET", `${connectUrl}/connectors`);
  return answer.status === 200 && Array.isArray(answer.body) ? (answer.body as string[]) : [];
}

/** Connect answers 409 while the worker group rebalances (just after start) and 5xx while it forwards to a leader that is not ready. */
const RETRIABLE_STATUS = new Set([409, 500, 503, 504]);

/**
 * Creates or updates a connector (PUT /connectors/{name}/config is idempotent), retrying while the
 * worker rebalances, then waits until the connector and all its tasks are RUNNING.
 */
export async function putConnector(
  connectUrl: string,
  connector: ConnectorDefinition,
  timeoutMs = CONNECTOR_RUNNING_TIMEOUT,
): Promise<ConnectorState> {
  const deadline = Date.now() + timeoutMs;
  const url = `${connectUrl}/connectors/${encodeURIComponent(connector.name)}/config`;
  for (;;) {
    let answer: HttpAnswer | null = null;
    let failure = "";
    try {
      answer = await request("PUT", url, { ...connector.config, name: connector.name });
      if (answer.status === 200 || answer.status === 201) break;
      failure = `${answer.status}: ${JSON.stringify(answer.body)}`;
    } catch (error) {
      failure = describeError(error);
    }
    if ((answer && !RETRIABLE_STATUS.has(answer.status)) || Date.now() >= deadline) {
      throw new StackError("STACK_CONNECT_FAILED", `PUT ${url} failed: ${failure}`, {
        retriable: answer === null || RETRIABLE_STATUS.has(answer.status),
      });
    }
    await sleep(KAFKA_READY_POLL_INTERVAL * 2);
  }
  const restarted = await restartIfFailed(connectUrl, connector.name);
  // The status topic may still say FAILED for a moment after the restart request.
  const failedGrace = restarted ? Date.now() + RESTART_STATUS_GRACE : 0;
  return waitForConnectorRunning(connectUrl, connector.name, Math.max(deadline - Date.now(), 5_000), failedGrace);
}

/**
 * A PUT with an unchanged config does not restart a FAILED connector or task (e.g. one that lost
 * PostgreSQL while the database was down): restart the failed ones once, so `up` repairs them.
 */
async function restartIfFailed(connectUrl: string, name: string): Promise<boolean> {
  const state = await connectorState(connectUrl, name).catch(() => null);
  if (!state || (state.connector !== "FAILED" && !state.tasks.some((task) => task.state === "FAILED"))) return false;
  await request(
    "POST",
    `${connectUrl}/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=true`,
  ).catch(() => undefined);
  return true;
}

/** How long a FAILED status is not believed after a restart request. */
const RESTART_STATUS_GRACE = 5_000;

function isRunning(state: ConnectorState): boolean {
  return (
    state.connector === "RUNNING" && state.tasks.length > 0 && state.tasks.every((task) => task.state === "RUNNING")
  );
}

/**
 * Polls the connector's status until it and its tasks run; throws with Connect's trace when one
 * FAILED (after `ignoreFailedUntil`, a Date.now() value, when given).
 */
export async function waitForConnectorRunning(
  connectUrl: string,
  name: string,
  timeoutMs: number,
  ignoreFailedUntil = 0,
): Promise<ConnectorState> {
  const deadline = Date.now() + timeoutMs;
  let last: ConnectorState | null = null;
  for (;;) {
    try {
      last = await connectorState(connectUrl, name);
      if (isRunning(last)) return last;
      const failed =
        last.connector === "FAILED" ? last.trace : last.tasks.find((task) => task.state === "FAILED")?.trace;
      if ((failed !== undefined || last.connector === "FAILED") && Date.now() >= ignoreFailedUntil) {
        throw new StackError(
          "STACK_CONNECT_FAILED",
          `connector ${name} FAILED:\n${(failed ?? "(no trace)").split("\n").slice(0, 12).join("\n")}`,
        );
      }
    } catch (error) {
      if (error instanceof StackError && error.code === "STACK_CONNECT_FAILED" && !error.retriable) throw error;
    }
    if (Date.now() >= deadline) {
      const seen = last
        ? `connector ${last.connector}, tasks [${last.tasks.map((task) => task.state).join(", ")}]`
        : "no status";
      throw new StackError(
        "STACK_CONNECT_FAILED",
        `connector ${name} is not RUNNING after ${Math.round(timeoutMs / 1000)} s (${seen})`,
        { retriable: true },
      );
    }
    await sleep(KAFKA_READY_POLL_INTERVAL);
  }
}

/** DELETE /connectors/{name}; harmless when it does not exist. */
export async function deleteConnector(connectUrl: string, name: string): Promise<void> {
  const deadline = Date.now() + CONNECTOR_RUNNING_TIMEOUT;
  for (;;) {
    const answer = await request("DELETE", `${connectUrl}/connectors/${encodeURIComponent(name)}`);
    if (answer.status === 204 || answer.status === 200 || answer.status === 404) return;
    if (!RETRIABLE_STATUS.has(answer.status) || Date.now() >= deadline) {
      throw new StackError(
        "STACK_CONNECT_FAILED",
        `DELETE ${connectUrl}/connectors/${name} → ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
    await sleep(KAFKA_READY_POLL_INTERVAL * 2);
  }
}

/** Answers of Connect that a retry may change: a rebalance, a worker not yet aware of a stop. */
async function untilAnswered(
  method: string,
  url: string,
  done: (status: number) => boolean,
  deadline: number,
): Promise<number> {
  for (;;) {
    const answer = await request(method, url);
    if (done(answer.status) || answer.status === 404) return answer.status;
    if (Date.now() >= deadline)
      throw new StackError(
        "STACK_CONNECT_FAILED",
        `${method} ${url} → ${answer.status}: ${JSON.stringify(answer.body)}`,
        { retriable: true },
      );
    await sleep(KAFKA_READY_POLL_INTERVAL * 2);
  }
}

/** PUT /connectors/{name}/stop, wait until STOPPED (tasks gone, slot released), DELETE its offsets (KIP-875). False when the connector does not exist. */
async function stopAndResetOffsets(connectUrl: string, name: string, deadline: number): Promise<boolean> {
  const base = `${connectUrl}/connectors/${encodeURIComponent(name)}`;
  if ((await untilAnswered("PUT", `${base}/stop`, (status) => status >= 200 && status < 300, deadline)) === 404)
    return false;
  for (;;) {
    const state = await connectorState(connectUrl, name);
    if (state.connector === "MISSING") return false;
    if (state.connector === "STOPPED" && state.tasks.length === 0) break;
    if (Date.now() >= deadline)
      throw new StackError("STACK_CONNECT_FAILED", `connector ${name} did not stop (${state.connector})`, {
        retriable: true,
      });
    await sleep(KAFKA_READY_POLL_INTERVAL);
  }
  // 400 while the worker has not yet seen the stop everywhere; retried like a rebalance.
  return (
    (await untilAnswered("DELETE", `${base}/offsets`, (status) => status === 200 || status === 202, deadline)) !== 404
  );
}

/**
 * Retires a connector for good: stops it, waits until it is STOPPED (its tasks gone, so its
 * replication slot is released), resets its offsets (DELETE /connectors/{name}/offsets), then
 * deletes it. Without the offset reset, Connect keeps the connector's last LSN after the DELETE,
 * and a connector registered again under the name later fails once its slot was dropped
 * ("… is no longer available on the server"). Harmless when it does not exist.
 */
export async function retireConnector(
  connectUrl: string,
  name: string,
  timeoutMs = CONNECTOR_RUNNING_TIMEOUT,
): Promise<void> {
  if (await stopAndResetOffsets(connectUrl, name, Date.now() + timeoutMs)) await deleteConnector(connectUrl, name);
}

/** Debezium's failure when its stored offset is older than what its replication slot still has (the slot was dropped and made anew). */
export function isOffsetBehindSlot(error: unknown): boolean {
  return error instanceof StackError && /is no longer available on the server/.test(error.message);
}

/**
 * Starts a connector again from scratch: stop, reset its offsets, resume (PUT /connectors/{name}/resume),
 * then waits until it runs. For a Debezium connector whose stored LSN its slot no longer has: it then
 * starts as on its first registration (snapshot per its snapshot.mode, streaming from the slot's start).
 */
export async function restartWithoutOffsets(
  connectUrl: string,
  name: string,
  timeoutMs = CONNECTOR_RUNNING_TIMEOUT,
): Promise<ConnectorState> {
  const deadline = Date.now() + timeoutMs;
  if (!(await stopAndResetOffsets(connectUrl, name, deadline)))
    throw new StackError("STACK_CONNECT_FAILED", `connector ${name} does not exist`);
  await untilAnswered(
    "PUT",
    `${connectUrl}/connectors/${encodeURIComponent(name)}/resume`,
    (status) => status >= 200 && status < 300,
    deadline,
  );
  return waitForConnectorRunning(connectUrl, name, Math.max(deadline - Date.now(), 5_000));
}
