import net from "node:net";
import { assertPortFree, isPortFree, portInUseMessage } from "./port-check";

function listen(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

describe("port-in-use detection", () => {
  it("reports a port held by another listener as in use", async () => {
    const server = await listen();
    try {
      await expect(isPortFree("127.0.0.1", portOf(server))).resolves.toBe(false);
    } finally {
      server.close();
    }
  });

  it("reports a port as free once its listener closed", async () => {
    const server = await listen();
    const port = portOf(server);
    await new Promise((resolve) => server.close(resolve));
    await expect(isPortFree("127.0.0.1", port)).resolves.toBe(true);
  });

  it("fails with a message naming the port, the variable and how to find the owner", async () => {
    const server = await listen();
    const port = portOf(server);
    try {
      await expect(
        assertPortFree({ component: "monolith", host: "127.0.0.1", port, variable: "STRANGLER_MONOLITH_PORT" }),
      ).rejects.toMatchObject({
        code: "STACK_PORT_IN_USE",
      });
    } finally {
      server.close();
    }
  });
});

describe("portInUseMessage", () => {
  it("says which variable to change and which commands show the owner", () => {
    const message = portInUseMessage({
      component: "postgres",
      host: "127.0.0.1",
      port: 54329,
      variable: "STRANGLER_PG_PORT",
    });
    expect(message).toContain("port 54329 on 127.0.0.1 is already in use");
    expect(message).toContain("Set STRANGLER_PG_PORT to a free port");
    expect(message).toContain("ss -ltnp 'sport = :54329'");
    expect(message).toContain("lsof -nP -iTCP:54329 -sTCP:LISTEN");
  });
});
