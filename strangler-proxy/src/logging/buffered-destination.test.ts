import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BufferedDestination } from "./buffered-destination";

describe("buffered log destination", () => {
  let dir: string;
  let fd: number;
  const file = () => path.join(dir, "log.txt");
  const read = () => fs.readFileSync(file(), "utf8");

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-log-"));
    fd = fs.openSync(file(), "a");
  });
  afterEach(() => {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes lines in order once enough have gathered, and the rest on flush", async () => {
    const destination = new BufferedDestination({
      fd,
      flushChars: 20,
      flushIntervalMs: 60_000,
      maxPendingChars: 1_000,
    });
    destination.write("line-1\n");
    expect(read()).toBe("");
    for (let i = 2; i <= 5; i++) destination.write(`line-${i}\n`);
    await new Promise<void>((resolve) => destination.flush(() => resolve()));
    expect(read()).toBe("line-1\nline-2\nline-3\nline-4\nline-5\n");
    destination.flushSync();
  });

  it("writes waiting lines after the flush interval", async () => {
    const destination = new BufferedDestination({
      fd,
      flushChars: 1_000,
      flushIntervalMs: 20,
      maxPendingChars: 10_000,
    });
    destination.write("late\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(read()).toBe("late\n");
    destination.flushSync();
  });

  it("drops lines past the pending limit and says how many", () => {
    const destination = new BufferedDestination({
      fd,
      flushChars: 1_000,
      flushIntervalMs: 60_000,
      maxPendingChars: 10,
    });
    expect(destination.write("0123456789ab\n")).toBe(true);
    expect(destination.write("dropped\n")).toBe(false);
    destination.flushSync();
    const lines = read().trim().split("\n");
    expect(lines[0]).toBe("0123456789ab");
    expect(JSON.parse(lines[1] as string)).toMatchObject({ msg: "log lines dropped: stdout too slow", dropped: 1 });
  });
});
