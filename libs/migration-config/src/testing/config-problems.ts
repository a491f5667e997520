import { MigrationConfigError } from "../config-error";
import { parseMigrationConfig } from "../load-migration-config";

/** For tests: the message with which a config text is rejected; throws when it is accepted. */
export function configProblems(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseMigrationConfig(text, "strangler.config.yaml", env);
  } catch (error) {
    if (error instanceof MigrationConfigError) return error.message;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}
