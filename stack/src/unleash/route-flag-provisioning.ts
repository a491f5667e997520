import { compileRoutes } from "@strangler/migration-config";
import { createUnleashAdmin, UnleashAdminError } from "@strangler/unleash-admin";
import { loadStackMigrationConfig, stackUnleashUrl } from "../config/migration-config-env";
import type { StackConfig } from "../config/stack-config";
import { StackError } from "../errors/stack-error";
import { stackSecretsFile, type StackSecrets } from "../secrets/stack-secrets";
import { type ProgressListener, trackStep } from "../stack/progress";

/**
 * Creates the serve and shadow flag of every route in the migration config (STRANGLER_CONFIG) on
 * the stack's Unleash, idempotently: existing flags keep their rollout and on/off state.
 */
export function provisionRouteFlags(
  config: StackConfig,
  secrets: StackSecrets,
  progress: ProgressListener,
): Promise<string> {
  return trackStep(progress, "unleash flags", "provisioning", async () => {
    const migration = loadStackMigrationConfig(config);
    const routes = compileRoutes(migration);
    const admin = createUnleashAdmin({
      url: stackUnleashUrl(config),
      token: secrets.unleashAdminToken,
      project: migration.unleash.project,
      environment: migration.unleash.environment,
    });
    try {
      const report = await admin.ensureRouteFlags(routes);
      const created = report.created === 0 ? "all present" : `${report.created} created`;
      return `${report.flags.length} flags for ${routes.length} routes, ${created}`;
    } catch (error) {
      if (error instanceof UnleashAdminError && error.code === "UNLEASH_AUTH_REJECTED") {
        throw new StackError(
          "STACK_UNLEASH_FAILED",
          `${error.message}\n  Unleash takes the tokens of ${stackSecretsFile(config.home)} only on its first start, on an empty database: ` +
            `the unleash database was created with other tokens. Restore that file, or drop the unleash database (its flags are lost) and run \`up\` again.`,
          { cause: error },
        );
      }
      throw error;
    }
  });
}
