import { compileRoutes, DEFAULT_CONFIG_PATH, loadMigrationConfig } from "@strangler/migration-config";
import { createUnleashAdmin, type EnsureReport } from "@strangler/unleash-admin";

/**
 * The docker-compose `unleash-flags` service: creates the serve and shadow flag of every route of
 * the migration config on Unleash, idempotently (existing flags keep their rollout and on/off
 * state), as the native stack's provisionRouteFlags does. Unleash's URL comes from the migration
 * config (STRANGLER_UNLEASH_URL), the admin token from STRANGLER_UNLEASH_ADMIN_TOKEN.
 *
 * Usage: node --import tsx docker/provision-flags.ts   (STRANGLER_CONFIG, STRANGLER_UNLEASH_ADMIN_TOKEN, …)
 */
export async function provisionFlags(env: NodeJS.ProcessEnv): Promise<EnsureReport & { url: string; routes: number }> {
  const token = env.STRANGLER_UNLEASH_ADMIN_TOKEN;
  if (!token) throw new Error("STRANGLER_UNLEASH_ADMIN_TOKEN is not set (the secrets service writes it to flags.env)");
  const migration = loadMigrationConfig(env.STRANGLER_CONFIG || DEFAULT_CONFIG_PATH, env);
  const routes = compileRoutes(migration);
  const admin = createUnleashAdmin({
    url: migration.unleash.url,
    token,
    project: migration.unleash.project,
    environment: migration.unleash.environment,
  });
  const report = await admin.ensureRouteFlags(routes);
  return { ...report, url: migration.unleash.url, routes: routes.length };
}

if (require.main === module) {
  provisionFlags(process.env).then(
    (report) =>
      process.stdout.write(
        `unleash-flags: ${report.flags.length} flags for ${report.routes} routes on ${report.url}, ${report.created} created\n`,
      ),
    (error: unknown) => {
      process.stderr.write(`unleash-flags: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
