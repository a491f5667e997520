import pino from "pino";
import { createRateLimitedLog } from "./rate-limited-log";

describe("rate-limited log", () => {
  it("logs a repeating event once per interval per key, with the count it suppressed", () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    let now = 0;
    const log = createRateLimitedLog(logger, 1000, () => now);
    log("error", "down", {}, "Unleash error");
    log("error", "down", {}, "Unleash error");
    log("warn", "other", {}, "another event");
    now = 500;
    log("error", "down", {}, "Unleash error");
    now = 1000;
    log("error", "down", {}, "Unleash error");
    expect(lines.map((line) => [line.msg, line.suppressed])).toEqual([
      ["Unleash error", undefined],
      ["another event", undefined],
      ["Unleash error", 2],
    ]);
  });
});
