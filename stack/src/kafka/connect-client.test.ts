import http from "node:http";
import type { AddressInfo } from "node:net";
import { connectKafkaClusterId, connectReady, deleteConnector, putConnector, retireConnector } from "./connect-client";

type Handler = (method: string, url: string, body: string) => { status: number; body?: unknown };

/** A fake Connect REST API on loopback; `calls` records "METHOD url". */
async function fakeConnect(handler: Handler): Promise<{ url: string; calls: string[]; close: () => Promise<void> }> {
  const calls: string[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      calls.push(`${request.method} ${request.url}`);
      const answer = handler(request.method ?? "", request.url ?? "", body);
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const running = { status: 200, body: { connector: { state: "RUNNING" }, tasks: [{ id: 0, state: "RUNNING" }] } };

describe("connect client", () => {
  it("retries the PUT while the worker rebalances (409), then waits until connector and task run", async () => {
    let puts = 0;
    let polls = 0;
    const connect = await fakeConnect((method, url, body) => {
      if (method === "PUT") {
        puts += 1;
        expect(JSON.parse(body)).toEqual({ "connector.class": "X", name: "c1" });
        return puts < 2 ? { status: 409, body: { message: "rebalance in progress" } } : { status: 201, body: {} };
      }
      if (url === "/connectors/c1/status") {
        polls += 1;
        return polls < 2 ? { status: 200, body: { connector: { state: "RUNNING" }, tasks: [] } } : running;
      }
      return { status: 404 };
    });
    try {
      const state = await putConnector(connect.url, { name: "c1", config: { "connector.class": "X" } }, 10_000);
      expect(state).toMatchObject({ connector: "RUNNING", tasks: [{ id: 0, state: "RUNNING" }] });
      expect(connect.calls.filter((call) => call.startsWith("PUT"))).toEqual([
        "PUT /connectors/c1/config",
        "PUT /connectors/c1/config",
      ]);
    } finally {
      await connect.close();
    }
  });

  it("restarts a FAILED task once, then fails with Connect's trace; a rejected config fails at once", async () => {
    const connect = await fakeConnect((method, url) => {
      if (method === "PUT" && url === "/connectors/bad/config")
        return { status: 400, body: { message: "Connector configuration is invalid" } };
      if (method === "PUT") return { status: 200, body: {} };
      if (method === "POST") return { status: 202, body: {} };
      return {
        status: 200,
        body: {
          connector: { state: "RUNNING" },
          tasks: [
            {
              id: 0,
              state: "FAILED",
              trace: 'org.postgresql.util.PSQLException: FATAL: database "nope" does not exist',
            },
          ],
        },
      };
    });
    try {
      await expect(putConnector(connect.url, { name: "c2", config: {} }, 10_000)).rejects.toMatchObject({
        code: "STACK_CONNECT_FAILED",
        message: expect.stringContaining('database "nope" does not exist'),
      });
      // One restart of the failed task (a PUT with an unchanged config would not restart it), then the report.
      expect(connect.calls.filter((call) => call.startsWith("POST"))).toEqual([
        "POST /connectors/c2/restart?includeTasks=true&onlyFailed=true",
      ]);
      await expect(putConnector(connect.url, { name: "bad", config: {} }, 10_000)).rejects.toThrow(
        /400: .*configuration is invalid/,
      );
    } finally {
      await connect.close();
    }
  });

  it("is ready only when the Debezium connector is listed; a delete of an unknown connector is harmless", async () => {
    let plugins: unknown[] = [];
    const connect = await fakeConnect((method, url) => {
      if (url === "/") return { status: 200, body: { version: "4.3.1" } };
      if (url === "/connector-plugins") return { status: 200, body: plugins };
      return { status: 404, body: { message: "not found" } };
    });
    try {
      expect(await connectReady(connect.url)).toBe(false);
      plugins = [{ class: "io.debezium.connector.postgresql.PostgresConnector", type: "source" }];
      expect(await connectReady(connect.url)).toBe(true);
      await expect(deleteConnector(connect.url, "gone")).resolves.toBeUndefined();
    } finally {
      await connect.close();
    }
    expect(await connectReady(connect.url)).toBe(false);
  });

  it("retires a connector: stop, wait until STOPPED, reset its offsets (retried while not yet stopped), delete; nothing for a missing one", async () => {
    let stopped = false;
    let statusPolls = 0;
    let offsetTries = 0;
    const connect = await fakeConnect((method, url) => {
      if (url === "/connectors/gone/stop") return { status: 404, body: { message: "not found" } };
      if (method === "PUT" && url === "/connectors/r1/stop") {
        stopped = true;
        return { status: 202 };
      }
      if (url === "/connectors/r1/status") {
        statusPolls += 1;
        return stopped && statusPolls > 1
          ? { status: 200, body: { connector: { state: "STOPPED" }, tasks: [] } }
          : running;
      }
      if (method === "DELETE" && url === "/connectors/r1/offsets") {
        offsetTries += 1;
        return offsetTries < 2
          ? { status: 400, body: { message: "connector must be stopped" } }
          : { status: 200, body: { message: "reset" } };
      }
      if (method === "DELETE" && url === "/connectors/r1") return { status: 204 };
      return { status: 404 };
    });
    try {
      await retireConnector(connect.url, "r1", 10_000);
      expect(connect.calls.filter((call) => !call.endsWith("/status"))).toEqual([
        "PUT /connectors/r1/stop",
        "DELETE /connectors/r1/offsets",
        "DELETE /connectors/r1/offsets",
        "DELETE /connectors/r1",
      ]);
      expect(statusPolls).toBeGreaterThan(1);
      await retireConnector(connect.url, "gone", 10_000);
      expect(connect.calls.at(-1)).toBe("PUT /connectors/gone/stop");
    } finally {
      await connect.close();
    }
  });

  it("reads the Kafka cluster id a worker reports on GET /", async () => {
    const connect = await fakeConnect((_method, url) =>
      url === "/" ? { status: 200, body: { version: "4.3.1", commit: "x", kafka_cluster_id: "abc" } } : { status: 404 },
    );
    try {
      expect(await connectKafkaClusterId(connect.url)).toBe("abc");
      expect(await connectKafkaClusterId("http://127.0.0.1:1")).toBeNull();
    } finally {
      await connect.close();
    }
  });
});
