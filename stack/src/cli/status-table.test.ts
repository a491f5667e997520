import { formatStatusTable } from "./status-table";

describe("formatStatusTable", () => {
  const cdc = { url: "http://127.0.0.1:4300", pid: 42, healthy: true, log: "/s/logs/cdc.log", state: "running" as const };

  it("shows one row per component, then each warning on its own line", () => {
    const text = formatStatusTable({ components: { cdc }, warnings: ["replication slot strangler_x keeps 1.0 MiB of WAL …: SELECT pg_drop_replication_slot('strangler_x');"] });
    expect(text.split("\n")).toEqual([
      expect.stringMatching(/^component\s+state\s+healthy\s+pid\s+url\s+log$/),
      expect.stringMatching(/^cdc\s+running\s+yes\s+42\s+http:\/\/127\.0\.0\.1:4300\s+\/s\/logs\/cdc\.log$/),
      "",
      "warning: replication slot strangler_x keeps 1.0 MiB of WAL …: SELECT pg_drop_replication_slot('strangler_x');",
    ]);
  });

  it("adds nothing when there is no warning", () => {
    expect(formatStatusTable({ components: { cdc }, warnings: [] }).split("\n")).toHaveLength(2);
  });
});
