import { Router } from "express";
import {
  HttpError,
  conflict,
  escapeLike,
  isForeignKeyViolation,
  isDryRunRequest,
  isRecordNotFound,
  notFound,
  parseInput,
  rethrowAsHttp,
  runDryRunnableWrite,
  type TransactionRunner,
} from "@strangler/service-kit";
import {
  USER_ERROR_CODES,
  createUserBody,
  listUsersQuery,
  updateUserBody,
  userIdParams,
  type Page,
  type UserJson,
} from "@strangler/users-contract";
import type { Prisma, PrismaClient } from "../db/prisma-client";
import { toUserJson } from "./user-json";

const emailTaken = (email: string) => (fields: string[]) =>
  fields.includes("email")
    ? conflict(USER_ERROR_CODES.emailTaken, `a user with email ${email} already exists`, { field: "email" })
    : conflict("CONFLICT", `the user clashes with an existing one on ${fields.join(", ")}`, { fields });

/** /api/users: the part of the monolith the users service takes over. */
export function createUsersRouter(prisma: PrismaClient): Router {
  const router = Router();
  // Writes honour x-strangler-dry-run: 1 (rolled back after answering), so HTTP parity can send them (legacy.dryRun).
  const transaction: TransactionRunner<Prisma.TransactionClient> = (work) => prisma.$transaction(work);

  router.post("/", async (req, res) => {
    const input = parseInput(createUserBody, req.body, "body");
    const user = await runDryRunnableWrite(transaction, isDryRunRequest(req, res), (tx) =>
      tx.user.create({ data: { email: input.email, name: input.name, phone: input.phone ?? null } }),
    ).catch((error: unknown) => rethrowAsHttp(error, emailTaken(input.email)));
    res.status(201).json(toUserJson(user));
  });

  router.get("/", async (req, res) => {
    const query = parseInput(listUsersQuery, req.query, "query");
    const where: Prisma.UserWhereInput = {
      ...(query.email ? { email: { contains: escapeLike(query.email), mode: "insensitive" } } : {}),
      ...(query.name ? { name: { contains: escapeLike(query.name), mode: "insensitive" } } : {}),
    };
    const [rows, total] = await Promise.all([
      prisma.user.findMany({
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: query.limit,
        skip: query.offset,
      }),
      prisma.user.count({ where }),
    ]);
    const page: Page<UserJson> = {
      data: rows.map(toUserJson),
      page: { limit: query.limit, offset: query.offset, total },
    };
    res.json(page);
  });

  router.get("/:id", async (req, res) => {
    const { id } = parseInput(userIdParams, req.params, "params");
    const user = await prisma.user.findUnique({ where: { id } });
    if (!user) throw notFound("user", id);
    res.json(toUserJson(user));
  });

  router.patch("/:id", async (req, res) => {
    const { id } = parseInput(userIdParams, req.params, "params");
    const input = parseInput(updateUserBody, req.body, "body");
    const user = await runDryRunnableWrite(transaction, isDryRunRequest(req, res), (tx) =>
      tx.user.update({ where: { id }, data: input }),
    ).catch((error: unknown) => {
      if (isRecordNotFound(error)) throw notFound("user", id);
      return rethrowAsHttp(error, emailTaken(input.email ?? ""));
    });
    res.json(toUserJson(user));
  });

  router.delete("/:id", async (req, res) => {
    const { id } = parseInput(userIdParams, req.params, "params");
    await runDryRunnableWrite(transaction, isDryRunRequest(req, res), (tx) => tx.user.delete({ where: { id } })).catch(
      (error: unknown) => {
        if (isRecordNotFound(error)) throw notFound("user", id);
        if (isForeignKeyViolation(error)) {
          throw new HttpError(409, "USER_HAS_ORDERS", `user ${id} has orders and cannot be deleted`, { id });
        }
        throw error;
      },
    );
    res.status(204).end();
  });

  return router;
}
