import { isDryRunRequest, runDryRunnableWrite } from "@strangler/service-kit";
import type { Request, Response } from "express";
import type { Prisma, PrismaClient } from "../db/prisma-client";

/** Whether the caller asked for a dry run; the answer says so in the same header. */
export function isDryRun(req: Request, res: Response): boolean {
  return isDryRunRequest(req, res);
}

/**
 * Runs a write in one Prisma transaction. In a dry run the transaction is rolled back after the
 * write produced its result (service-kit's runDryRunnableWrite, shared with the monolith).
 */
export function runWrite<T>(
  prisma: PrismaClient,
  dryRun: boolean,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return runDryRunnableWrite((work) => prisma.$transaction(work), dryRun, write);
}
