import type { Product } from "../../generated/client";

/** A product as the API returns it; money in integer cents. */
export interface ProductJson {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

/** The external shape of a product row. */
export function toProductJson(product: Product): ProductJson {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    priceCents: product.priceCents,
    stock: product.stock,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
