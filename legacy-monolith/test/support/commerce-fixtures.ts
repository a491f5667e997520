import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../src/db/prisma-client";

let sequence = 0;
const next = () => `${process.pid}-${(sequence += 1)}`;

/** A user written straight to the database: order tests are not about the users API. */
export async function createUser(prisma: PrismaClient): Promise<string> {
  const id = randomUUID();
  const tag = next();
  await prisma.user.create({ data: { id, email: `buyer-${tag}@example.com`, name: `Buyer ${tag}` } });
  return id;
}

/** Several users in one statement, for concurrency tests. */
export async function createUsers(prisma: PrismaClient, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, () => {
    const tag = next();
    return { id: randomUUID(), email: `buyer-${tag}@example.com`, name: `Buyer ${tag}` };
  });
  await prisma.user.createMany({ data: rows });
  return rows.map((row) => row.id);
}

/** A product with a unique sku. */
export async function createProduct(
  prisma: PrismaClient,
  fields: { priceCents?: number; stock?: number; name?: string } = {},
): Promise<{ id: string; sku: string; priceCents: number; stock: number }> {
  const sku = `TEST-${next()}`;
  return prisma.product.create({
    data: {
      sku,
      name: fields.name ?? `Test product ${sku}`,
      priceCents: fields.priceCents ?? 1250,
      stock: fields.stock ?? 10,
    },
    select: { id: true, sku: true, priceCents: true, stock: true },
  });
}

export async function stockOf(prisma: PrismaClient, productId: string): Promise<number> {
  const product = await prisma.product.findUniqueOrThrow({ where: { id: productId }, select: { stock: true } });
  return product.stock;
}
