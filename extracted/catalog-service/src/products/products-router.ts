import { Router } from "express";
import { escapeLike, notFound, parseInput, type Page } from "@strangler/service-kit";
import type { Prisma, PrismaClient } from "../db/prisma-client";
import { toProductJson, type ProductJson } from "./product-json";
import { listProductsQuery, productIdParams, type ListProductsQuery } from "./product-schemas";

/** The API's `q` search (name or sku, case-insensitive substring) on catalog_items' columns. */
function searchWhere(query: ListProductsQuery): Prisma.CatalogItemWhereInput {
  if (!query.q) return {};
  const text = escapeLike(query.q);
  return {
    OR: [{ title: { contains: text, mode: "insensitive" } }, { itemCode: { contains: text, mode: "insensitive" } }],
  };
}

/** /api/products reads served from catalog_items, with the monolith's contract. Writes stay with the monolith. */
export function createProductsRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get("/", async (req, res) => {
    const query = parseInput(listProductsQuery, req.query, "query");
    const where = searchWhere(query);
    const [rows, total] = await Promise.all([
      prisma.catalogItem.findMany({
        where,
        // The monolith's order: created, then id.
        orderBy: [{ listedAt: "asc" }, { itemId: "asc" }],
        take: query.limit,
        skip: query.offset,
      }),
      prisma.catalogItem.count({ where }),
    ]);
    const page: Page<ProductJson> = {
      data: rows.map(toProductJson),
      page: { limit: query.limit, offset: query.offset, total },
    };
    res.json(page);
  });

  router.get("/:id", async (req, res) => {
    const { id } = parseInput(productIdParams, req.params, "params");
    const item = await prisma.catalogItem.findUnique({ where: { itemId: id } });
    if (!item) throw notFound("product", id);
    res.json(toProductJson(item));
  });

  return router;
}
