import path from "node:path";
import { configPathFor, loadCliEnvironment } from "./cli-config";

describe("loadCliEnvironment", () => {
  it("finds the local stack's Unleash and proxy when nothing is set", () => {
    const environment = loadCliEnvironment({}, "/work");
    expect(environment.interpolation.STRANGLER_UNLEASH_URL).toBe("http://127.0.0.1:4242");
    expect(environment.interpolation.STRANGLER_PROXY_ADMIN_PORT).toBe("4199");
    expect(environment.defaultConfigPath).toBe(path.join(environment.stack.repoRoot, "migration-plan", "strangler.config.yaml"));
  });

  it("follows a port changed for the stack", () => {
    expect(loadCliEnvironment({ STRANGLER_UNLEASH_PORT: "5242" }).interpolation.STRANGLER_UNLEASH_URL).toBe("http://127.0.0.1:5242");
  });

  it("lets an explicit variable win over what the stack implies", () => {
    const environment = loadCliEnvironment({ STRANGLER_UNLEASH_URL: "https://unleash.example.com", STRANGLER_UNLEASH_ADMIN_TOKEN: "*:*.x" });
    expect(environment.interpolation.STRANGLER_UNLEASH_URL).toBe("https://unleash.example.com");
    expect(environment.unleashAdminToken).toBe("*:*.x");
  });

  it("takes --config relative to the working directory, else STRANGLER_CONFIG", () => {
    const environment = loadCliEnvironment({ STRANGLER_CONFIG: "/etc/strangler.yaml" }, "/work");
    expect(configPathFor(environment, undefined)).toBe("/etc/strangler.yaml");
    expect(configPathFor(environment, "mine.yaml")).toBe("/work/mine.yaml");
  });
});
