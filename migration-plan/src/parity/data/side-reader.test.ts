import { RowStream, type SideScan, type TextRow } from "./side-reader";

/** A scan that hands out `batches` in order and records when each FETCH was asked for. */
function fakeScan(batches: TextRow[][], failAt?: number): SideScan & { asked: number } {
  const scan = {
    asked: 0,
    next(): Promise<TextRow[]> {
      const index = scan.asked;
      scan.asked += 1;
      if (index === failAt) return Promise.reject(new Error("FETCH failed"));
      return Promise.resolve(batches[index] ?? []);
    },
    close: () => Promise.resolve(),
  };
  return scan;
}

async function drain(stream: RowStream): Promise<string[]> {
  const seen: string[] = [];
  for (let row = await stream.peek(); row !== null; row = stream.current() ?? (await stream.peek())) {
    seen.push(row[0] as string);
    stream.take();
  }
  return seen;
}

test("returns every row of every batch in order and ends after an empty batch", async () => {
  const stream = new RowStream(fakeScan([[["1"], ["2"]], [["3"]]]));
  expect(await drain(stream)).toEqual(["1", "2", "3"]);
  expect(await stream.peek()).toBeNull();
});

test("asks for the next batch as soon as a batch arrives, before its rows are taken", async () => {
  const scan = fakeScan([[["1"], ["2"]], [["3"]]]);
  const stream = new RowStream(scan);
  expect(await stream.peek()).toEqual(["1"]);
  expect(scan.asked).toBe(2);
});

test("a failed read ahead is thrown by the peek that needs it, not as an unhandled rejection", async () => {
  const stream = new RowStream(fakeScan([[["1"]]], 1));
  expect(await stream.peek()).toEqual(["1"]);
  await new Promise((resolve) => setImmediate(resolve));
  stream.take();
  await expect(stream.peek()).rejects.toThrow("FETCH failed");
});
