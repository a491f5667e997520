import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import { UPSTREAM_MAX_FREE_SOCKETS, UPSTREAM_MAX_SOCKETS } from "../defaults";
import type { IdleSocketSweeper } from "./idle-socket-sweeper";

/** One backend the proxy forwards to (the monolith or a service), with its keep-alive pool. */
export interface Upstream {
  /** `monolith` (the legacy name) or the service name: the x-strangler-backend value. */
  name: string;
  url: string;
  hostname: string;
  port: number;
  /** Host header sent upstream. */
  host: string;
  /** Path prefix of the upstream URL ("" for none), put before the forwarded path. */
  basePath: string;
  agent: http.Agent;
  /**
   * An agent that never pools: each request on it gets a new connection (closed after its answer).
   * Only for the one retry of a read whose pooled socket turned out stale, which must not draw the
   * next stale socket from the same pool.
   */
  freshAgent: http.Agent;
  request: typeof http.request;
}

/** Marks the error a connect timeout destroys a new upstream socket with. */
export const CONNECT_TIMEOUT_CODE = "STRANGLER_CONNECT_TIMEOUT";

/**
 * Creates an upstream and its keep-alive agent, once per backend at start-up. The connect timeout
 * is armed per new connection (in the agent), so requests on pooled sockets pay nothing for it;
 * idle pooled sockets are closed by the sweeper (not by an agent `timeout`, see idle-socket-sweeper.ts).
 */
export function createUpstream(name: string, url: string, connectMs: number, sweeper: IdleSocketSweeper): Upstream {
  const parsed = new URL(url);
  const secure = parsed.protocol === "https:";
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets: UPSTREAM_MAX_SOCKETS,
    maxFreeSockets: UPSTREAM_MAX_FREE_SOCKETS,
    scheduling: "lifo",
  };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  sweeper.watch(agent);
  armConnectTimeout(agent, connectMs);
  const freshOptions: http.AgentOptions = { keepAlive: false, maxSockets: UPSTREAM_MAX_SOCKETS };
  const freshAgent = secure ? new https.Agent(freshOptions) : new http.Agent(freshOptions);
  armConnectTimeout(freshAgent, connectMs);
  return {
    name,
    url,
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port ? Number(parsed.port) : secure ? 443 : 80,
    host: parsed.host,
    basePath: parsed.pathname.replace(/\/+$/, ""),
    agent,
    freshAgent,
    request: secure ? https.request : http.request,
  };
}

/** Destroys every new socket of the agent that has not connected within connectMs. */
function armConnectTimeout(agent: http.Agent, connectMs: number): void {
  const connect = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = connect(options, callback) as Duplex | null | undefined;
    if (socket) {
      const timer = setTimeout(
        () =>
          socket.destroy(
            Object.assign(new Error(`connect timeout after ${connectMs} ms`), { code: CONNECT_TIMEOUT_CODE }),
          ),
        connectMs,
      );
      socket.once("connect", () => clearTimeout(timer));
      socket.once("close", () => clearTimeout(timer));
    }
    return socket;
  };
}
