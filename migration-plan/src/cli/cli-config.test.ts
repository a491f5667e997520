import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EXAMPLE_CONFIG_PATH } from "../defaults";
import { configPathFor, findWorkspaceRoot, loadCliEnvironment } from "./cli-config";

describe("loadCliEnvironment", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-cli-config-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("interpolates the config with the caller's environment only, and nothing of the stack's", () => {
    const environment = loadCliEnvironment(
      { STRANGLER_UNLEASH_URL: "https://unleash.example.com", EMPTY: "" },
      dir,
      dir,
    );
    expect(environment.interpolation).toEqual({ STRANGLER_UNLEASH_URL: "https://unleash.example.com" });
  });

  it("takes --config relative to the working directory, else STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's", () => {
    expect(configPathFor(loadCliEnvironment({ STRANGLER_CONFIG: "/etc/strangler.yaml" }, dir, dir), undefined)).toBe(
      "/etc/strangler.yaml",
    );
    expect(configPathFor(loadCliEnvironment({}, dir, dir), "mine.yaml")).toBe(path.join(dir, "mine.yaml"));
    expect(configPathFor(loadCliEnvironment({}, dir, dir), undefined)).toBe(EXAMPLE_CONFIG_PATH);
    fs.writeFileSync(path.join(dir, "strangler.config.yaml"), "version: 1\n");
    expect(configPathFor(loadCliEnvironment({}, dir, dir), undefined)).toBe(path.join(dir, "strangler.config.yaml"));
  });

  it("looks for the local stack's state in STRANGLER_HOME, else in the checkout the CLI runs from, else nowhere", () => {
    expect(loadCliEnvironment({ STRANGLER_HOME: "state" }, dir, dir).stackHome).toEqual({
      path: path.join(dir, "state"),
      from: "STRANGLER_HOME",
    });
    const checkout = findWorkspaceRoot(__dirname) as string;
    expect(loadCliEnvironment({}, dir, __dirname).stackHome).toEqual({
      path: path.join(checkout, ".strangler"),
      from: "checkout",
    });
    expect(loadCliEnvironment({}, dir, dir).stackHome).toBeNull();
  });

  it("reads the tokens and the CDC URL override from the environment", () => {
    const environment = loadCliEnvironment(
      {
        STRANGLER_UNLEASH_ADMIN_TOKEN: "*:*.x",
        STRANGLER_PROXY_ADMIN_TOKEN: "p",
        STRANGLER_CDC_URL: "http://cdc:4300/",
      },
      dir,
      dir,
    );
    expect(environment).toMatchObject({ unleashAdminToken: "*:*.x", proxyAdminToken: "p", cdcUrl: "http://cdc:4300" });
  });

  it("colours only a terminal, and never with NO_COLOR", () => {
    expect(loadCliEnvironment({}, dir, dir, true).color).toBe(true);
    expect(loadCliEnvironment({}, dir, dir, false).color).toBe(false);
    expect(loadCliEnvironment({ NO_COLOR: "1" }, dir, dir, true).color).toBe(false);
  });
});
