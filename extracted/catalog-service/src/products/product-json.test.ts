import type { CatalogItem } from "../db/prisma-client";
import { UnsupportedCurrencyError, toProductJson } from "./product-json";

const item: CatalogItem = {
  itemId: "00000000-0000-4000-8000-000000000001",
  itemCode: "MUG-001",
  title: "Blue Mug",
  summary: "Stoneware",
  priceAmount: 899,
  currency: "USD",
  unitsInStock: 12,
  listedAt: new Date("2026-01-15T09:00:00.123Z"),
  updatedAt: new Date("2026-01-15T09:30:00.000Z"),
};

describe("toProductJson", () => {
  it("answers a catalog item in the monolith's product shape, price in cents", () => {
    expect(toProductJson(item)).toEqual({
      id: "00000000-0000-4000-8000-000000000001",
      sku: "MUG-001",
      name: "Blue Mug",
      description: "Stoneware",
      priceCents: 899,
      stock: 12,
      createdAt: "2026-01-15T09:00:00.123Z",
      updatedAt: "2026-01-15T09:30:00.000Z",
    });
  });

  it("refuses an item priced in another currency rather than showing its amount as US cents", () => {
    expect(() => toProductJson({ ...item, currency: "EUR" })).toThrow(UnsupportedCurrencyError);
    expect(() => toProductJson({ ...item, currency: "EUR" })).toThrow(
      "catalog item 00000000-0000-4000-8000-000000000001 is priced in EUR",
    );
  });
});
