import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { StackError } from "../errors/stack-error";
import { loadOrCreateStackSecrets, readStackSecrets, stackSecretsFile } from "./stack-secrets";

describe("stack secrets", () => {
  let home: string;
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-secrets-"))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it("generates the tokens once, in a file only the owner can read", () => {
    const first = loadOrCreateStackSecrets({ home });
    expect(first.unleashAdminToken).toMatch(/^\*:\*\.[0-9a-f]{48}$/);
    expect(first.unleashClientToken).toMatch(/^default:development\.[0-9a-f]{48}$/);
    expect(first.proxyAdminToken).toMatch(/^[0-9a-f]{48}$/);
    expect(fs.statSync(stackSecretsFile(home)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(stackSecretsFile(home))).mode & 0o777).toBe(0o700);
    expect(loadOrCreateStackSecrets({ home })).toEqual(first);
    expect(readStackSecrets({ home })).toEqual(first);
  });

  it("gives another installation other tokens", () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-secrets-"));
    try {
      expect(loadOrCreateStackSecrets({ home: other }).unleashAdminToken).not.toBe(
        loadOrCreateStackSecrets({ home }).unleashAdminToken,
      );
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("tightens a tokens file that others can read", () => {
    loadOrCreateStackSecrets({ home });
    fs.chmodSync(stackSecretsFile(home), 0o644);
    loadOrCreateStackSecrets({ home });
    expect(fs.statSync(stackSecretsFile(home)).mode & 0o777).toBe(0o600);
  });

  it("tells how to get tokens when there are none", () => {
    expect(() => readStackSecrets({ home })).toThrow(expect.objectContaining({ code: "STACK_SECRETS_MISSING" }));
    expect(() => readStackSecrets({ home })).toThrow(/npm run stack -- up/);
  });

  it("names the file and the field of a damaged tokens file", () => {
    loadOrCreateStackSecrets({ home });
    const file = stackSecretsFile(home);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), unleashAdminToken: "oops" }));
    let error: unknown;
    try {
      readStackSecrets({ home });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).message).toContain(file);
    expect((error as StackError).message).toContain("unleashAdminToken: expected *:*.<secret>");
  });
});
