import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCliEnvironment } from "./cli-config";
import { findToken } from "./cli-tokens";

describe("findToken", () => {
  let dir: string;
  const tokensFile = () => path.join(dir, "home", "secrets", "tokens.json");
  const writeTokens = (content: unknown) => {
    fs.mkdirSync(path.dirname(tokensFile()), { recursive: true });
    fs.writeFileSync(tokensFile(), typeof content === "string" ? content : JSON.stringify(content));
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-cli-tokens-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("takes the environment first, then the local stack's tokens file", () => {
    writeTokens({
      version: 1,
      createdAt: "2026-12-01T00:00:00Z",
      unleashAdminToken: "*:*.file",
      unleashClientToken: "default:development.c",
      proxyAdminToken: "file-proxy",
    });
    const fromFile = loadCliEnvironment({ STRANGLER_HOME: "home" }, dir, dir);
    expect([findToken(fromFile, "unleashAdmin"), findToken(fromFile, "proxyAdmin")]).toEqual([
      "*:*.file",
      "file-proxy",
    ]);
    const fromEnv = loadCliEnvironment(
      { STRANGLER_HOME: "home", STRANGLER_UNLEASH_ADMIN_TOKEN: "*:*.env", STRANGLER_PROXY_ADMIN_TOKEN: "env-proxy" },
      dir,
      dir,
    );
    expect([findToken(fromEnv, "unleashAdmin"), findToken(fromEnv, "proxyAdmin")]).toEqual(["*:*.env", "env-proxy"]);
  });

  it("says every place it looked when no token is found", () => {
    expect(() => findToken(loadCliEnvironment({ STRANGLER_HOME: "home" }, dir, dir), "proxyAdmin")).toThrow(
      expect.objectContaining({
        code: "STRANGLER_TOKEN_MISSING",
        message: `no proxy admin token: STRANGLER_PROXY_ADMIN_TOKEN is not set, and ${tokensFile()} does not exist (STRANGLER_HOME). Set STRANGLER_PROXY_ADMIN_TOKEN, or STRANGLER_HOME to the folder of a stack that ran \`npm run stack -- up\`.`,
      }),
    );
    expect(() => findToken(loadCliEnvironment({}, dir, dir), "unleashAdmin")).toThrow(
      /^no Unleash admin token: STRANGLER_UNLEASH_ADMIN_TOKEN is not set, and no local stack to ask \(STRANGLER_HOME is not set and the CLI does not run from a Strangler checkout\)/,
    );
  });

  it("names a tokens file that is not one", () => {
    writeTokens({ version: 1, unleashAdminToken: "*:*.x" });
    expect(() => findToken(loadCliEnvironment({ STRANGLER_HOME: "home" }, dir, dir), "proxyAdmin")).toThrow(
      expect.objectContaining({
        code: "STRANGLER_TOKENS_FILE_INVALID",
        message: expect.stringContaining(`${tokensFile()} is not a tokens file (proxyAdminToken:`),
      }),
    );
    writeTokens("{");
    expect(() => findToken(loadCliEnvironment({ STRANGLER_HOME: "home" }, dir, dir), "proxyAdmin")).toThrow(
      /is not JSON/,
    );
  });
});
