import {
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

/** What `strangler cdc status` shows: the streams and the process's warnings. */
export interface CdcStatusReport {
  streams: CdcStreamReport[];
  warnings: string[];
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

/** `strangler cdc status [--json]`. */
export async function cdcStatus(
  cdcUrl: string,
  options: { json: boolean },
  io: CliIo,
  fetchImpl?: CdcFetch,
): Promise<number> {
  const { streams, warnings } = await collectCdcStatus(cdcUrl, fetchImpl);
  if (options.json) {
    io.out(`${JSON.stringify({ cdc: cdcUrl, streams, warnings })}\n`);
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
  ]);
  const notes = [
    ...streams.flatMap((s) => (s.lastError === undefined ? [] : [`${s.direction} ${s.phase}: ${s.lastError}`])),
    ...warnings.map((warning) => `warning: ${warning}`),
  ];
  const table =
    streams.length === 0
      ? "no CDC streams (no service of the config has a data section)"
      : formatTable(
          ["direction", "transport", "phase", "position", "last lag", "applied", "dead-lettered", "last event"],
          rows,
        );
  io.out(`${table}\n\ncdc  ${cdcUrl}\n${notes.map((note) => `\n${note}`).join("")}${notes.length > 0 ? "\n" : ""}`);
  return 0;
}
