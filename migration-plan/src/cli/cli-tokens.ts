import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { STACK_TOKENS_FILE } from "../defaults";
import type { CliEnvironment } from "./cli-config";
import { CliError } from "./cli-error";

/**
 * The local stack's tokens file, `<STRANGLER_HOME>/secrets/tokens.json`, as the stack documents it
 * (stack/README.md): `{ version: 1, unleashAdminToken, unleashClientToken, proxyAdminToken, … }`.
 * Read here by its path and format; the CLI does not import the stack.
 */
const tokensFileSchema = z.object({
  version: z.literal(1),
  unleashAdminToken: z.string().min(1),
  proxyAdminToken: z.string().min(1),
});

/** The tokens the CLI uses. */
export type TokenKind = "unleashAdmin" | "proxyAdmin";

const VARIABLES: Record<TokenKind, string> = {
  unleashAdmin: "STRANGLER_UNLEASH_ADMIN_TOKEN",
  proxyAdmin: "STRANGLER_PROXY_ADMIN_TOKEN",
};
const NAMES: Record<TokenKind, string> = { unleashAdmin: "Unleash admin token", proxyAdmin: "proxy admin token" };

/** Where the local stack keeps its tokens for this environment; null when there is no stack home to look in. */
export function stackTokensFile(environment: CliEnvironment): string | null {
  return environment.stackHome ? path.join(environment.stackHome.path, STACK_TOKENS_FILE) : null;
}

function readTokensFile(file: string): z.output<typeof tokensFileSchema> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CliError(
      "STRANGLER_TOKENS_FILE_INVALID",
      `cannot read the local stack's tokens file ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      "STRANGLER_TOKENS_FILE_INVALID",
      `the local stack's tokens file ${file} is not JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const parsed = tokensFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      "STRANGLER_TOKENS_FILE_INVALID",
      `the local stack's tokens file ${file} is not a tokens file (${issue ? `${issue.path.join(".") || "(top level)"}: ${issue.message}` : "?"})`,
    );
  }
  return parsed.data;
}

/**
 * A token: its environment variable first, then the local stack's tokens file (one source among
 * others). Throws STRANGLER_TOKEN_MISSING saying every place it looked.
 */
export function findToken(environment: CliEnvironment, kind: TokenKind): string {
  const fromEnv = kind === "unleashAdmin" ? environment.unleashAdminToken : environment.proxyAdminToken;
  if (fromEnv !== undefined) return fromEnv;
  const file = stackTokensFile(environment);
  const tokens = file === null ? null : readTokensFile(file);
  if (tokens) return kind === "unleashAdmin" ? tokens.unleashAdminToken : tokens.proxyAdminToken;
  const home = environment.stackHome;
  const where = [
    `${VARIABLES[kind]} is not set`,
    home === null
      ? "no local stack to ask (STRANGLER_HOME is not set and the CLI does not run from a Strangler checkout)"
      : `${file} does not exist (${home.from === "STRANGLER_HOME" ? "STRANGLER_HOME" : "the checkout's stack home; STRANGLER_HOME is not set"})`,
  ];
  throw new CliError(
    "STRANGLER_TOKEN_MISSING",
    `no ${NAMES[kind]}: ${where.join(", and ")}. Set ${VARIABLES[kind]}, or STRANGLER_HOME to the folder of a stack that ran \`npm run stack -- up\`.`,
  );
}
