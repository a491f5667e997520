import { runnerCommand, untraversableAncestor } from "./postgres-os-user";

const postgres = { kind: "os-user" as const, user: "postgres", uid: 101, gid: 104 };

function fakeStat(modes: Record<string, { uid?: number; gid?: number; mode: number }>) {
  return (dir: string) => {
    const entry = modes[dir];
    if (!entry) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    return { uid: entry.uid ?? 0, gid: entry.gid ?? 0, mode: entry.mode };
  };
}

describe("untraversableAncestor", () => {
  it("finds a root-only folder on the way (a repository under /root)", () => {
    const stat = fakeStat({ "/": { mode: 0o755 }, "/root": { mode: 0o700 }, "/root/repo": { mode: 0o755 } });
    expect(untraversableAncestor("/root/repo/.strangler", postgres, stat)).toBe("/root");
  });

  it("accepts folders the user owns or may traverse as other", () => {
    const stat = fakeStat({ "/": { mode: 0o755 }, "/srv": { mode: 0o711 }, "/srv/pg": { uid: 101, mode: 0o700 } });
    expect(untraversableAncestor("/srv/pg", postgres, stat)).toBeNull();
  });

  it("uses the group bits for the user's group", () => {
    const stat = fakeStat({
      "/": { mode: 0o755 },
      "/shared": { gid: 104, mode: 0o750 },
      "/closed": { gid: 1, mode: 0o750 },
    });
    expect(untraversableAncestor("/shared", postgres, stat)).toBeNull();
    expect(untraversableAncestor("/closed", postgres, stat)).toBe("/closed");
  });
});

describe("runnerCommand", () => {
  it("runs PostgreSQL programs through runuser as root", () => {
    expect(runnerCommand(postgres, "/pg/bin/pg_ctl", ["status"])).toEqual([
      "runuser",
      ["-u", "postgres", "--", "/pg/bin/pg_ctl", "status"],
    ]);
  });

  it("runs them directly as an ordinary user", () => {
    expect(runnerCommand({ kind: "self" }, "/pg/bin/initdb", ["-D", "x"])).toEqual(["/pg/bin/initdb", ["-D", "x"]]);
  });
});
