import { formatStatusTable } from "./status-table";

describe("formatStatusTable", () => {
  const cdc = {
    url: "http://127.0.0.1:4300",
    pid: 42,
    healthy: true,
    log: "/s/logs/cdc.log",
    state: "running" as const,
  };

  it("shows one row per component, then each warning on its own line", () => {
    const text = formatStatusTable({
      components: { cdc },
      databases: [],
      warnings: [
        "replication slot strangler_x keeps 1.0 MiB of WAL …: SELECT pg_drop_replication_slot('strangler_x');",
      ],
    });
    expect(text.split("\n")).toEqual([
      expect.stringMatching(/^component\s+state\s+healthy\s+pid\s+url\s+log$/),
      expect.stringMatching(/^cdc\s+running\s+yes\s+42\s+http:\/\/127\.0\.0\.1:4300\s+\/s\/logs\/cdc\.log$/),
      "",
      "warning: replication slot strangler_x keeps 1.0 MiB of WAL …: SELECT pg_drop_replication_slot('strangler_x');",
    ]);
  });

  it("adds nothing when there is no warning", () => {
    expect(formatStatusTable({ components: { cdc }, databases: [], warnings: [] }).split("\n")).toHaveLength(2);
  });

  it("lists the config's databases after the components: created by the stack or external", () => {
    const text = formatStatusTable({
      components: { cdc },
      databases: [
        {
          app: "shop",
          name: "shop",
          url: "postgresql://postgres@127.0.0.1:54329/shop",
          kind: "created",
          exists: true,
          migrated: true,
        },
        {
          app: "orders",
          name: "orders",
          url: "postgresql://u:***@db.example/orders",
          kind: "external",
          exists: null,
          migrated: false,
        },
      ],
      warnings: [],
    });
    expect(text.split("\n").slice(3)).toEqual([
      expect.stringMatching(/^database\s+app\s+kind\s+exists\s+url$/),
      expect.stringMatching(
        /^shop\s+shop\s+created \+ migrated by the stack\s+yes\s+postgresql:\/\/postgres@127\.0\.0\.1:54329\/shop$/,
      ),
      expect.stringMatching(/^orders\s+orders\s+external\s+-\s+postgresql:\/\/u:\*\*\*@db\.example\/orders$/),
    ]);
  });
});
