import { createPrismaClient, seedMonolith } from "@strangler/legacy-monolith";
import { createProgressPrinter } from "../cli/progress-printer";
import { formatStatusTable } from "../cli/status-table";
import { loadStackMigrationConfig } from "../config/migration-config-env";
import { loadStackConfig } from "../config/stack-config";
import { describeError } from "../errors/stack-error";
import { databaseUrl } from "../postgres/pg-client";
import { adminDatabaseUrl } from "../postgres/postgres-server-url";
import { stackStatus, stackUp } from "../stack/stack-lifecycle";
import { waitUntil } from "./demo-cdc";
import { call, expectStatus } from "./demo-http";
import { demoParity } from "./demo-parity";
import { listenUrl } from "@strangler/migration-plan";
import { formatShares, readLoop, strangler } from "./demo-rollout";
import { shadowStep } from "./demo-shadow";

interface UserJson {
  id: string;
  email: string;
  name: string;
}
interface Page<T> {
  data: T[];
  page: { total: number };
}

const say = (text = "") => process.stdout.write(`${text}\n`);
const heading = (text: string) => say(`\n== ${text}`);

async function main(): Promise<void> {
  const config = loadStackConfig();
  const migration = loadStackMigrationConfig(config);
  heading("1. Start the local stack (PostgreSQL, Unleash, the apps, the strangler proxy)");
  await stackUp(config, { progress: createProgressPrinter((text) => process.stdout.write(text)) });
  const status = await stackStatus(config);
  const monolith = status.components.monolith?.url;
  const usersService = status.components["users-service"]?.url;
  const proxy = status.components.proxy?.url;
  if (!monolith || !usersService || !proxy)
    throw new Error("demo: the stack reports no URL for the monolith, the users service or the proxy");

  heading("2. Seed the monolith (deterministic, seed 42)");
  const prisma = createPrismaClient(databaseUrl(adminDatabaseUrl(config), "monolith"));
  try {
    const summary = await seedMonolith(prisma, {}, (p) =>
      say(`  ${p.step.padEnd(12)} ${String(p.rows).padStart(6)} rows  ${p.ms} ms`),
    );
    say(`  seeded in ${summary.ms} ms`);
  } finally {
    await prisma.$disconnect();
  }

  heading(`3. The legacy monolith (${monolith}) serves every feature from one schema`);
  const users = (await expectStatus(call(monolith, "GET", "/api/users?limit=3"), 200, "GET /api/users"))
    .body as Page<UserJson>;
  say(
    `  GET /api/users?limit=3          → ${users.page.total} users; first: ${users.data.map((u) => u.name).join(", ")}`,
  );
  const products = (await expectStatus(call(monolith, "GET", "/api/products?limit=1"), 200, "GET /api/products"))
    .body as Page<{ id: string; name: string; stock: number }>;
  const product = products.data[0];
  const buyer = users.data[0];
  if (!product || !buyer) throw new Error("demo: the seed produced no users or products");
  say(
    `  GET /api/products?limit=1       → ${products.page.total} products; first: ${product.name} (stock ${product.stock})`,
  );
  const order = (
    await expectStatus(
      call(monolith, "POST", "/api/orders", { userId: buyer.id, items: [{ productId: product.id, quantity: 1 }] }),
      201,
      "POST /api/orders",
    )
  ).body as { id: string; totalCents: number; status: string };
  say(
    `  POST /api/orders                → order ${order.id} for ${buyer.name}, ${order.totalCents} cents, ${order.status}`,
  );
  const paid = (
    await expectStatus(
      call(monolith, "POST", `/api/orders/${order.id}/pay`, { method: "card" }),
      200,
      "POST /api/orders/:id/pay",
    )
  ).body as { status: string };
  say(`  POST /api/orders/:id/pay        → ${paid.status}`);
  const history = (
    await expectStatus(call(monolith, "GET", `/api/users/${buyer.id}/orders`), 200, "GET /api/users/:id/orders")
  ).body as Page<unknown>;
  say(`  GET /api/users/:id/orders       → ${history.page.total} orders (a join across users and orders)`);

  heading(`4. The users service (${usersService}): its own database, the same /api/users contract`);
  const email = `demo-${Date.now()}@example.com`;
  const dry = await expectStatus(
    call(usersService, "POST", "/api/users", { email, name: "Demo  Person" }, { "x-strangler-dry-run": "1" }),
    201,
    "dry-run POST /api/users",
  );
  say(
    `  POST /api/users (dry run)       → 201 ${JSON.stringify(dry.body)}; x-strangler-dry-run: ${dry.headers.get("x-strangler-dry-run")}, nothing stored`,
  );
  const created = (
    await expectStatus(
      call(usersService, "POST", "/api/users", { email, name: "Demo  Person" }),
      201,
      "POST /api/users",
    )
  ).body as UserJson;
  say(
    `  POST /api/users                 → 201 stored as user_profiles(first_name "Demo", last_name "Person"), answered as name "${created.name}"`,
  );
  const serviceUsers = (await expectStatus(call(usersService, "GET", "/api/users?limit=1"), 200, "GET /api/users"))
    .body as Page<UserJson>;
  say(
    `  GET /api/users                  → ${serviceUsers.page.total} users (change data capture is copying the monolith's; step 5 waits until it is done)`,
  );
  // The user exists only in the service's database (no reverse stream yet): removed again, so the
  // shadow step compares two copies of the same data.
  await expectStatus(call(usersService, "DELETE", `/api/users/${created.id}`), 204, "DELETE /api/users/:id");
  say(`  DELETE /api/users/${created.id} → 204: the demo's own user removed again, the copies agree`);
  const unknown = "/api/users/00000000-0000-4000-8000-000000000000";
  const [a, b] = await Promise.all([call(monolith, "GET", unknown), call(usersService, "GET", unknown)]);
  say(
    `  GET ${unknown} on both → ${a.status} / ${b.status}, same body: ${JSON.stringify(a.body) === JSON.stringify(b.body)}`,
  );
  const bad = await call(usersService, "POST", "/api/users", { email: "nope", name: 7 });
  say(`  POST /api/users with bad input  → ${bad.status} ${JSON.stringify(bad.body)}`);

  heading(
    "5. Change data capture keeps each service's copy in sync with the monolith's tables: `strangler parity data` proves it row by row",
  );
  const cdcUrl = listenUrl(migration.cdc.listen.host, migration.cdc.listen.port);
  const parity = await demoParity(migration, cdcUrl, config.home);
  for (const line of parity.text.split("\n")) say(`  ${line}`);
  if (!parity.run.tables.every((table) => table.equal))
    throw new Error(
      `demo: data parity found differences; the keys are in ${parity.run.files.map((f) => f.path).join(", ")}`,
    );
  const someone = (await expectStatus(call(monolith, "GET", "/api/users?limit=1&offset=7"), 200, "GET /api/users"))
    .body as Page<UserJson>;
  const target = someone.data[0];
  if (!target) throw new Error("demo: no user to update");
  const newName = `${target.name.split(" ")[0]} Renamed-${Date.now() % 1000}`;
  await expectStatus(
    call(monolith, "PATCH", `/api/users/${target.id}`, { name: newName }),
    200,
    "PATCH /api/users/:id",
  );
  const seen = await waitUntil(
    async () =>
      ((await call(usersService, "GET", `/api/users/${target.id}`)).body as UserJson | null)?.name === newName,
    10_000,
    10,
  );
  say(
    `  PATCH on the monolith (name → "${newName}") visible on the users service after ${seen ?? "more than 10000"} ms`,
  );

  const ids = (await expectStatus(call(monolith, "GET", "/api/users?limit=100"), 200, "GET /api/users"))
    .body as Page<UserJson>;
  const userIds = ids.data.map((u) => u.id);
  heading(
    `6. Shadow mode: ${migration.services[0]?.name ?? "the service"} answers the same requests off the path, both answers compared (no serve percentage moves yet)`,
  );
  await shadowStep({
    repoRoot: config.repoRoot,
    migration,
    configPath: config.migrationConfigPath,
    proxyUrl: proxy,
    monolithUrl: monolith,
    userIds,
    readCount: 200,
  });

  heading(`7. The strangler proxy (${proxy}) moves each service's reads to it, a share at a time`);
  const requests = 200;
  let proxied = 0;
  for (const service of migration.services) {
    const reads = service.routes.reads;
    const list = reads.find((route) => !route.path.includes(":"));
    const item = reads.find((route) => /^[^:]*:[^/]+$/.test(route.path));
    if (!list || !item) continue;
    // The resource's ids from the monolith's list route: the item route is read with them.
    const resources = (
      (await expectStatus(call(monolith, "GET", `${list.path}?limit=100`), 200, `GET ${list.path}`)).body as Page<{
        id: string;
      }>
    ).data.map((r) => r.id);
    const plan = {
      userIds,
      path: (i: number) =>
        i % 2 === 0
          ? item.path.replace(/:[^/]+$/, resources[i % resources.length] as string)
          : `${list.path}?limit=5&offset=${i % 50}`,
    };
    say(`\n  ${service.name}: ${reads.map((route) => `${route.id} (${route.path})`).join(", ")}`);
    for (const percent of [0, 50, 100]) {
      say("");
      await strangler(config.repoRoot, [
        "flags",
        "set",
        "--service",
        service.name,
        "--reads",
        "--serve",
        String(percent),
      ]);
      const served = await readLoop(proxy, plan, requests);
      proxied += requests;
      say(
        `  ${requests} reads from ${userIds.length} users at ${percent} %:\n    ${formatShares(served, requests, [migration.legacy.name, service.name])}`,
      );
    }
  }
  const writes = migration.services.flatMap((service) => service.routes.writes.map((route) => route.id));
  if (writes.length > 0) say(`\n  Writes (${writes.join(", ")}) stay on the monolith: their flags are still at 0 %.`);
  say(
    `  Roll back any time: npx strangler flags set --service ${migration.services[0]?.name ?? "<name>"} --reads --serve 0`,
  );
  await strangler(config.repoRoot, ["flags", "list"]);

  heading(
    "8. An order through the proxy draws down stock in the monolith; CDC carries it to the service that now serves product reads",
  );
  const before = await expectStatus(
    call(proxy, "GET", `/api/products/${product.id}`, undefined, { "x-user-id": buyer.id }),
    200,
    "GET /api/products/:id through the proxy",
  );
  const stock = (before.body as { stock: number }).stock;
  say(`  GET /api/products/${product.id} → stock ${stock}, served by ${before.headers.get("x-strangler-backend")}`);
  const placed = await expectStatus(
    call(
      proxy,
      "POST",
      "/api/orders",
      { userId: buyer.id, items: [{ productId: product.id, quantity: 2 }] },
      { "x-user-id": buyer.id },
    ),
    201,
    "POST /api/orders through the proxy",
  );
  say(`  POST /api/orders (2 × ${product.name}) → 201, served by ${placed.headers.get("x-strangler-backend")}`);
  proxied += 2;
  let after = before;
  const followed = await waitUntil(
    async () => {
      after = await expectStatus(
        call(proxy, "GET", `/api/products/${product.id}`, undefined, { "x-user-id": buyer.id }),
        200,
        "GET /api/products/:id through the proxy",
      );
      proxied += 1;
      return (after.body as { stock: number }).stock === stock - 2;
    },
    10_000,
    10,
  );
  if (followed === null)
    throw new Error(
      `demo: the product's stock through the proxy is still ${(after.body as { stock: number }).stock}, expected ${stock - 2}, 10 s after the order`,
    );
  say(
    `  GET /api/products/${product.id} → stock ${stock - 2} after ${followed} ms, served by ${after.headers.get("x-strangler-backend")}`,
  );
  say(`\n  ${proxied} requests through the proxy, 0 failed (any other answer stops the demo).`);

  heading("9. What runs where");
  say(formatStatusTable(await stackStatus(config)));
  say("\nThe stack keeps running. `npm run stack -- status` shows it, `npm run stack -- down` stops it.");
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${describeError(error)}\n`);
  process.exitCode = 1;
});
