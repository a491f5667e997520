import fs from "node:fs";
import path from "node:path";
import { CLI_CONFIG_FILE_NAME, EXAMPLE_CONFIG_PATH, STACK_HOME_DIR } from "../defaults";

type Env = Readonly<Record<string, string | undefined>>;

/** Everything the CLI takes from its environment, read once (the only place the CLI reads process.env). */
export interface CliEnvironment {
  /** Variables the migration config interpolates (`${STRANGLER_UNLEASH_URL:-…}`): the caller's environment, nothing added. */
  interpolation: Readonly<Record<string, string | undefined>>;
  /** `STRANGLER_CONFIG`, else ./strangler.config.yaml when it exists, else the worked example's config. */
  defaultConfigPath: string;
  /** `STRANGLER_UNLEASH_ADMIN_TOKEN`; unset = the local stack's tokens file. */
  unleashAdminToken: string | undefined;
  /** `STRANGLER_PROXY_ADMIN_TOKEN`; unset = the local stack's tokens file. */
  proxyAdminToken: string | undefined;
  /** The local stack's state folder: `STRANGLER_HOME`, else `.strangler` in the checkout the CLI runs from (null outside one). */
  stackHome: { path: string; from: "STRANGLER_HOME" | "checkout" } | null;
  /** `STRANGLER_CDC_URL`: the CDC process's base URL when it is not where the config's cdc.listen says. */
  cdcUrl: string | undefined;
  /** Colours in the text output: only when stdout is a terminal and NO_COLOR is not set (https://no-color.org). */
  color: boolean;
  /** Progress lines for long work (on stderr): only when stderr is a terminal. */
  progress: boolean;
  cwd: string;
}

/** The nearest folder at or above `start` whose package.json declares workspaces (a Strangler checkout); null when none. */
export function findWorkspaceRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { workspaces?: unknown };
      if (manifest.workspaces) return dir;
    } catch {
      // no (readable) package.json here: look further up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const set = (value: string | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : value;

/** Reads the CLI's environment. `cliDir` is where the CLI's code lives (the checkout's stack home is found from there). */
export function loadCliEnvironment(
  env: Env = process.env,
  cwd: string = process.cwd(),
  cliDir: string = __dirname,
  stdoutIsTty: boolean = process.stdout.isTTY === true,
  stderrIsTty: boolean = process.stderr.isTTY === true,
): CliEnvironment {
  const home = set(env.STRANGLER_HOME);
  const checkout = home === undefined ? findWorkspaceRoot(cliDir) : null;
  const localConfig = path.join(cwd, CLI_CONFIG_FILE_NAME);
  const configVariable = set(env.STRANGLER_CONFIG);
  return {
    interpolation: Object.fromEntries(Object.entries(env).filter(([, value]) => set(value) !== undefined)),
    defaultConfigPath: configVariable
      ? path.resolve(cwd, configVariable)
      : fs.existsSync(localConfig)
        ? localConfig
        : EXAMPLE_CONFIG_PATH,
    unleashAdminToken: set(env.STRANGLER_UNLEASH_ADMIN_TOKEN),
    proxyAdminToken: set(env.STRANGLER_PROXY_ADMIN_TOKEN),
    stackHome:
      home !== undefined
        ? { path: path.resolve(cwd, home), from: "STRANGLER_HOME" }
        : checkout
          ? { path: path.join(checkout, STACK_HOME_DIR), from: "checkout" }
          : null,
    cdcUrl: set(env.STRANGLER_CDC_URL)?.replace(/\/+$/, ""),
    color: stdoutIsTty && set(env.NO_COLOR) === undefined,
    progress: stderrIsTty,
    cwd,
  };
}

/** The config file a command uses: `--config` (relative to the working directory), else the default. */
export function configPathFor(environment: CliEnvironment, option: string | undefined): string {
  return option ? path.resolve(environment.cwd, option) : environment.defaultConfigPath;
}
