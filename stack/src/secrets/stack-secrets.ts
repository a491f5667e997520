import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { StackConfig } from "../config/stack-config";
import { stackPaths } from "../config/stack-paths";
import { TOKEN_SECRET_BYTES } from "../defaults";
import { StackError } from "../errors/stack-error";

/** The tokens of one installation, generated on first use and kept in `<home>/secrets/tokens.json`. */
export interface StackSecrets {
  /** Unleash admin API token (`*:*.<secret>`): the stack and the `strangler` CLI change flags with it. */
  unleashAdminToken: string;
  /** Unleash backend (client) token (`default:development.<secret>`): the proxy reads flags with it. */
  unleashClientToken: string;
  /** Bearer token of the proxy's admin API. */
  proxyAdminToken: string;
}

const secretsSchema = z.object({
  version: z.literal(1),
  unleashAdminToken: z.string().regex(/^\*:\*\.[A-Za-z0-9]+$/, "expected *:*.<secret>"),
  unleashClientToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+\.[A-Za-z0-9]+$/, "expected <project>:<environment>.<secret>"),
  proxyAdminToken: z.string().regex(/^[A-Za-z0-9]{32,}$/, "expected at least 32 letters and digits"),
});

/** Where the installation's tokens live. */
export function stackSecretsFile(home: string): string {
  return path.join(stackPaths(home).secretsDir, "tokens.json");
}

function secret(): string {
  return randomBytes(TOKEN_SECRET_BYTES).toString("hex");
}

/** Fresh tokens (crypto random); the client token is for project `default`, environment `development`. */
export function generateStackSecrets(): StackSecrets {
  return {
    unleashAdminToken: `*:*.${secret()}`,
    unleashClientToken: `default:development.${secret()}`,
    proxyAdminToken: secret(),
  };
}

function parseSecrets(file: string, text: string): StackSecrets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StackError("STACK_SECRETS_INVALID", `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = secretsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".") || "(top level)"}: ${issue.message}`)
      .join("\n");
    throw new StackError(
      "STACK_SECRETS_INVALID",
      `${file} is not a valid tokens file:\n${problems}\n  Restore it, or remove it together with the unleash database (Unleash only takes new tokens on a fresh database).`,
    );
  }
  const { unleashAdminToken, unleashClientToken, proxyAdminToken } = parsed.data;
  return { unleashAdminToken, unleashClientToken, proxyAdminToken };
}

/** Reads the installation's tokens; STACK_SECRETS_MISSING until the stack has run `up` once. */
export function readStackSecrets(config: Pick<StackConfig, "home">): StackSecrets {
  const file = stackSecretsFile(config.home);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new StackError(
      "STACK_SECRETS_MISSING",
      `no tokens at ${file}: run \`npm run stack -- up\` once (it generates them), or set STRANGLER_HOME to the stack's state folder`,
    );
  }
  return parseSecrets(file, text);
}

/**
 * The installation's tokens, generated on first use. The file is created atomically with mode 600
 * (two concurrent callers end up with the same tokens), in a folder with mode 700.
 */
export function loadOrCreateStackSecrets(config: Pick<StackConfig, "home">): StackSecrets {
  const file = stackSecretsFile(config.home);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(
      temporary,
      `${JSON.stringify({ version: 1, createdAt: new Date().toISOString(), ...generateStackSecrets() }, null, 2)}\n`,
      {
        mode: 0o600,
      },
    );
    try {
      fs.linkSync(temporary, file); // fails with EEXIST when another process won the race
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return readStackSecrets(config);
}
