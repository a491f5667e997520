import path from "node:path";
import { forwardDirection, reverseDirection } from "@strangler/cdc";
import { type MigrationConfig, redactDatabaseUrl } from "@strangler/migration-config";
import { emptyParityCounts, type ParityRunReport, type ParityTableReport } from "@strangler/ops-contract";
import type { ParityRunStore } from "@strangler/toolkit-store";
import type pg from "pg";
import {
  PARITY_CDC_POLL_INTERVAL,
  PARITY_CHECKPOINT_INTERVAL,
  PARITY_CHECKPOINT_ROWS,
  PARITY_CHECKSUM_MIN_ROWS,
  PARITY_FETCH_SIZE,
  PARITY_MAX_SUSPECTS,
  PARITY_RECHECK_ROUNDS,
} from "../../defaults";
import { createCdcPositions, type ReadCdcStatus } from "./cdc-positions";
import { writeTableFiles } from "./parity-files";
import { ParityError } from "./parity-error";
import { namesTable, parityServices, planServiceTables } from "./service-tables";
import { openParityConnection } from "./side-reader";
import { createTableComparer, type ParityConnections, type TableComparer } from "./table-comparer";
import type { ParityTablePlan } from "./table-plan";

/** What `strangler parity data` was asked for. Stored with the run, so --resume repeats it. */
export interface DataParityOptions {
  services: string[];
  tables: string[];
  mode: "full" | "checksum" | "auto";
  /** The side that owns the tables' writes: differences are fixed towards it, and its CDC stream is waited for. */
  owner: "legacy" | "service";
  /** Where the differing keys and fix-up scripts go (a folder per run below it). */
  outDir: string;
  lagTimeoutMs: number;
}

/** Checksum mode: compares a table by key ranges, descending through the comparer where they differ. */
export type ChecksumCompare = (
  plan: ParityTablePlan,
  comparer: TableComparer,
  ctx: { connections: ParityConnections; signal?: AbortSignal },
) => Promise<void>;

export interface DataParityDeps {
  config: MigrationConfig;
  store: ParityRunStore;
  /** The CDC process's status; null when there is none to ask. */
  readCdcStatus: ReadCdcStatus | null;
  checksum: ChecksumCompare;
  /** Called as a table's counts move (the CLI draws progress from it), with the legacy table's estimated rows. */
  progress?: (table: ParityTableReport, estimatedRows: number) => void;
  signal?: AbortSignal;
  limits?: Partial<{ fetchSize: number; checkpointRows: number; checkpointInterval: number; maxSuspects: number }>;
}

interface ServiceWork {
  name: string;
  connections: ParityConnections;
  plans: ParityTablePlan[];
  legacyUrl: string;
  serviceUrl: string;
}

async function estimatedRows(client: pg.Client, tableSql: string): Promise<number> {
  const result = await client.query<{ rows: string }>(
    "SELECT greatest(reltuples, 0)::bigint::text AS rows FROM pg_class WHERE oid = $1::regclass",
    [tableSql],
  );
  return Number(result.rows[0]?.rows ?? 0);
}

async function openService(
  config: MigrationConfig,
  entry: ReturnType<typeof parityServices>[number],
): Promise<ServiceWork> {
  const legacyUrl = config.legacy.database as string;
  const serviceUrl = entry.service.data?.database as string;
  const opened: pg.Client[] = [];
  const open = async (url: string, label: string) => {
    try {
      const client = await openParityConnection(url, `${label} (${redactDatabaseUrl(url)})`);
      opened.push(client);
      return client;
    } catch (error) {
      await Promise.all(opened.map((client) => client.end().catch(() => undefined)));
      throw new ParityError("PARITY_DATABASE_UNREACHABLE", (error as Error).message, { cause: error, retriable: true });
    }
  };
  const legacyLabel = `the legacy database (${config.legacy.name})`;
  const serviceLabel = `the database of ${entry.service.name}`;
  const connections: ParityConnections = {
    legacyScan: await open(legacyUrl, legacyLabel),
    serviceScan: await open(serviceUrl, serviceLabel),
    legacy: await open(legacyUrl, legacyLabel),
    service: await open(serviceUrl, serviceLabel),
  };
  try {
    const plans = await planServiceTables(config, entry, connections);
    return { name: entry.service.name, connections, plans, legacyUrl, serviceUrl };
  } catch (error) {
    await Promise.all(opened.map((client) => client.end().catch(() => undefined)));
    throw error;
  }
}

function newTableReport(
  plan: ParityTablePlan,
  mode: "full" | "checksum",
  owner: "legacy" | "service",
): ParityTableReport {
  return {
    service: plan.service,
    legacyTable: plan.legacyTable,
    serviceTable: plan.serviceTable,
    keyColumns: [...plan.serviceKeys],
    mode,
    owner,
    status: "pending",
    counts: emptyParityCounts(),
    columns: {},
    lastKey: null,
    ...(mode === "checksum" ? { ranges: { compared: 0, differing: 0 } } : {}),
    equal: false,
    startedAt: null,
    finishedAt: null,
  };
}

/**
 * Compares every mapped table of the chosen services between the legacy and the service database
 * through the config's mapping (the CDC sink's own mappers), records progress in the toolkit
 * database as it goes (so an interrupted run resumes from its last key), re-checks differences
 * against the CDC stream's position, and writes each table's differing keys and fix-up script.
 */
export async function runDataParity(
  requested: DataParityOptions | { resume: true },
  deps: DataParityDeps,
): Promise<ParityRunReport> {
  let runId: string;
  let options: DataParityOptions;
  let stored: ParityTableReport[] | null = null;
  if ("resume" in requested) {
    const [latest] = await deps.store.runs({ unfinished: true, limit: 1 });
    if (!latest)
      throw new ParityError(
        "PARITY_NOTHING_TO_RESUME",
        "no unfinished data parity run in the toolkit database to resume",
      );
    const run = await deps.store.run(latest.runId);
    if (!run)
      throw new ParityError("PARITY_NOTHING_TO_RESUME", `run ${latest.runId} vanished from the toolkit database`);
    runId = run.runId;
    options = run.options as unknown as DataParityOptions;
    stored = run.tables;
  } else {
    runId = "";
    options = requested;
  }
  const work: ServiceWork[] = [];
  const warnings: string[] = [];
  try {
    for (const entry of parityServices(deps.config, options.services)) work.push(await openService(deps.config, entry));
    for (const table of options.tables)
      if (!work.some((w) => w.plans.some((plan) => namesTable(table, plan.mapping))))
        throw new ParityError(
          "PARITY_UNKNOWN_TABLE",
          `no mapped table "${table}" (mapped: ${work.flatMap((w) => w.plans.map((p) => `${p.legacyTable} → ${p.serviceTable}`)).join(", ")})`,
        );
    for (const w of work)
      if (options.tables.length > 0)
        w.plans = w.plans.filter((plan) => options.tables.some((t) => namesTable(t, plan.mapping)));
    const cdc = createCdcPositions(deps.readCdcStatus, PARITY_CDC_POLL_INTERVAL);
    const directionOf = (service: string) =>
      options.owner === "legacy" ? forwardDirection(deps.config, service) : reverseDirection(deps.config, service);
    const lagAware = new Map<string, boolean>();
    for (const w of work) {
      const available = await cdc.available(directionOf(w.name));
      lagAware.set(w.name, available);
      if (!available)
        warnings.push(
          `${w.name}: no CDC stream ${directionOf(w.name)} reports its position, so differences were re-read once, not waited out against replication lag`,
        );
    }
    if (stored === null) {
      const fresh: ParityTableReport[] = [];
      for (const w of work)
        for (const plan of w.plans) {
          const mode =
            options.mode === "auto"
              ? (await estimatedRows(w.connections.legacy, plan.legacySql)) >= PARITY_CHECKSUM_MIN_ROWS
                ? "checksum"
                : "full"
              : options.mode;
          fresh.push(newTableReport(plan, mode, options.owner));
        }
      const created = await deps.store.createRun({
        options: options as unknown as Record<string, unknown>,
        lagAware: [...lagAware.values()].every(Boolean),
        tables: fresh,
      });
      runId = created.runId;
      stored = created.tables;
    } else await deps.store.reopenRun(runId, warnings);
    const tables: ParityTableReport[] = stored;
    const outDir = path.join(options.outDir, runId);
    const files: ParityRunReport["files"] = [];
    for (const w of work)
      for (const plan of w.plans) {
        if (deps.signal?.aborted) break;
        const start = tables.find((t) => t.service === w.name && t.legacyTable === plan.legacyTable);
        if (!start)
          throw new ParityError(
            "PARITY_MAPPING_INVALID",
            `run ${runId} has no table ${plan.legacyTable} of ${w.name}: the config changed since it started; start a new run`,
          );
        let report = start;
        if (start.status !== "done") {
          const estimate = await estimatedRows(w.connections.legacy, plan.legacySql);
          const progress = deps.progress;
          const comparer = createTableComparer(plan, start, {
            store: deps.store,
            runId,
            connections: w.connections,
            recheck: {
              owner: start.owner,
              direction: directionOf(w.name),
              cdc,
              lagAware: lagAware.get(w.name) ?? false,
              lagTimeoutMs: options.lagTimeoutMs,
              rounds: PARITY_RECHECK_ROUNDS,
            },
            limits: {
              fetchSize: deps.limits?.fetchSize ?? PARITY_FETCH_SIZE,
              checkpointRows: deps.limits?.checkpointRows ?? PARITY_CHECKPOINT_ROWS,
              checkpointInterval: deps.limits?.checkpointInterval ?? PARITY_CHECKPOINT_INTERVAL,
              maxSuspects: deps.limits?.maxSuspects ?? PARITY_MAX_SUSPECTS,
            },
            ...(progress ? { progress: (table: ParityTableReport) => progress(table, estimate) } : {}),
            ...(deps.signal ? { signal: deps.signal } : {}),
            warn: (message) => warnings.push(message),
          });
          if (start.mode === "checksum")
            await deps.checksum(plan, comparer, {
              connections: w.connections,
              ...(deps.signal ? { signal: deps.signal } : {}),
            });
          else await comparer.compareScan({ after: null });
          report = await comparer.finish();
        }
        if (report.status !== "done") continue;
        const owned = report.owner === "legacy";
        const written = await writeTableFiles(
          outDir,
          {
            runId,
            store: deps.store,
            ownerClient: owned ? w.connections.legacy : w.connections.service,
            copyLabel: owned ? `the database of ${w.name}` : `the legacy database (${deps.config.legacy.name})`,
            copyUrl: redactDatabaseUrl(owned ? w.serviceUrl : w.legacyUrl),
          },
          plan,
          report,
        );
        files.push({ kind: "keys", table: plan.legacyTable, path: written.keys });
        if (written.fixup) files.push({ kind: "fixup", table: plan.legacyTable, path: written.fixup });
      }
    await deps.store.finishRun(runId, { status: deps.signal?.aborted ? "interrupted" : "done", files, warnings });
  } catch (error) {
    if (runId) await deps.store.finishRun(runId, { status: "failed", files: [], warnings }).catch(() => undefined);
    throw error;
  } finally {
    await Promise.all(
      work.flatMap((w) => Object.values(w.connections).map((client: pg.Client) => client.end().catch(() => undefined))),
    );
  }
  const report = await deps.store.run(runId);
  if (!report) throw new Error(`run ${runId} is not in the toolkit database after it finished`);
  return report;
}
