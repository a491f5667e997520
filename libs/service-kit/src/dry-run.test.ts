import { runDryRunnableWrite, type TransactionRunner } from "./dry-run";

/** A transaction runner over a copy of `state`: committed only when the work resolves. */
function fakeTransactions(state: { rows: string[] }): TransactionRunner<{ rows: string[] }> {
  return async (work) => {
    const tx = { rows: [...state.rows] };
    const result = await work(tx);
    state.rows = tx.rows;
    return result;
  };
}

describe("runDryRunnableWrite", () => {
  const insert = async (tx: { rows: string[] }) => {
    tx.rows.push("new");
    return { id: tx.rows.length };
  };

  it("commits the write and returns its result without a dry run", async () => {
    const state = { rows: ["a"] };
    await expect(runDryRunnableWrite(fakeTransactions(state), false, insert)).resolves.toEqual({ id: 2 });
    expect(state.rows).toEqual(["a", "new"]);
  });

  it("returns the write's result and keeps nothing in a dry run", async () => {
    const state = { rows: ["a"] };
    await expect(runDryRunnableWrite(fakeTransactions(state), true, insert)).resolves.toEqual({ id: 2 });
    expect(state.rows).toEqual(["a"]);
  });

  it("passes the write's own error on in a dry run", async () => {
    const state = { rows: [] };
    const failing = async () => {
      throw new Error("unique violation");
    };
    await expect(runDryRunnableWrite(fakeTransactions(state), true, failing)).rejects.toThrow("unique violation");
  });
});
