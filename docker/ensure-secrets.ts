import fs from "node:fs";
import path from "node:path";
import { loadOrCreateStackSecrets, type StackSecrets } from "../stack/src/secrets/stack-secrets";
import { unleashServerEnv } from "../stack/src/unleash/unleash-server-env";

/**
 * The docker-compose `secrets` service: generates the installation's tokens once (the stack's own
 * `<home>/secrets/tokens.json`, mode 600) in the tokens volume, and writes one env file per
 * consumer with only the tokens it needs; docker/with-env-file.sh exports them before the
 * consumer starts. `--print` prints `export …` lines for the `strangler` CLI on the host.
 *
 * Usage: node --import tsx docker/ensure-secrets.ts <secrets dir> [--print]
 */

/** Env file name → the variables it holds. Unleash takes its INIT_* tokens only on an empty database. */
export function secretEnvFiles(secrets: StackSecrets): Record<string, Record<string, string>> {
  const unleashTokens = unleashServerEnv({
    databaseUrl: "",
    host: "",
    port: 0,
    adminToken: secrets.unleashAdminToken,
    clientToken: secrets.unleashClientToken,
  });
  return {
    "unleash.env": Object.fromEntries(Object.entries(unleashTokens).filter(([name]) => name.startsWith("INIT_"))),
    "proxy.env": {
      STRANGLER_UNLEASH_CLIENT_TOKEN: secrets.unleashClientToken,
      STRANGLER_PROXY_ADMIN_TOKEN: secrets.proxyAdminToken,
    },
    "flags.env": { STRANGLER_UNLEASH_ADMIN_TOKEN: secrets.unleashAdminToken },
  };
}

/** Where the env files live below the secrets directory. */
export const ENV_FILES_SUBDIR = "env";

/** `NAME='value'` lines a POSIX shell can source (tokens hold no quotes; quoted anyway). */
export function renderEnvFile(variables: Readonly<Record<string, string>>): string {
  return Object.entries(variables)
    .map(([name, value]) => `${name}='${value.replaceAll("'", `'"'"'`)}'\n`)
    .join("");
}

/** Creates the tokens when missing and (re)writes the env files from them; returns the tokens. */
export function ensureSecrets(dir: string): StackSecrets {
  const secrets = loadOrCreateStackSecrets({ home: dir });
  // The consumers run as other users (the Unleash image as `node`): they must traverse this folder.
  fs.chmodSync(dir, 0o755);
  const envDir = path.join(dir, ENV_FILES_SUBDIR);
  // Readable by the consumers' users (the Unleash image runs as `node`); the volume holds nothing else.
  fs.mkdirSync(envDir, { recursive: true, mode: 0o755 });
  for (const [file, variables] of Object.entries(secretEnvFiles(secrets))) {
    const target = path.join(envDir, file);
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, renderEnvFile(variables), { mode: 0o644 });
    fs.renameSync(temporary, target);
  }
  return secrets;
}

function main(argv: readonly string[]): number {
  const [dir, ...flags] = argv;
  if (!dir || flags.some((flag) => flag !== "--print")) {
    process.stderr.write("usage: ensure-secrets.ts <secrets dir> [--print]\n");
    return 2;
  }
  const secrets = ensureSecrets(path.resolve(dir));
  if (flags.includes("--print")) {
    process.stdout.write(
      `export STRANGLER_UNLEASH_ADMIN_TOKEN='${secrets.unleashAdminToken}'\nexport STRANGLER_PROXY_ADMIN_TOKEN='${secrets.proxyAdminToken}'\n`,
    );
  } else {
    process.stdout.write(`secrets: tokens and env files ready in ${dir}\n`);
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
