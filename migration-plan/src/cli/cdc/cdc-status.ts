import { z } from "zod";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { formatTable } from "../flags/flag-format";

const partitionSchema = z.object({ topic: z.string(), partition: z.number(), committedOffset: z.string().nullable(), lag: z.number().nullable() });
const streamSchema = z.object({
  direction: z.string(),
  /** "embedded" (the slot) or "debezium" (Kafka); streams of processes before the Debezium transport report none. */
  transport: z.enum(["embedded", "debezium"]).default("embedded"),
  phase: z.string(),
  confirmedLsn: z.string().nullable(),
  lastEventAt: z.number().nullable(),
  applied: z.number(),
  deadLettered: z.number(),
  /** Debezium: the consumer group's committed offset and lag per partition. */
  position: z.array(partitionSchema).optional(),
  /** Why the stream is not streaming (a failed start, or what it is reconnecting from), password redacted. */
  lastError: z.string().optional(),
});
/** `warnings`: process-wide, e.g. a replication slot the config does not use (processes before it report none). */
const statusSchema = z.object({ streams: z.array(streamSchema), warnings: z.array(z.string()).default([]) });

/** One CDC stream as `strangler cdc status` reports it. */
export type CdcStreamReport = z.output<typeof streamSchema> & { lagSeconds: number | null };

const LAG_LINE = /^strangler_cdc_last_lag_seconds\{([^}]*)\} ([0-9.eE+-]+)$/;

/** The largest last-seen lag per direction, from the Prometheus text of the CDC process. */
export function lagByDirection(metricsText: string): Map<string, number> {
  const lags = new Map<string, number>();
  for (const line of metricsText.split("\n")) {
    const match = LAG_LINE.exec(line.trim());
    if (!match) continue;
    const direction = /direction="([^"]*)"/.exec(match[1] ?? "")?.[1];
    if (!direction) continue;
    lags.set(direction, Math.max(lags.get(direction) ?? 0, Number(match[2])));
  }
  return lags;
}

async function get(url: string, fetchImpl: typeof fetch): Promise<Response> {
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new CliError("STRANGLER_CDC_UNREACHABLE", `${url} answered ${response.status}`, { status: response.status });
    return response;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError("STRANGLER_CDC_UNREACHABLE", `the CDC process is not reachable at ${url} (${(error as Error).message}); is the stack up? (npm run stack -- status)`, { cause: error, retriable: true });
  }
}

/** What `strangler cdc status` shows: the streams and the process's warnings. */
export interface CdcStatusReport {
  streams: CdcStreamReport[];
  warnings: string[];
}

/** Reads /status and /metrics of the CDC process: per stream direction, position, lag, counts; the process's warnings. */
export async function collectCdcStatus(cdcUrl: string, fetchImpl: typeof fetch = fetch): Promise<CdcStatusReport> {
  const [status, metrics] = await Promise.all([get(`${cdcUrl}/status`, fetchImpl), get(`${cdcUrl}/metrics`, fetchImpl)]);
  const parsed = statusSchema.safeParse(await status.json());
  if (!parsed.success) throw new CliError("STRANGLER_CDC_UNREACHABLE", `${cdcUrl}/status did not answer the expected JSON: ${parsed.error.issues[0]?.message}`);
  const lags = lagByDirection(await metrics.text());
  return { streams: parsed.data.streams.map((stream) => ({ ...stream, lagSeconds: lags.get(stream.direction) ?? null })), warnings: parsed.data.warnings };
}

/**
 * Where a stream stands: the acknowledged LSN (embedded), or the consumer group's committed offsets
 * and the messages behind them (debezium), e.g. "users/0@1234 (lag 0)".
 */
export function formatPosition(stream: CdcStreamReport): string {
  if (stream.transport !== "debezium") return stream.confirmedLsn ?? "-";
  const partitions = stream.position ?? [];
  if (partitions.length === 0) return "-";
  return partitions
    .map((p) => `${p.topic.split(".").pop() ?? p.topic}/${p.partition}@${p.committedOffset ?? "-"} (lag ${p.lag ?? "?"})`)
    .join(", ");
}

/** `strangler cdc status [--json]`. */
export async function cdcStatus(cdcUrl: string, options: { json: boolean }, io: CliIo, fetchImpl: typeof fetch = fetch): Promise<number> {
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
  io.out(`${formatTable(["direction", "transport", "phase", "position", "last lag", "applied", "dead-lettered", "last event"], rows)}\n\ncdc  ${cdcUrl}\n${notes.map((note) => `\n${note}`).join("")}${notes.length > 0 ? "\n" : ""}`);
  return 0;
}
