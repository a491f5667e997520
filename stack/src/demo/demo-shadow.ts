import type { MigrationConfig } from "@strangler/migration-config";
import { collectDiffReport, renderDiffReport } from "@strangler/migration-plan";
import { call, expectStatus } from "./demo-http";
import { readLoop, strangler, type ReadPlan } from "./demo-rollout";
import { waitUntil } from "./demo-cdc";

const say = (text = "") => process.stdout.write(`${text}\n`);

/** How long the demo waits for the proxy's batched shadow results to reach the toolkit database. */
const RESULTS_DEADLINE_MS = 30_000;

export interface ShadowStepOptions {
  repoRoot: string;
  migration: MigrationConfig;
  configPath: string;
  proxyUrl: string;
  monolithUrl: string;
  /** The users the requests are sent as (x-user-id). */
  userIds: readonly string[];
  readCount: number;
}

interface Page {
  data: Array<{ id: string }>;
}

/** Reads of the service's list route and item route (ids from the monolith's list), alternating. */
async function readPlan(options: ShadowStepOptions, reads: MigrationConfig["services"][number]["routes"]["reads"]) {
  const list = reads.find((route) => !route.path.includes(":"));
  const item = reads.find((route) => /^[^:]*:[^/]+$/.test(route.path));
  if (!list || !item) return null;
  const ids = (
    (await expectStatus(call(options.monolithUrl, "GET", `${list.path}?limit=100`), 200, `GET ${list.path}`))
      .body as Page
  ).data.map((r) => r.id);
  const plan: ReadPlan = {
    userIds: options.userIds,
    path: (i) =>
      i % 2 === 0
        ? item.path.replace(/:[^/]+$/, ids[i % ids.length] as string)
        : `${list.path}?limit=5&offset=${i % 50}`,
  };
  return plan;
}

/**
 * The demo's shadow step, before any serve percentage moves: shadow on for the first service's reads
 * and (with dryRun) writes, traffic through the proxy, then the report `strangler diff report` prints.
 */
export async function shadowStep(options: ShadowStepOptions): Promise<void> {
  const { migration, proxyUrl } = options;
  const service = migration.services[0];
  if (!service) return;
  if (migration.toolkit.database === undefined) {
    say("  (skipped: the migration config has no toolkit.database to keep shadow results in)");
    return;
  }
  const writes = service.dryRun ? ["--reads", "--writes"] : ["--reads"];
  await strangler(options.repoRoot, ["flags", "set", "--service", service.name, ...writes, "--shadow", "100"]);
  say(
    service.dryRun
      ? `  ${service.name} honours x-strangler-dry-run: its writes are mirrored as dry runs (run, then rolled back)`
      : `  ${service.name} has no dryRun: only its reads are mirrored`,
  );

  const plan = await readPlan(options, service.routes.reads);
  if (!plan) return;
  const served = await readLoop(proxyUrl, plan, options.readCount);
  say(`  ${options.readCount} reads through the proxy, all answered by ${Object.keys(served).join(", ")}`);
  const create = service.routes.writes.find((route) => route.methods.includes("POST") && !route.path.includes(":"));
  const update = service.routes.writes.find((route) => route.methods.includes("PATCH"));
  let written = 0;
  if (service.dryRun && create && update) {
    for (let i = 0; i < 10; i++) {
      const user = options.userIds[i % options.userIds.length] as string;
      const created = await expectStatus(
        call(
          proxyUrl,
          "POST",
          create.path,
          { email: `shadow-${Date.now()}-${i}@example.com`, name: `Shadow Demo${i}` },
          {
            "x-user-id": user,
          },
        ),
        201,
        `POST ${create.path} through the proxy`,
      );
      const id = (created.body as { id: string }).id;
      await expectStatus(
        call(
          proxyUrl,
          "PATCH",
          update.path.replace(/:[^/]+$/, id),
          { name: `Shadow Renamed${i}` },
          { "x-user-id": user },
        ),
        200,
        `PATCH ${update.path} through the proxy`,
      );
      written += 2;
    }
    say(`  ${written} writes through the proxy (POST, PATCH), answered by the monolith, mirrored as dry runs`);
  }

  // The proxy writes results in batches off the request path: wait until they are all in.
  const request = { since: "15m", service: service.name };
  const compared = async () =>
    (await collectDiffReport(migration, options.configPath, request)).routes.reduce(
      (sum, route) => sum + route.compared + Object.values(route.skipped).reduce((a, b) => a + b, 0),
      0,
    );
  const settled = await waitUntil(
    async () => (await compared()) >= options.readCount + written,
    RESULTS_DEADLINE_MS,
    250,
  );
  if (settled === null)
    say(`  (not every shadow result arrived within ${RESULTS_DEADLINE_MS / 1000} s; the report shows those that did)`);
  say(`\n  $ npx strangler diff report --service ${service.name} --since 15m`);
  const text = await renderDiffReport(migration, options.configPath, request);
  for (const line of text.split("\n")) say(`    ${line}`);
}
