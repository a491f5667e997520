import { DeadlineQueue, type Deadline } from "./deadline-queue";

function entry(name: string, expired: string[]): Deadline {
  return { deadlineAt: 0, prevDeadline: null, nextDeadline: null, expire: () => expired.push(name) };
}

describe("deadline queue", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("expires each entry once its time has passed, and not the ones taken out", () => {
    let now = 0;
    const queue = new DeadlineQueue(100, () => now);
    const expired: string[] = [];
    const [a, b, c, d] = ["a", "b", "c", "d"].map((name) => entry(name, expired)) as [
      Deadline,
      Deadline,
      Deadline,
      Deadline,
    ];
    queue.add(a);
    now = 30;
    queue.add(b);
    queue.add(c);
    now = 60;
    queue.add(d);
    queue.remove(b);
    now = 100;
    jest.advanceTimersByTime(100);
    expect(expired).toEqual(["a"]);
    now = 130;
    jest.advanceTimersByTime(30);
    expect(expired).toEqual(["a", "c"]);
    queue.remove(d);
    now = 200;
    jest.advanceTimersByTime(100);
    expect(expired).toEqual(["a", "c"]);
  });

  it("takes out the only, first and last entries, and tolerates removing one twice", () => {
    const now = 0;
    const queue = new DeadlineQueue(100, () => now);
    const expired: string[] = [];
    const [a, b, c] = ["a", "b", "c"].map((name) => entry(name, expired)) as [Deadline, Deadline, Deadline];
    queue.add(a);
    queue.remove(a);
    queue.remove(a);
    queue.add(a);
    queue.add(b);
    queue.add(c);
    queue.remove(c);
    queue.remove(a);
    expect([b.prevDeadline, b.nextDeadline]).toEqual([null, null]);
    queue.remove(b);
    queue.remove(b);
    jest.advanceTimersByTime(1_000);
    expect(expired).toEqual([]);
  });
});
