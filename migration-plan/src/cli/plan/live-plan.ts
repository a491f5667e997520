import { hostname, userInfo } from "node:os";
import path from "node:path";
import type { MigrationConfig } from "@strangler/migration-config";
import {
  createPgParityRunStore,
  createPgPlanStore,
  createPgShadowResultStore,
  createPgTrafficStore,
} from "@strangler/toolkit-store";
import { createUnleashAdmin } from "@strangler/unleash-admin";
import pino from "pino";
import { createLiveEffects } from "../../plan/live/live-effects";
import { createLiveEvidence } from "../../plan/live/live-evidence";
import { trafficEvidence } from "../../plan/live/traffic-evidence";
import { createPlanRunner, type PlanRunner } from "../../plan/runner/plan-runner";
import type { PlanEvent } from "../../plan/runner/plan-runner-types";
import { collectCdcStatus } from "../cdc/cdc-status";
import { confirmFlagsOnProxies } from "../flags/confirm-flags";
import { requireToolkitDatabase } from "../toolkit-database";

/** The default folder for what the plan writes (parity runs, the cleanup script), below the working directory. */
export const PLAN_DEFAULT_OUT_DIR = "strangler-plan";

/** Who acts, for the audit log: the OS user and host, and the command. */
export function planActor(command: string): string {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where.
  }
  return `${user}@${hostname()} (strangler plan ${command})`;
}

/** A plan runner on the real components of a migration config, and how to close what it opened. */
export function openLivePlan(options: {
  config: MigrationConfig;
  configPath: string;
  /** The tokens, read when first needed (the CLI: environment or the local stack's tokens file). */
  tokens: { unleashAdmin: () => string; proxyAdmin: () => string };
  cdcUrl: string;
  actor: string;
  outDir?: string;
  observe?: (event: PlanEvent) => void;
}): { runner: PlanRunner; close: () => Promise<void> } {
  const { config, tokens } = options;
  const database = requireToolkitDatabase(
    config.toolkit,
    options.configPath,
    "the plan's state and audit log are kept",
  );
  const logger = pino({ level: "silent" });
  const store = createPgPlanStore(database, { logger });
  const parityStore = createPgParityRunStore(database, { logger });
  const shadow = createPgShadowResultStore(database, { retention: config.toolkit.retention, logger });
  const traffic = createPgTrafficStore(database, { logger });
  const readCdcStatus = () => collectCdcStatus(options.cdcUrl);
  const outDir = options.outDir ?? path.resolve(PLAN_DEFAULT_OUT_DIR);
  const runner = createPlanRunner(config, {
    store,
    actor: options.actor,
    observe: options.observe,
    evidence: createLiveEvidence({
      config,
      shadow,
      parity: parityStore,
      traffic: (service, routeIds, since) => trafficEvidence(traffic, service, routeIds, since),
      readCdcStatus,
    }),
    effects: createLiveEffects({
      config,
      admin: () =>
        createUnleashAdmin({
          url: config.unleash.url,
          token: tokens.unleashAdmin(),
          project: config.unleash.project,
          environment: config.unleash.environment,
        }),
      confirmFlags: (targets, timeoutMs) => confirmFlagsOnProxies(config, tokens.proxyAdmin, targets, timeoutMs),
      readCdcStatus,
      parityStore,
      outDir,
    }),
  });
  return {
    runner,
    close: async () => {
      await Promise.allSettled([store.close(), parityStore.close(), shadow.close(), traffic.close()]);
    },
  };
}
