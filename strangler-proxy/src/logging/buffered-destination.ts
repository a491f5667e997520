import fs from "node:fs";

export interface BufferedDestinationOptions {
  fd: number;
  /** Write once this many characters are waiting… */
  flushChars: number;
  /** …or when the oldest waiting line is this old. */
  flushIntervalMs: number;
  /** Lines arriving while more than this many characters wait are dropped (and counted). */
  maxPendingChars: number;
}

/**
 * A pino destination that collects lines in memory and writes them in large asynchronous writes,
 * one at a time, in order. sonic-boom's asynchronous mode measures its whole pending buffer on
 * every line (Buffer.byteLength), which made a request log line cost more than the proxying.
 * flush(cb) writes everything; lines still waiting when the process exits are written synchronously.
 */
export class BufferedDestination {
  private lines: string[] = [];
  private pending = 0;
  private writing = false;
  private dropped = 0;
  private waiters: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: BufferedDestinationOptions) {
    this.timer = setInterval(() => this.drain(), options.flushIntervalMs);
    this.timer.unref();
    process.once("exit", () => this.flushSync());
  }

  write(line: string): boolean {
    if (this.pending > this.options.maxPendingChars) {
      this.dropped += 1;
      return false;
    }
    this.lines.push(line);
    this.pending += line.length;
    if (this.pending >= this.options.flushChars) this.drain();
    return true;
  }

  /** Writes everything waiting now; `callback` runs once it is written. */
  flush(callback?: (error?: Error) => void): void {
    if (callback) this.waiters.push(() => callback());
    this.drain();
  }

  /** Stops the timer and writes what is left synchronously (at exit). */
  flushSync(): void {
    clearInterval(this.timer);
    const text = this.take();
    if (text) {
      try {
        fs.writeSync(this.options.fd, text);
      } catch {
        // stdout is gone: nothing left to tell.
      }
    }
  }

  private take(): string {
    if (this.dropped > 0) {
      this.lines.push(
        `${JSON.stringify({ level: 40, time: Date.now(), msg: "log lines dropped: stdout too slow", dropped: this.dropped })}\n`,
      );
      this.dropped = 0;
    }
    const text = this.lines.join("");
    this.lines = [];
    this.pending = 0;
    return text;
  }

  private drain(): void {
    if (this.writing) return;
    if (this.pending === 0 && this.dropped === 0) {
      const waiters = this.waiters.splice(0);
      for (const waiter of waiters) waiter();
      return;
    }
    this.writing = true;
    const text = this.take();
    fs.write(this.options.fd, text, (error) => {
      this.writing = false;
      if (error && (error as NodeJS.ErrnoException).code === "EAGAIN") this.lines.unshift(text);
      this.drain();
    });
  }
}
