import { Router } from "express";
import {
  conflict,
  escapeLike,
  isRecordNotFound,
  notFound,
  parseInput,
  rethrowAsHttp,
  type Page,
} from "@strangler/service-kit";
import type { Prisma, PrismaClient } from "../db/prisma-client";
import { toProductJson, type ProductJson } from "./product-json";
import { createProductBody, listProductsQuery, productIdParams, updateProductBody } from "./product-schemas";

/** Error codes of /api/products beside the generic VALIDATION_FAILED / NOT_FOUND ones. */
export const PRODUCT_ERROR_CODES = {
  skuTaken: "SKU_TAKEN",
} as const;

const skuTaken = (sku: string) => (fields: string[]) =>
  fields.includes("sku")
    ? conflict(PRODUCT_ERROR_CODES.skuTaken, `a product with sku ${sku} already exists`, { field: "sku" })
    : conflict("CONFLICT", `the product clashes with an existing one on ${fields.join(", ")}`, { fields });

/** /api/products: the catalogue, with stock that orders draw down. */
export function createProductsRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    const input = parseInput(createProductBody, req.body, "body");
    const product = await prisma.product
      .create({ data: { ...input, description: input.description ?? "" } })
      .catch((error: unknown) => rethrowAsHttp(error, skuTaken(input.sku)));
    res.status(201).json(toProductJson(product));
  });

  router.get("/", async (req, res) => {
    const query = parseInput(listProductsQuery, req.query, "query");
    const where: Prisma.ProductWhereInput = query.q
      ? {
          OR: [
            { name: { contains: escapeLike(query.q), mode: "insensitive" } },
            { sku: { contains: escapeLike(query.q), mode: "insensitive" } },
          ],
        }
      : {};
    const [rows, total] = await Promise.all([
      prisma.product.findMany({
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: query.limit,
        skip: query.offset,
      }),
      prisma.product.count({ where }),
    ]);
    const page: Page<ProductJson> = {
      data: rows.map(toProductJson),
      page: { limit: query.limit, offset: query.offset, total },
    };
    res.json(page);
  });

  router.get("/:id", async (req, res) => {
    const { id } = parseInput(productIdParams, req.params, "params");
    const product = await prisma.product.findUnique({ where: { id } });
    if (!product) throw notFound("product", id);
    res.json(toProductJson(product));
  });

  router.patch("/:id", async (req, res) => {
    const { id } = parseInput(productIdParams, req.params, "params");
    const input = parseInput(updateProductBody, req.body, "body");
    const product = await prisma.product.update({ where: { id }, data: input }).catch((error: unknown) => {
      if (isRecordNotFound(error)) throw notFound("product", id);
      throw error;
    });
    res.json(toProductJson(product));
  });

  return router;
}
