import type { CatalogItem } from "../db/prisma-client";

/** A product as the API returns it (the monolith's shape); money in integer cents. */
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

/** The API's prices are US cents; an item priced in another currency cannot be shown as one. */
export const API_CURRENCY = "USD";

/** Thrown for a catalog item the products API cannot express (a price in another currency). */
export class UnsupportedCurrencyError extends Error {
  readonly code = "CATALOG_UNSUPPORTED_CURRENCY";
  constructor(
    readonly itemId: string,
    readonly currency: string,
  ) {
    super(`catalog item ${itemId} is priced in ${currency}; the products API shows ${API_CURRENCY} cents only`);
    this.name = "UnsupportedCurrencyError";
  }
}

/** The external shape of a catalog item: the same JSON the monolith returns for a product. */
export function toProductJson(item: CatalogItem): ProductJson {
  // CHAR(3) pads, so compare the trimmed code.
  if (item.currency.trim() !== API_CURRENCY) throw new UnsupportedCurrencyError(item.itemId, item.currency.trim());
  return {
    id: item.itemId,
    sku: item.itemCode,
    name: item.title,
    description: item.summary,
    priceCents: item.priceAmount,
    stock: item.unitsInStock,
    createdAt: item.listedAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}
