import type { IncomingMessage, ServerResponse } from "node:http";

const CLIENT = Symbol("strangler.client");
const SOURCE = Symbol("strangler.source");
type Source = IncomingMessage & { [CLIENT]: ServerResponse };
type Sink = ServerResponse & { [SOURCE]: IncomingMessage };

// Module-level listeners that find their streams on the emitter: no closure per response.
function onData(this: Source, chunk: Buffer): void {
  const client = this[CLIENT];
  if (!client.write(chunk)) {
    // The client reads slower than the upstream sends: wait for it (backpressure, as pipe does).
    this.pause();
    (client as Sink)[SOURCE] = this;
    client.once("drain", onDrain);
  }
}
function onDrain(this: Sink): void {
  this[SOURCE].resume();
}
function onEnd(this: Source): void {
  this[CLIENT].end();
}

/**
 * Streams an upstream response's body to the client, with backpressure: what `source.pipe(client)`
 * does for this case, without pipe's dozen closures and listeners per call (a measurable share of
 * the request path). An upstream that breaks mid-body and a client that goes away are the
 * caller's: it listens for the source's `error` and the client's `close`.
 */
export function relayBody(source: IncomingMessage, client: ServerResponse): void {
  (source as Source)[CLIENT] = client;
  source.on("data", onData);
  source.on("end", onEnd);
}
