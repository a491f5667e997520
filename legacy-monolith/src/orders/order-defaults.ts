/** Most lines one order may have. */
export const MAX_ORDER_ITEMS = 50;
/** Most units of one product one order line may ask for. */
export const MAX_ITEM_QUANTITY = 1000;
/** order.total_cents and payment.amount_cents are int4 columns. */
export const MAX_ORDER_TOTAL_CENTS = 2_147_483_647;

/**
 * Interactive transaction limits for order flows. maxWait covers queueing for a pooled connection
 * under bursts (the pool holds 10); timeout bounds how long one order may hold its row locks.
 */
export const ORDER_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;
