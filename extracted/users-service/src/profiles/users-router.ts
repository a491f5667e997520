import { randomUUID } from "node:crypto";
import { Router } from "express";
import { conflict, isRecordNotFound, notFound, parseInput, rethrowAsHttp } from "@strangler/service-kit";
import {
  USER_ERROR_CODES,
  createUserBody,
  listUsersQuery,
  updateUserBody,
  userIdParams,
  type Page,
  type UpdateUserInput,
  type UserJson,
} from "@strangler/users-contract";
import type { Prisma, PrismaClient, UserProfile } from "../db/prisma-client";
import { isDryRun, runWrite } from "./dry-run";
import { splitName, toUserJson } from "./profile-mapping";
import { searchProfiles } from "./profile-search";

const emailTaken = (email: string) => (fields: string[]) =>
  fields.includes("email_address") || fields.includes("emailAddress")
    ? conflict(USER_ERROR_CODES.emailTaken, `a user with email ${email} already exists`, { field: "email" })
    : conflict("CONFLICT", `the user clashes with an existing one on ${fields.join(", ")}`, { fields });

function profileChanges(input: UpdateUserInput): Prisma.UserProfileUpdateInput {
  return {
    ...(input.email !== undefined ? { emailAddress: input.email } : {}),
    ...(input.name !== undefined ? splitName(input.name) : {}),
    ...(input.phone !== undefined ? { phoneNumber: input.phone } : {}),
  };
}

/** /api/users served from user_profiles, with the monolith's contract; `present` maps a profile to its JSON. */
export function createUsersRouter(
  prisma: PrismaClient,
  present: (profile: UserProfile) => UserJson = toUserJson,
): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    const input = parseInput(createUserBody, req.body, "body");
    const profile = await runWrite(prisma, isDryRun(req, res), (tx) =>
      tx.userProfile.create({
        data: {
          userId: randomUUID(),
          emailAddress: input.email,
          ...splitName(input.name),
          phoneNumber: input.phone ?? null,
        },
      }),
    ).catch((error: unknown) => rethrowAsHttp(error, emailTaken(input.email)));
    res.status(201).json(present(profile));
  });

  router.get("/", async (req, res) => {
    const query = parseInput(listUsersQuery, req.query, "query");
    const { rows, total } = await searchProfiles(prisma, query);
    const page: Page<UserJson> = {
      data: rows.map(present),
      page: { limit: query.limit, offset: query.offset, total },
    };
    res.json(page);
  });

  router.get("/:id", async (req, res) => {
    const { id } = parseInput(userIdParams, req.params, "params");
    const profile = await prisma.userProfile.findUnique({ where: { userId: id } });
    if (!profile) throw notFound("user", id);
    res.json(present(profile));
  });

  router.patch("/:id", async (req, res) => {
    const { id } = parseInput(userIdParams, req.params, "params");
    const input = parseInput(updateUserBody, req.body, "body");
    const profile = await runWrite(prisma, isDryRun(req, res), (tx) =>
      tx.userProfile.update({
        where: { userId: id },
        data: { ...profileChanges(input), updatedAt: new Date(), version: { increment: 1 } },
      }),
    ).catch((error: unknown) => {
      if (isRecordNotFound(error)) throw notFound("user", id);
      return rethrowAsHttp(error, emailTaken(input.email ?? ""));
    });
    res.json(present(profile));
  });

  router.delete("/:id", async (req, res) => {
    const { id } = parseInput(userIdParams, req.params, "params");
    await runWrite(prisma, isDryRun(req, res), (tx) => tx.userProfile.delete({ where: { userId: id } })).catch(
      (error: unknown) => {
        if (isRecordNotFound(error)) throw notFound("user", id);
        throw error;
      },
    );
    res.status(204).end();
  });

  return router;
}
