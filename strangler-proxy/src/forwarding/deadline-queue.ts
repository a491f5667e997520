/** Something with a deadline in a DeadlineQueue: the queue links it in place (no allocation per entry). */
export interface Deadline {
  deadlineAt: number;
  prevDeadline: Deadline | null;
  nextDeadline: Deadline | null;
  /** Called once when the deadline passes while it is still queued. */
  expire(): void;
}

/**
 * Deadlines that all lie the same time after their start, so the queue is in deadline order by
 * construction: add appends, remove unlinks, both O(1) and without a timer per entry (setTimeout
 * allocates a Timeout and an async id on every request). One timer is armed, for the oldest entry.
 */
export class DeadlineQueue {
  private head: Deadline | null = null;
  private tail: Deadline | null = null;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    readonly ms: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  add(entry: Deadline): void {
    entry.deadlineAt = this.now() + this.ms;
    entry.prevDeadline = this.tail;
    entry.nextDeadline = null;
    if (this.tail) this.tail.nextDeadline = entry;
    else this.head = entry;
    this.tail = entry;
    if (this.timer === undefined) this.arm(entry.deadlineAt);
  }

  /** Takes an entry out (harmless when it is not queued). */
  remove(entry: Deadline): void {
    if (entry.prevDeadline === null && this.head !== entry) return;
    if (entry.prevDeadline) entry.prevDeadline.nextDeadline = entry.nextDeadline;
    else this.head = entry.nextDeadline;
    if (entry.nextDeadline) entry.nextDeadline.prevDeadline = entry.prevDeadline;
    else this.tail = entry.prevDeadline;
    entry.prevDeadline = entry.nextDeadline = null;
  }

  private arm(at: number): void {
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.now()));
    // An idle proxy with nothing in flight has nothing queued; one in flight keeps its socket anyway.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    while (this.head && this.head.deadlineAt <= now) {
      const entry = this.head;
      this.remove(entry);
      entry.expire();
    }
    if (this.head) this.arm(this.head.deadlineAt);
  }
}
