import net from "node:net";
import { Kafka, logLevel } from "kafkajs";

/** ApiVersions (api key 18) v0: the request every Kafka client sends first; a broker answers it once it serves requests. */
function apiVersionsRequest(correlationId: number): Buffer {
  const clientId = Buffer.from("strangler-stack");
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** True when a Kafka broker at host:port answers an ApiVersions request without error. */
export function kafkaAnswers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const correlationId = 7;
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (answer: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("close", () => finish(false));
    socket.once("connect", () => socket.write(apiVersionsRequest(correlationId)));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // size (4) + correlation id (4) + error code (2) is all we read.
      if (received.length < 10) return;
      finish(received.readInt32BE(4) === correlationId && received.readInt16BE(8) === 0);
    });
  });
}

/**
 * The cluster id of the broker at host:port (Metadata, through kafkajs), or null when it does not
 * answer yet. Tells our broker from another one that holds the port (another test's, or one that
 * took a port we picked before our JVM bound it).
 */
export async function kafkaClusterIdAt(host: string, port: number, timeoutMs: number): Promise<string | null> {
  const admin = new Kafka({
    clientId: "strangler-stack",
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).clusterId || null;
  } catch {
    return null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
