import type { Request, Response } from "express";
import { DRY_RUN_HEADER } from "./logger";

class DryRunRollback extends Error {
  constructor(readonly result: unknown) {
    super("dry run: rolled back");
  }
}

/** Whether the caller asked for a dry run (`x-strangler-dry-run: 1`); the answer says so in the same header. */
export function isDryRunRequest(req: Request, res: Response): boolean {
  const dryRun = req.get(DRY_RUN_HEADER) === "1";
  if (dryRun) res.setHeader(DRY_RUN_HEADER, "1");
  return dryRun;
}

/** An interactive transaction runner, e.g. Prisma's `$transaction(fn)`: commits when `fn` resolves, rolls back when it throws. */
export type TransactionRunner<Tx> = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/**
 * Runs a write in one transaction. In a dry run the transaction is rolled back after the write
 * produced its result, so the caller gets exactly the answer the write would have given and nothing
 * is kept (HTTP parity and shadow mode send writes this way).
 */
export async function runDryRunnableWrite<Tx, T>(
  transaction: TransactionRunner<Tx>,
  dryRun: boolean,
  write: (tx: Tx) => Promise<T>,
): Promise<T> {
  if (!dryRun) return transaction(write);
  try {
    await transaction(async (tx) => {
      throw new DryRunRollback(await write(tx));
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T;
    throw error;
  }
  throw new Error("unreachable: a dry-run transaction always rolls back");
}
