import type { PoolClient } from "pg";
import { storableExample, storableText } from "./route-report";
import type { ShadowResultBatch } from "./shadow-result-store";
import { SHADOW_SCHEMA } from "./shadow-schema";

const S = SHADOW_SCHEMA;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes one batch in one transaction. Every counter is added to the stored row (ON CONFLICT … SET
 * n = n + excluded.n), so replicas writing the same route and minute add up. Rows are written in key
 * order so two replicas writing the same keys at once wait for each other instead of deadlocking.
 */
export async function writeShadowBatch(
  client: PoolClient,
  batch: ShadowResultBatch,
  examplesPerSignature: number,
  now: number,
): Promise<void> {
  const minutes = [...batch.minutes].sort((a, b) => a.minute - b.minute || byText(a.routeId, b.routeId));
  const noise = [...batch.noise].sort((a, b) => byText(a.routeId, b.routeId) || byText(a.path, b.path));
  const examples = [...batch.examples].sort((a, b) => byText(a.routeId, b.routeId) || byText(a.signature, b.signature));
  await client.query("BEGIN");
  try {
    for (const delta of minutes) {
      const minute = new Date(delta.minute);
      const routeId = storableText(delta.routeId);
      await client.query(
        `INSERT INTO ${S}.minutes AS t (minute, route_id, service, compared, matches, mismatches, noise_only, cdc_first, candidate_errors, candidate_timeouts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (minute, route_id) DO UPDATE SET
           compared = t.compared + excluded.compared, matches = t.matches + excluded.matches,
           mismatches = t.mismatches + excluded.mismatches, noise_only = t.noise_only + excluded.noise_only,
           cdc_first = t.cdc_first + excluded.cdc_first, candidate_errors = t.candidate_errors + excluded.candidate_errors,
           candidate_timeouts = t.candidate_timeouts + excluded.candidate_timeouts`,
        [
          minute,
          routeId,
          storableText(delta.service),
          delta.compared,
          delta.matches,
          delta.mismatches,
          delta.noiseOnly,
          delta.cdcFirst,
          delta.candidateErrors,
          delta.candidateTimeouts,
        ],
      );
      for (const [reason, count] of Object.entries(delta.skipped).sort(([a], [b]) => byText(a, b))) {
        if (count === 0) continue;
        await client.query(
          `INSERT INTO ${S}.skipped AS t (minute, route_id, reason, count) VALUES ($1, $2, $3, $4)
           ON CONFLICT (minute, route_id, reason) DO UPDATE SET count = t.count + excluded.count`,
          [minute, routeId, storableText(reason), count],
        );
      }
      for (const entry of [...delta.signatures].sort((a, b) => byText(a.signature, b.signature))) {
        await client.query(
          `INSERT INTO ${S}.signatures AS t (minute, route_id, signature_key, signature, fields, count)
           VALUES ($1, $2, md5($3), $3, $4, $5)
           ON CONFLICT (minute, route_id, signature_key) DO UPDATE SET count = t.count + excluded.count`,
          [
            minute,
            routeId,
            storableText(entry.signature, Number.MAX_SAFE_INTEGER),
            JSON.stringify(entry.fields.map((field) => ({ path: storableText(field.path), kind: field.kind }))),
            entry.count,
          ],
        );
      }
      for (const side of ["legacy", "service"] as const) {
        const buckets = delta.latency[side];
        for (let bucket = 0; bucket < buckets.length; bucket += 1) {
          const count = buckets[bucket] ?? 0;
          if (count === 0) continue;
          await client.query(
            `INSERT INTO ${S}.latency AS t (minute, route_id, side, bucket, count) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (minute, route_id, side, bucket) DO UPDATE SET count = t.count + excluded.count`,
            [minute, routeId, side, bucket, count],
          );
        }
      }
    }
    for (const delta of noise) {
      await client.query(
        `INSERT INTO ${S}.noise AS t (route_id, path_key, path, noise_differing, noise_compared, differing, compared, updated_at)
         VALUES ($1, md5($2), $2, $3, $4, $5, $6, $7)
         ON CONFLICT (route_id, path_key) DO UPDATE SET
           noise_differing = t.noise_differing + excluded.noise_differing, noise_compared = t.noise_compared + excluded.noise_compared,
           differing = t.differing + excluded.differing, compared = t.compared + excluded.compared,
           updated_at = greatest(t.updated_at, excluded.updated_at)`,
        [
          storableText(delta.routeId),
          storableText(delta.path, Number.MAX_SAFE_INTEGER),
          delta.noiseDiffering,
          delta.noiseCompared,
          delta.differing,
          delta.compared,
          new Date(now),
        ],
      );
    }
    for (const example of examples) {
      if (examplesPerSignature === 0) break;
      const stored = storableExample(example);
      // One writer at a time per route and signature, so replicas together keep at most the cap.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1 || E'\\n' || md5($2), 0))", [
        stored.routeId,
        stored.signature,
      ]);
      await client.query(
        `INSERT INTO ${S}.examples (id, at, route_id, signature_key, example)
         SELECT $1, $2, $3, md5($4), $5
         WHERE (SELECT count(*) FROM ${S}.examples WHERE route_id = $3 AND signature_key = md5($4)) < $6
         ON CONFLICT (id) DO NOTHING`,
        [
          stored.id,
          new Date(stored.at),
          stored.routeId,
          stored.signature,
          JSON.stringify(stored),
          examplesPerSignature,
        ],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
