import type http from "node:http";
import type { Socket } from "node:net";

const IDLE_SINCE = Symbol("strangler.idleSince");
const IDLE_LIMIT = Symbol("strangler.idleLimit");

type PooledSocket = Socket & {
  [IDLE_SINCE]?: number;
  [IDLE_LIMIT]?: number;
  /** The request the socket served last (Node's own keepSocketAlive reads it too). */
  _httpMessage?: { res?: { rawHeaders: string[] } } | null;
};

/** Keeps every pooled upstream socket for at most its idle limit: closes the ones idle longer, once per tick. */
export interface IdleSocketSweeper {
  /** Takes over an agent's idle-socket expiry (give the agent no `timeout`). */
  watch(agent: http.Agent): void;
  stop(): void;
}

/**
 * `Keep-Alive: timeout=N` of an upstream's response, in ms, less a second (what Node's own agent
 * does): a socket is not reused once the upstream may be closing it. Undefined when absent.
 */
function serverHint(socket: PooledSocket): number | undefined {
  const raw = socket._httpMessage?.res?.rawHeaders;
  if (!raw) return undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    // Length and first letter first: Connection is 10 characters long too, and present on every response.
    if (name.length !== 10 || (name.charCodeAt(0) | 0x20) !== 0x6b || name.toLowerCase() !== "keep-alive") continue;
    const seconds = /^\s*timeout=(\d+)/i.exec(raw[i + 1] as string)?.[1];
    return seconds === undefined ? undefined : Number(seconds) * 1000 - 1000;
  }
  return undefined;
}

/**
 * Idle pooled sockets are closed after idleMs (or sooner, as the upstream's Keep-Alive hint asks)
 * by one timer that sweeps the free sockets every tickMs. An agent `timeout` would do the same, but
 * it arms a timer on every socket and Node refreshes that timer on every read and write, and adds
 * timeout listeners to every request: measurable on the proxy's request path. Here a request only
 * stamps its socket when it goes back to the pool; ages are measured in ticks (± tickMs).
 */
export function createIdleSocketSweeper(idleMs: number, tickMs: number): IdleSocketSweeper {
  const agents: http.Agent[] = [];
  let now = performance.now();
  const timer = setInterval(() => {
    now = performance.now();
    for (const agent of agents) {
      const expired: Socket[] = [];
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of (sockets ?? []) as PooledSocket[]) {
          if (now - (socket[IDLE_SINCE] ?? now) >= (socket[IDLE_LIMIT] ?? idleMs)) expired.push(socket);
        }
      }
      // The agent takes a closed socket out of its pool itself.
      for (const socket of expired) socket.destroy();
    }
  }, tickMs);
  timer.unref();
  return {
    watch(agent) {
      agents.push(agent);
      // Node's own keepSocketAlive, without the timer: TCP keep-alive on, unref, and whether the
      // socket may be reused at all (the upstream's hint leaves it less than a second).
      const keepAliveMsecs = (agent as http.Agent & { keepAliveMsecs?: number }).keepAliveMsecs ?? 1000;
      const keepSocketAlive = (socket: PooledSocket): boolean => {
        const hint = serverHint(socket);
        if (hint !== undefined && hint <= 0) return false;
        socket.setKeepAlive(true, keepAliveMsecs);
        socket.unref();
        socket[IDLE_SINCE] = now;
        socket[IDLE_LIMIT] = hint === undefined ? idleMs : Math.min(hint, idleMs);
        return true;
      };
      // @types/node declares it void; the agent uses the boolean (false: do not pool the socket).
      agent.keepSocketAlive = keepSocketAlive as unknown as http.Agent["keepSocketAlive"];
    },
    stop: () => clearInterval(timer),
  };
}
