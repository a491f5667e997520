import net from "node:net";
import { kafkaAnswers } from "./kafka-probe";

/** A TCP server that answers every request with `reply(request)`. */
async function fakeBroker(
  reply: (request: Buffer) => Buffer | null,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.on("data", (request) => {
      const answer = reply(request);
      if (answer) socket.write(answer);
      else socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function response(correlationId: number, errorCode: number): Buffer {
  const answer = Buffer.alloc(14);
  answer.writeInt32BE(10, 0);
  answer.writeInt32BE(correlationId, 4);
  answer.writeInt16BE(errorCode, 8);
  return answer;
}

describe("kafkaAnswers", () => {
  it("is true when ApiVersions is answered without error, echoing the correlation id", async () => {
    const broker = await fakeBroker((request) =>
      request.readInt16BE(4) === 18 ? response(request.readInt32BE(8), 0) : null,
    );
    try {
      expect(await kafkaAnswers("127.0.0.1", broker.port, 1_000)).toBe(true);
    } finally {
      await broker.close();
    }
  });

  it("is false for an error code, a closed connection or nothing listening", async () => {
    const failing = await fakeBroker((request) => response(request.readInt32BE(8), 35));
    const closing = await fakeBroker(() => null);
    try {
      expect(await kafkaAnswers("127.0.0.1", failing.port, 1_000)).toBe(false);
      expect(await kafkaAnswers("127.0.0.1", closing.port, 1_000)).toBe(false);
    } finally {
      await failing.close();
      await closing.close();
    }
    expect(await kafkaAnswers("127.0.0.1", closing.port, 1_000)).toBe(false);
  });
});
