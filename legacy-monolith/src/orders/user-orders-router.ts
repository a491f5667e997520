import { Router } from "express";
import { notFound, parseInput, type Page } from "@strangler/service-kit";
import type { PrismaClient } from "../db/prisma-client";
import { orderInclude, toOrderJson, type OrderJson } from "./order-json";
import { listUserOrdersQuery, userOrdersParams } from "./order-schemas";

/**
 * GET /api/users/:userId/orders, mounted on /api/users: a user's orders, newest first. It reads
 * users and orders together, which is the coupling the users extraction has to keep answering for.
 * The route pattern lives here rather than in the mount path so metrics label it by pattern, not
 * by each user's id.
 */
export function createUserOrdersRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get("/:userId/orders", async (req, res) => {
    const { userId } = parseInput(userOrdersParams, req.params, "params");
    const query = parseInput(listUserOrdersQuery, req.query, "query");
    const user = await prisma.user.findUnique({
      where: { id: userId },
      select: {
        _count: { select: { orders: true } },
        orders: {
          include: orderInclude,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: query.limit,
          skip: query.offset,
        },
      },
    });
    if (!user) throw notFound("user", userId);
    const page: Page<OrderJson> = {
      data: user.orders.map(toOrderJson),
      page: { limit: query.limit, offset: query.offset, total: user._count.orders },
    };
    res.json(page);
  });

  return router;
}
