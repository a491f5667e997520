import path from "node:path";
import { loadStackConfig, migrationConfigEnv, readStackSecrets, type StackConfig } from "@strangler/stack";

/** Everything the CLI takes from its environment, read once (the only place the CLI reads process.env). */
export interface CliEnvironment {
  stack: StackConfig;
  /** Variables the migration config interpolates: the stack's own URLs and ports, overridden by the caller's environment. */
  interpolation: Readonly<Record<string, string | undefined>>;
  /** `STRANGLER_CONFIG`, else the repository's migration-plan/strangler.config.yaml. */
  defaultConfigPath: string;
  /** `STRANGLER_UNLEASH_ADMIN_TOKEN`; unset = the stack's tokens file. */
  unleashAdminToken: string | undefined;
  /** `STRANGLER_PROXY_ADMIN_TOKEN`; unset = the stack's tokens file. */
  proxyAdminToken: string | undefined;
  /** The CDC process: `STRANGLER_CDC_URL`, else the local stack's (127.0.0.1:STRANGLER_CDC_PORT). */
  cdcUrl: string;
  cwd: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the CLI's environment; throws StackError STACK_CONFIG_INVALID for a bad stack variable. */
export function loadCliEnvironment(env: Env = process.env, cwd: string = process.cwd()): CliEnvironment {
  const stack = loadStackConfig(env, cwd);
  return {
    stack,
    interpolation: { ...migrationConfigEnv(stack), ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== "")) },
    defaultConfigPath: stack.migrationConfigPath,
    unleashAdminToken: env.STRANGLER_UNLEASH_ADMIN_TOKEN || undefined,
    proxyAdminToken: env.STRANGLER_PROXY_ADMIN_TOKEN || undefined,
    cdcUrl: (env.STRANGLER_CDC_URL || `http://127.0.0.1:${stack.cdcPort}`).replace(/\/+$/, ""),
    cwd,
  };
}

/** The config file a command uses: `--config`, else STRANGLER_CONFIG, else the example's. */
export function configPathFor(environment: CliEnvironment, option: string | undefined): string {
  return option ? path.resolve(environment.cwd, option) : environment.defaultConfigPath;
}

/** The Unleash admin token: STRANGLER_UNLEASH_ADMIN_TOKEN, else the local stack's tokens file. */
export function unleashAdminToken(environment: CliEnvironment): string {
  return environment.unleashAdminToken ?? readStackSecrets(environment.stack).unleashAdminToken;
}

/** The proxy's admin token: STRANGLER_PROXY_ADMIN_TOKEN, else the local stack's tokens file. */
export function proxyAdminToken(environment: CliEnvironment): string {
  return environment.proxyAdminToken ?? readStackSecrets(environment.stack).proxyAdminToken;
}
