import { DRY_RUN_HEADER } from "@strangler/service-kit";
import type { Request, Response } from "express";
import type { Prisma, PrismaClient } from "../db/prisma-client";

class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super("dry run: rolled back");
  }
}

/** Whether the caller asked for a dry run; the answer says so in the same header. */
export function isDryRun(req: Request, res: Response): boolean {
  const dryRun = req.get(DRY_RUN_HEADER) === "1";
  if (dryRun) res.setHeader(DRY_RUN_HEADER, "1");
  return dryRun;
}

/**
 * Runs a write in one transaction. In a dry run the transaction is rolled back after the write
 * produced its result, so the caller gets exactly the answer the write would have given.
 */
export async function runWrite<T>(
  prisma: PrismaClient,
  dryRun: boolean,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  if (!dryRun) return prisma.$transaction(write);
  try {
    await prisma.$transaction(async (tx) => {
      throw new DryRunRollback(await write(tx));
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T;
    throw error;
  }
  throw new Error("unreachable: a dry-run transaction always rolls back");
}
