import { Router } from "express";
import type { PrismaClient } from "../db/prisma-client";
import { currentUserId, type requireToken } from "../auth/token-auth";
import { idParam } from "../id-param";

const userFields = { id: true, email: true, name: true, createdAt: true } as const;

/** /api/users: sign-up, a user by id, and the signed-in user. */
export function createUsersRouter(prisma: PrismaClient, auth: ReturnType<typeof requireToken>): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    const { email, name } = (req.body ?? {}) as { email?: unknown; name?: unknown };
    if (typeof email !== "string" || !email.includes("@") || (name !== undefined && typeof name !== "string")) {
      res.status(400).json({ error: "email (text with an @) is required; name is optional text" });
      return;
    }
    const existing = await prisma.user.findUnique({ where: { email } });
    if (existing) {
      res.status(409).json({ error: "email taken" });
      return;
    }
    res.status(201).json(await prisma.user.create({ data: { email, name: name ?? null }, select: userFields }));
  });
  router.get("/me", auth, async (_req, res) => {
    const user = await prisma.user.findUnique({ where: { id: currentUserId(res) }, select: userFields });
    if (!user) res.status(404).json({ error: "not found" });
    else res.json(user);
  });
  router.get("/:id", async (req, res) => {
    const id = idParam(req.params.id);
    const user = id === undefined ? null : await prisma.user.findUnique({ where: { id }, select: userFields });
    if (!user) res.status(404).json({ error: "not found" });
    else res.json(user);
  });
  return router;
}
