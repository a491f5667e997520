// Run as a child process by unleash-flag-source.e2e.test.ts (a crash must end a real process,
// not a jest worker): starts an Unleash stand-in that answers every fetch late with a status
// unleash-client reports as an 'error' event, opens a flag source on it, closes the source while
// its first fetch is in flight, and prints "survived" if the process is still alive 2.5 s later.
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { createUnleashFlagSource } from "../../src/flags/unleash-flag-source";

async function run(): Promise<void> {
  const slow = http.createServer((req, res) => {
    req.resume();
    setTimeout(() => res.writeHead(418).end(), 300);
  });
  await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
  const flags = createUnleashFlagSource(
    {
      url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
      appName: "strangler-proxy-close-test",
      environment: "development",
      project: "default",
      refreshIntervalMs: 100,
      clientToken: "token",
      backupDir: path.join(os.tmpdir(), "strangler-close-test"),
    },
    { logger: pino({ level: "silent" }) },
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
  await flags.close();
  // unleash-client retries the broken fetch about 1 s later; its late error arrives by then.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  process.stdout.write("survived\n");
  process.exit(0);
}

void run();
