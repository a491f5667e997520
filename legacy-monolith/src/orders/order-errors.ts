import { HttpError, conflict } from "@strangler/service-kit";
import type { OrderStatus } from "../../generated/client";

/** Error codes of the order flows beside the generic VALIDATION_FAILED / NOT_FOUND ones. */
export const ORDER_ERROR_CODES = {
  insufficientStock: "INSUFFICIENT_STOCK",
  totalTooLarge: "ORDER_TOTAL_TOO_LARGE",
  notPayable: "ORDER_NOT_PAYABLE",
  notShippable: "ORDER_NOT_SHIPPABLE",
  notCancellable: "ORDER_NOT_CANCELLABLE",
} as const;

/** 409 when a line asks for more units than the product has left. */
export function insufficientStock(productId: string, requested: number, available: number): HttpError {
  return conflict(
    ORDER_ERROR_CODES.insufficientStock,
    `product ${productId} has ${available} in stock, ${requested} requested`,
    { productId, requested, available },
  );
}

/** 422 when the order's total does not fit the int4 money columns. */
export function totalTooLarge(totalCents: number, maxCents: number): HttpError {
  return new HttpError(422, ORDER_ERROR_CODES.totalTooLarge, `order total ${totalCents} cents exceeds ${maxCents}`, {
    totalCents,
    maxCents,
  });
}

/** 409 when an order is not in a state the requested transition starts from. */
export function wrongOrderState(
  code: string,
  id: string,
  status: OrderStatus,
  action: string,
  allowed: readonly OrderStatus[],
): HttpError {
  return conflict(code, `order ${id} is ${status} and cannot be ${action}; it must be ${allowed.join(" or ")}`, {
    id,
    status,
    allowed,
  });
}
