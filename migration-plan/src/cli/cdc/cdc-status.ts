import {
  type CdcPlanApplied,
  type CdcStreamStatusDocument,
  cdcStatusSchema,
  OpsContractError,
  parseOpsResponse,
} from "@strangler/ops-contract";
import { CDC_REQUEST_TIMEOUT } from "../../defaults";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { formatTable } from "../text-table";

/** One CDC stream as `strangler cdc status` reports it: the contract's document. */
export type CdcStreamReport = CdcStreamStatusDocument;

/** What `strangler cdc status` shows: the streams, the process's warnings and the directions in force per service. */
export interface CdcStatusReport {
  streams: CdcStreamReport[];
  warnings: string[];
  /** Absent from an older CDC process. */
  plan?: CdcPlanApplied[];
}

export type CdcFetch = (input: string, init: RequestInit) => Promise<Response>;

/** Reads GET <cdcUrl>/status and checks it against the operations contract. */
export async function collectCdcStatus(
  cdcUrl: string,
  fetchImpl: CdcFetch = (input, init) => fetch(input, init),
): Promise<CdcStatusReport> {
  const url = `${cdcUrl}/status`;
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(CDC_REQUEST_TIMEOUT) });
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    const why = typeof code === "string" ? code : (error as Error).message;
    throw new CliError(
      "STRANGLER_CDC_UNREACHABLE",
      `the CDC process is not reachable at ${cdcUrl} (${why}); is it running? (npm run stack -- status)`,
      { cause: error, retriable: true },
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw new CliError(
      "STRANGLER_CDC_BAD_RESPONSE",
      `GET ${url} answered HTTP ${response.status}: ${text.slice(0, 200)}`,
      { status: response.status, retriable: response.status >= 500 },
    );
  try {
    return parseOpsResponse(cdcStatusSchema, text, { document: "the CDC process's status", source: `GET ${url}` });
  } catch (error) {
    if (!(error instanceof OpsContractError)) throw error;
    throw new CliError("STRANGLER_CDC_BAD_RESPONSE", error.message, { cause: error });
  }
}

/**
 * Where a stream stands: the acknowledged LSN (embedded), or the consumer group's committed offsets
 * and the messages behind them (debezium), e.g. "users/0@1234 (lag 0)".
 */
export function formatPosition(stream: CdcStreamReport): string {
  if (stream.transport !== "debezium") return stream.confirmedLsn ?? "-";
  if (stream.position.length === 0) return "-";
  return stream.position
    .map(
      (p) => `${p.topic.split(".").pop() ?? p.topic}/${p.partition}@${p.committedOffset ?? "-"} (lag ${p.lag ?? "?"})`,
    )
    .join(", ");
}

/** "users-service: forward watch, reverse on (plan version 7, since 2026-…)": the directions in force for one service. */
export function formatDirections(entry: CdcPlanApplied): string {
  const source = entry.version === null ? "the config's (no plan state)" : `plan version ${entry.version}`;
  return (
    `${entry.service}: forward ${entry.sync.forward}, reverse ${entry.sync.reverse ? "on" : "off"} ` +
    `(${source}, since ${new Date(entry.appliedAt).toISOString()})`
  );
}

/** `strangler cdc status [--json]`. */
export async function cdcStatus(
  cdcUrl: string,
  options: { json: boolean },
  io: CliIo,
  fetchImpl?: CdcFetch,
): Promise<number> {
  const { streams, warnings, plan } = await collectCdcStatus(cdcUrl, fetchImpl);
  if (options.json) {
    io.out(`${JSON.stringify({ cdc: cdcUrl, streams, warnings, ...(plan ? { plan } : {}) })}\n`);
    return 0;
  }
  const rows = streams.map((s) => [
    s.direction,
    s.transport,
    s.phase,
    formatPosition(s),
    s.lagSeconds === null ? "-" : `${(s.lagSeconds * 1000).toFixed(0)} ms`,
    String(s.applied),
    String(s.deadLettered),
    s.lastEventAt === null ? "-" : new Date(s.lastEventAt).toISOString(),
    s.mode ?? "apply",
    s.violations === undefined ? "-" : String(s.violations),
  ]);
  const notes = [
    ...streams.flatMap((s) => (s.lastError === undefined ? [] : [`${s.direction} ${s.phase}: ${s.lastError}`])),
    ...streams.flatMap((s) =>
      (s.violations ?? 0) === 0
        ? []
        : [
            `${s.direction}: ${s.violations} write violation(s) while watching, the last at ${
              s.lastViolationAt ? new Date(s.lastViolationAt).toISOString() : "?"
            }; not applied, kept in strangler_cdc.dead_letters (kind violation) of the target database`,
          ],
    ),
    ...warnings.map((warning) => `warning: ${warning}`),
  ];
  const table =
    streams.length === 0
      ? "no CDC streams (no service of the config has a data section)"
      : formatTable(
          [
            "direction",
            "transport",
            "phase",
            "position",
            "last lag",
            "applied",
            "dead-lettered",
            "last event",
            "mode",
            "violations",
          ],
          rows,
        );
  const directions = (plan ?? []).map((entry) => `plan ${formatDirections(entry)}`);
  io.out(
    `${table}\n\ncdc  ${cdcUrl}\n${directions.map((line) => `${line}\n`).join("")}` +
      `${notes.map((note) => `\n${note}`).join("")}${notes.length > 0 ? "\n" : ""}`,
  );
  return 0;
}
