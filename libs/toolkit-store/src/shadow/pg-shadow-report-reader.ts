import type { PoolClient } from "pg";
import { addHistogram, emptyHistogram } from "../latency/latency-histogram";
import type { RouteTotals } from "./route-report";
import type { DiffReportQuery, NoiseDelta } from "./shadow-result-store";
import { SHADOW_SCHEMA } from "./shadow-schema";

const S = SHADOW_SCHEMA;

/**
 * Reads each route's totals over [since, until] (since already the start of its minute), summed over
 * every replica that wrote, for the routes matching the query's route id and service.
 */
export async function readRouteTotals(
  client: PoolClient,
  query: DiffReportQuery & { until: number },
): Promise<RouteTotals[]> {
  const window = [new Date(query.since), new Date(query.until)];
  const totals = await client.query<Record<string, string>>(
    `SELECT route_id, max(service) AS service, sum(compared) AS compared, sum(matches) AS matches,
            sum(mismatches) AS mismatches, sum(noise_only) AS noise_only, sum(cdc_first) AS cdc_first,
            sum(candidate_errors) AS candidate_errors, sum(candidate_timeouts) AS candidate_timeouts
     FROM ${S}.minutes
     WHERE minute >= $1 AND minute <= $2 AND ($3::text IS NULL OR route_id = $3) AND ($4::text IS NULL OR service = $4)
     GROUP BY route_id ORDER BY route_id`,
    [...window, query.routeId ?? null, query.service ?? null],
  );
  const routes = new Map<string, RouteTotals>(
    totals.rows.map((row) => [
      String(row.route_id),
      {
        routeId: String(row.route_id),
        service: String(row.service),
        compared: Number(row.compared),
        matches: Number(row.matches),
        mismatches: Number(row.mismatches),
        noiseOnly: Number(row.noise_only),
        cdcFirst: Number(row.cdc_first),
        candidateErrors: Number(row.candidate_errors),
        candidateTimeouts: Number(row.candidate_timeouts),
        skipped: {},
        signatures: [],
        latency: { legacy: emptyHistogram(), service: emptyHistogram() },
        noise: [],
      },
    ]),
  );
  if (routes.size === 0) return [];
  const ids = [...routes.keys()];
  const scope = [...window, ids];

  const skipped = await client.query<Record<string, string>>(
    `SELECT route_id, reason, sum(count) AS count FROM ${S}.skipped
     WHERE minute >= $1 AND minute <= $2 AND route_id = ANY($3) GROUP BY route_id, reason ORDER BY route_id, reason`,
    scope,
  );
  for (const row of skipped.rows) {
    const route = routes.get(String(row.route_id));
    if (route) route.skipped[String(row.reason)] = Number(row.count);
  }

  // The newest example of each signature kept in the window, else any kept.
  const signatures = await client.query<{
    route_id: string;
    signature: string;
    fields: unknown;
    count: string;
    example_id: string | null;
  }>(
    `SELECT s.route_id, s.signature, s.fields, s.count, e.id AS example_id
     FROM (SELECT route_id, signature_key, min(signature) AS signature, (array_agg(fields))[1] AS fields, sum(count) AS count
           FROM ${S}.signatures WHERE minute >= $1 AND minute <= $2 AND route_id = ANY($3)
           GROUP BY route_id, signature_key) s
     LEFT JOIN LATERAL (
       SELECT id FROM ${S}.examples x WHERE x.route_id = s.route_id AND x.signature_key = s.signature_key
       ORDER BY (x.at >= $1 AND x.at <= $2) DESC, x.at DESC LIMIT 1) e ON true`,
    scope,
  );
  for (const row of signatures.rows) {
    routes.get(row.route_id)?.signatures.push({
      signature: row.signature,
      fields: row.fields as Array<{ path: string; kind: string }>,
      count: Number(row.count),
      exampleId: row.example_id,
    });
  }

  const latency = await client.query<{ route_id: string; side: "legacy" | "service"; bucket: number; count: string }>(
    `SELECT route_id, side, bucket, sum(count) AS count FROM ${S}.latency
     WHERE minute >= $1 AND minute <= $2 AND route_id = ANY($3) GROUP BY route_id, side, bucket`,
    scope,
  );
  for (const row of latency.rows) {
    const histogram = routes.get(row.route_id)?.latency[row.side];
    if (histogram === undefined) continue;
    const delta = new Array<number>(row.bucket + 1).fill(0);
    delta[row.bucket] = Number(row.count);
    addHistogram(histogram, delta);
  }

  const noise = await client.query<Record<string, string>>(
    `SELECT route_id, path, noise_differing, noise_compared, differing, compared FROM ${S}.noise WHERE route_id = ANY($1)`,
    [ids],
  );
  for (const row of noise.rows) routes.get(String(row.route_id))?.noise.push(noiseDeltaOf(row));
  return [...routes.values()];
}

/** A row of the noise table as the store's NoiseDelta. */
export function noiseDeltaOf(row: Record<string, string>): NoiseDelta {
  return {
    routeId: String(row.route_id),
    path: String(row.path),
    noiseDiffering: Number(row.noise_differing),
    noiseCompared: Number(row.noise_compared),
    differing: Number(row.differing),
    compared: Number(row.compared),
  };
}
