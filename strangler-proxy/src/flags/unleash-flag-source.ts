import type { EventEmitter } from "node:events";
import http from "node:http";
import https from "node:https";
import type { Logger } from "pino";
import { Unleash, UnleashEvents, type Context } from "unleash-client";
import type { FeatureInterface } from "unleash-client/lib/feature";
import { UNLEASH_FETCH_TIMEOUT, REPEATED_LOG_INTERVAL, UPSTREAM_FREE_SOCKET_TIMEOUT } from "../defaults";
import { createRateLimitedLog } from "../logging/rate-limited-log";
import { AtomicFileStorage, type BackupRead } from "./atomic-file-storage";
import type { FlagSource, FlagSourceStatus } from "./flag-source";
import { flagStateOf } from "./flag-state";
import { compileRolloutEvaluator, type RolloutEvaluator } from "./rollout-evaluator";

export interface UnleashFlagSourceOptions {
  /** Base URL of the Unleash server (the client API is below `/api/`). */
  url: string;
  appName: string;
  environment: string;
  project: string;
  refreshIntervalMs: number;
  clientToken: string;
  /** Folder of the backup file the flags are loaded from when Unleash is unreachable at start. */
  backupDir: string;
}

export interface UnleashFlagSourceDeps {
  logger: Logger;
  now?: () => number;
}

/**
 * FlagSource on unleash-client 6: flags are fetched in the background every refreshIntervalMs and
 * evaluated in memory. At start the client reads its backup file in parallel with the first fetch
 * (whichever arrives first wins; a later fetch replaces backup data), so the proxy starts with the
 * last known flags while Unleash is down. A failed fetch keeps the flags it has.
 */
export function createUnleashFlagSource(options: UnleashFlagSourceOptions, deps: UnleashFlagSourceDeps): FlagSource {
  const now = deps.now ?? Date.now;
  const logger = deps.logger.child({ component: "unleash" });
  const limited = createRateLimitedLog(logger, REPEATED_LOG_INTERVAL, now);
  const agentOptions = { keepAlive: true, timeout: UPSTREAM_FREE_SOCKET_TIMEOUT };
  const agent = options.url.startsWith("https:") ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  let ready = false;
  let lastFetchAt: number | null = null;
  let backup: BackupRead | null = null;
  let failing = false;
  // loaded(): flags are in memory, or the first fetch failed and the backup file had none.
  let backupChecked = false;
  let settle: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (settle = resolve));
  const noneComing = () => {
    if (failing && backupChecked && !ready) settle();
  };

  const storage = new AtomicFileStorage(options.backupDir, (read) => {
    if (read && read.features > 0) backup = read;
    backupChecked = true;
    noneComing();
  });
  const unleash = new Unleash({
    url: `${options.url.replace(/\/+$/, "")}/api/`,
    appName: options.appName,
    environment: options.environment,
    projectName: options.project,
    refreshInterval: options.refreshIntervalMs,
    customHeaders: { Authorization: options.clientToken },
    timeout: UNLEASH_FETCH_TIMEOUT,
    httpOptions: { agent: () => agent },
    storageProvider: storage,
    // Usage metrics stay on: Unleash then shows the proxy as a connected application and which
    // route flags it evaluates. Counting is an in-memory increment per evaluation.
    disableMetrics: false,
    // Each proxy makes exactly one client; tests and the benchmark make several in one process.
    skipInstanceCountWarning: true,
  });

  const synced = () => {
    lastFetchAt = now();
    if (failing) logger.info({ url: options.url }, "Unleash reachable again; flags are current");
    failing = false;
  };
  unleash.on(UnleashEvents.Ready, () => {
    ready = true;
    settle();
    logger.info(
      { source: lastFetchAt !== null ? "unleash" : "backup", backupFile: storage.fileOf(options.appName) },
      "flags loaded",
    );
  });
  unleash.on(UnleashEvents.Changed, synced);
  unleash.on(UnleashEvents.Unchanged, synced);
  // Without an 'error' listener unleash-client prints to the console; an unreachable Unleash must
  // only be logged (rate-limited), never crash or flood the proxy. The last known flags keep applying.
  unleash.on(UnleashEvents.Error, (error: Error & { code?: string }) => {
    failing = true;
    noneComing();
    limited(
      "error",
      `error:${error.code ?? error.message.slice(0, 80)}`,
      { err: error, url: options.url },
      "Unleash error; routing keeps the last known flags",
    );
  });
  unleash.on(UnleashEvents.Warn, (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    limited("warn", `warn:${text.slice(0, 80)}`, { detail: text, url: options.url }, "Unleash warning");
  });

  // Per flag definition (unleash-client replaces the object when the flag changes), its decision
  // compiled once; null: unleash-client decides it.
  const compiled = new WeakMap<object, RolloutEvaluator | null>();
  const evaluatorOf = (definition: FeatureInterface): RolloutEvaluator | null => {
    let evaluator = compiled.get(definition);
    if (evaluator === undefined) {
      evaluator = compileRolloutEvaluator(definition);
      compiled.set(definition, evaluator);
    }
    return evaluator;
  };

  return {
    isEnabled(flag, context) {
      // Before the first fetch or backup load every flag is off (monolith); not calling the client
      // then avoids its "not initialized" warning on every request.
      if (!ready) return false;
      const definition = unleash.getFeatureToggleDefinition(flag);
      const evaluator = definition ? evaluatorOf(definition) : null;
      if (evaluator === null) return unleash.isEnabled(flag, context as Context, false); // FlagContext is a Context without the index signature.
      const enabled = evaluator(context);
      // Counted like unleash-client's own isEnabled: Unleash's usage metrics stay right.
      unleash.count(flag, enabled);
      return enabled;
    },
    state(flag) {
      const definition = ready ? unleash.getFeatureToggleDefinition(flag) : undefined;
      return definition ? flagStateOf(definition) : undefined;
    },
    status(): FlagSourceStatus {
      const at = lastFetchAt ?? (ready && backup ? backup.writtenAt.getTime() : null);
      const source = lastFetchAt !== null ? "unleash" : ready && backup ? "backup" : "none";
      return {
        source,
        lastSyncAt: at === null ? null : new Date(at),
        ageSeconds: at === null ? null : Math.max(0, (now() - at) / 1000),
      };
    },
    loaded: () => loaded,
    async close() {
      settle();
      unleash.destroy();
      // unleash-client 6.12.1: destroy() removes every listener of its repository, but a fetch
      // still in flight then emits 'error' on it: an unhandled 'error' event that crashes the
      // process (seen when closing while Unleash is down). A no-op listener absorbs it.
      (unleash as unknown as { repository?: EventEmitter }).repository?.on("error", () => undefined);
      agent.destroy();
    },
  };
}
