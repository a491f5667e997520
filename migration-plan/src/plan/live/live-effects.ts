import path from "node:path";
import { forwardDirection, reverseDirection } from "@strangler/cdc";
import type { MigrationConfig } from "@strangler/migration-config";
import type { CdcStatusDocument, SyncDirections } from "@strangler/ops-contract";
import type { ParityRunStore } from "@strangler/toolkit-store";
import type { UnleashAdmin } from "@strangler/unleash-admin";
import {
  PARITY_LAG_TIMEOUT,
  PLAN_CDC_POLL_INTERVAL,
  PLAN_CONFIRM_TIMEOUT,
  PLAN_WRITES_QUIET_TIMEOUT,
  PLAN_WRITES_QUIET_WINDOW,
} from "../../defaults";
import { compareByChecksum } from "../../parity/data/checksum/checksum-compare";
import { runDataParity } from "../../parity/data/data-parity-run";
import { writeCleanupScript } from "../decommission/write-cleanup-script";
import { PlanError } from "../plan-error";
import type { PlanEffects } from "../runner/plan-runner-types";
import { waitForQuietWrites } from "./quiet-writes";

/** Confirms that routes show flag targets on every proxy replica; resolves with the routes not confirmed, each with why. */
export type ConfirmFlags = (
  targets: ReadonlyArray<{ routeId: string; serve: number; shadow: number }>,
  timeoutMs: number,
) => Promise<Map<string, string>>;

export interface LiveEffectsOptions {
  config: MigrationConfig;
  admin: () => UnleashAdmin;
  confirmFlags: ConfirmFlags;
  readCdcStatus: () => Promise<CdcStatusDocument>;
  parityStore: ParityRunStore;
  /** Where parity runs and cleanup scripts are written (a folder per kind below it). */
  outDir: string;
  sleep?: (ms: number) => Promise<void>;
}

/** Whether the CDC status shows the plan's directions for a service, applied from plan version `version` on. */
function cdcFollows(
  status: CdcStatusDocument,
  config: MigrationConfig,
  service: string,
  sync: SyncDirections | null,
  version: number,
): string | null {
  const applied = status.plan?.find((p) => p.service === service);
  if (!applied || applied.version === null || applied.version < version)
    return `the CDC process has not applied plan version ${version} of ${service} yet (at ${applied?.version ?? "none"})`;
  const data = config.services.find((s) => s.name === service)?.data;
  const wanted = sync ?? { forward: "apply" as const, reverse: data?.reverse ?? false };
  const forward = status.streams.find((s) => s.direction === forwardDirection(config, service));
  const reverse = status.streams.find((s) => s.direction === reverseDirection(config, service));
  if (!forward || forward.phase !== "streaming") return `the forward stream is ${forward?.phase ?? "missing"}`;
  if ((forward.mode ?? "apply") !== wanted.forward)
    return `the forward stream is ${forward.mode ?? "apply"}, not ${wanted.forward}`;
  if (wanted.reverse && (!reverse || reverse.phase !== "streaming"))
    return `the reverse stream is ${reverse?.phase ?? "not running"}`;
  if (!wanted.reverse && reverse && reverse.phase !== "stopped") return `the reverse stream is still ${reverse.phase}`;
  return null;
}

/** The plan's effects on the real components: Unleash + the proxies' confirmation, the CDC process, parity, the script. */
export function createLiveEffects(options: LiveEffectsOptions): PlanEffects {
  const { config } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async applyFlags(changes) {
      const admin = options.admin();
      for (const change of changes) {
        await admin.setServeRollout(change.routeId, change.serve);
        await admin.setShadowRollout(change.routeId, change.shadow);
      }
      const pending = await options.confirmFlags(changes, PLAN_CONFIRM_TIMEOUT);
      if (pending.size > 0)
        throw new PlanError(
          "PLAN_UNCONFIRMED",
          `the proxies did not confirm within ${PLAN_CONFIRM_TIMEOUT / 1000} s (Unleash holds the new flags; 'strangler plan next' confirms again):\n${[...pending].map(([route, why]) => `  ${route}: ${why}`).join("\n")}`,
          { retriable: true },
        );
    },
    async confirmSync(service, sync, version) {
      if (!config.services.find((s) => s.name === service)?.data) return;
      const deadline = Date.now() + PLAN_CONFIRM_TIMEOUT;
      let why = "the CDC process did not answer";
      while (Date.now() < deadline) {
        try {
          const reason = cdcFollows(await options.readCdcStatus(), config, service, sync, version);
          if (reason === null) return;
          why = reason;
        } catch (error) {
          why = (error as Error).message;
        }
        await sleep(PLAN_CDC_POLL_INTERVAL);
      }
      throw new PlanError(
        "PLAN_UNCONFIRMED",
        `the CDC process did not follow the plan within ${PLAN_CONFIRM_TIMEOUT / 1000} s: ${why}`,
        { retriable: true },
      );
    },
    quietWrites: (service, side) =>
      waitForQuietWrites({
        readCdcStatus: options.readCdcStatus,
        direction: side === "legacy" ? forwardDirection(config, service) : reverseDirection(config, service),
        windowMs: PLAN_WRITES_QUIET_WINDOW,
        timeoutMs: PLAN_WRITES_QUIET_TIMEOUT,
        pollMs: PLAN_CDC_POLL_INTERVAL,
        sleep,
      }),
    runParity: (service, owners) =>
      runDataParity(
        {
          services: [service],
          tables: [],
          mode: "auto",
          owner: Object.values(owners).includes("service") ? "service" : "legacy",
          outDir: path.join(options.outDir, "parity"),
          lagTimeoutMs: PARITY_LAG_TIMEOUT,
        },
        { config, store: options.parityStore, readCdcStatus: options.readCdcStatus, checksum: compareByChecksum },
      ),
    writeCleanupScript: (service) => writeCleanupScript(config, service, path.join(options.outDir, "decommission")),
  };
}
