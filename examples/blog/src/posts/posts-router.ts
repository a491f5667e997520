import { Router } from "express";
import type { PrismaClient } from "../db/prisma-client";
import { currentUserId, type requireToken } from "../auth/token-auth";
import { idParam } from "../id-param";

/** Posts returned per page of GET /api/posts. */
export const POSTS_PAGE_SIZE = 50;

const postFields = {
  id: true,
  title: true,
  content: true,
  published: true,
  createdAt: true,
  author: { select: { id: true, name: true } },
  tags: { select: { name: true }, orderBy: { name: "asc" } },
} as const;

type PostRow = { tags: Array<{ name: string }> } & Record<string, unknown>;
const view = (post: PostRow) => ({ ...post, tags: post.tags.map((tag) => tag.name) });

/** /api/posts: published posts (optionally by tag), one post, and writing a post with its tags. */
export function createPostsRouter(prisma: PrismaClient, auth: ReturnType<typeof requireToken>): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const tag = typeof req.query.tag === "string" ? req.query.tag : undefined;
    const posts = await prisma.post.findMany({
      where: { published: true, ...(tag ? { tags: { some: { name: tag } } } : {}) },
      orderBy: { id: "asc" },
      take: POSTS_PAGE_SIZE,
      select: postFields,
    });
    res.json({ posts: posts.map(view) });
  });
  router.get("/:id", async (req, res) => {
    const id = idParam(req.params.id);
    const post = id === undefined ? null : await prisma.post.findUnique({ where: { id }, select: postFields });
    if (!post) res.status(404).json({ error: "not found" });
    else res.json(view(post));
  });
  router.post("/", auth, async (req, res) => {
    const { title, content, published, tags } = (req.body ?? {}) as Record<string, unknown>;
    const tagNames = Array.isArray(tags) ? tags : [];
    if (
      typeof title !== "string" ||
      title.trim() === "" ||
      !tagNames.every((name) => typeof name === "string" && name !== "")
    ) {
      res.status(400).json({ error: "title (text) is required; tags is a list of names" });
      return;
    }
    const post = await prisma.post.create({
      data: {
        title,
        content: typeof content === "string" ? content : null,
        published: published === true,
        authorId: currentUserId(res),
        tags: { connectOrCreate: (tagNames as string[]).map((name) => ({ where: { name }, create: { name } })) },
      },
      select: postFields,
    });
    res.status(201).json(view(post));
  });
  return router;
}
