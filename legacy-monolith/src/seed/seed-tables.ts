import type { BulkColumn } from "./bulk-insert";
import type { SeedOrders } from "./generate-orders";
import type { SeedProduct } from "./generate-products";
import type { SeedUser } from "./generate-users";

// Column lists of the monolith's tables as the migrations define them (snake_case in SQL).

export const USER_COLUMNS: BulkColumn<SeedUser>[] = [
  { name: "id", type: "uuid", value: (row) => row.id },
  { name: "email", type: "text", value: (row) => row.email },
  { name: "name", type: "text", value: (row) => row.name },
  { name: "phone", type: "text", value: (row) => row.phone },
  { name: "created_at", type: "timestamptz", value: (row) => row.createdAt },
  { name: "updated_at", type: "timestamptz", value: (row) => row.updatedAt },
];

export const PRODUCT_COLUMNS: BulkColumn<SeedProduct>[] = [
  { name: "id", type: "uuid", value: (row) => row.id },
  { name: "sku", type: "text", value: (row) => row.sku },
  { name: "name", type: "text", value: (row) => row.name },
  { name: "description", type: "text", value: (row) => row.description },
  { name: "price_cents", type: "int4", value: (row) => row.priceCents },
  { name: "stock", type: "int4", value: (row) => row.stock },
  { name: "created_at", type: "timestamptz", value: (row) => row.createdAt },
  { name: "updated_at", type: "timestamptz", value: (row) => row.updatedAt },
];

export const ORDER_COLUMNS: BulkColumn<SeedOrders["orders"][number]>[] = [
  { name: "id", type: "uuid", value: (row) => row.id },
  { name: "user_id", type: "uuid", value: (row) => row.userId },
  { name: "status", type: "order_status", value: (row) => row.status },
  { name: "total_cents", type: "int4", value: (row) => row.totalCents },
  { name: "created_at", type: "timestamptz", value: (row) => row.createdAt },
  { name: "updated_at", type: "timestamptz", value: (row) => row.updatedAt },
];

export const ORDER_ITEM_COLUMNS: BulkColumn<SeedOrders["orderItems"][number]>[] = [
  { name: "id", type: "uuid", value: (row) => row.id },
  { name: "order_id", type: "uuid", value: (row) => row.orderId },
  { name: "product_id", type: "uuid", value: (row) => row.productId },
  { name: "quantity", type: "int4", value: (row) => row.quantity },
  { name: "unit_price_cents", type: "int4", value: (row) => row.unitPriceCents },
];

export const PAYMENT_COLUMNS: BulkColumn<SeedOrders["payments"][number]>[] = [
  { name: "id", type: "uuid", value: (row) => row.id },
  { name: "order_id", type: "uuid", value: (row) => row.orderId },
  { name: "amount_cents", type: "int4", value: (row) => row.amountCents },
  { name: "status", type: "payment_status", value: (row) => row.status },
  { name: "method", type: "text", value: (row) => row.method },
  { name: "paid_at", type: "timestamptz", value: (row) => row.paidAt },
  { name: "created_at", type: "timestamptz", value: (row) => row.createdAt },
  { name: "updated_at", type: "timestamptz", value: (row) => row.updatedAt },
];

export const SHIPMENT_COLUMNS: BulkColumn<SeedOrders["shipments"][number]>[] = [
  { name: "id", type: "uuid", value: (row) => row.id },
  { name: "order_id", type: "uuid", value: (row) => row.orderId },
  { name: "carrier", type: "text", value: (row) => row.carrier },
  { name: "tracking_number", type: "text", value: (row) => row.trackingNumber },
  { name: "shipped_at", type: "timestamptz", value: (row) => row.shippedAt },
];
