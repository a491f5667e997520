import express, { type ErrorRequestHandler, type Express } from "express";
import { requireToken } from "./auth/token-auth";
import type { PrismaClient } from "./db/prisma-client";
import { createPostsRouter } from "./posts/posts-router";
import { createUsersRouter } from "./users/users-router";

export interface BlogAppDeps {
  prisma: PrismaClient;
  /** HS256 secret of the `Authorization: Token <jwt>` tokens. */
  tokenSecret: string;
}

/** The blog's HTTP app. The same code runs as the "legacy" app and as the "extracted" one, each on its own database. */
export function createBlogApp(deps: BlogAppDeps): Express {
  const app = express();
  const auth = requireToken(deps.tokenSecret);
  app.disable("x-powered-by");
  app.use(express.json({ limit: "100kb" }));
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  app.use("/api/users", createUsersRouter(deps.prisma, auth));
  app.use("/api/posts", createPostsRouter(deps.prisma, auth));
  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    // express.json() marks a malformed body with status 400; anything else is ours.
    const status = error.status === 400 ? 400 : 500;
    res.status(status).json({ error: status === 400 ? "malformed JSON body" : "internal error" });
  };
  app.use(onError);
  return app;
}
