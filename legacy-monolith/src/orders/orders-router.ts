import { Router } from "express";
import { notFound, parseInput } from "@strangler/service-kit";
import type { PrismaClient } from "../db/prisma-client";
import { payOrder } from "../payments/pay-order";
import { payOrderBody } from "../payments/payment-schemas";
import { shipOrder } from "../shipments/ship-order";
import { shipOrderBody } from "../shipments/shipment-schemas";
import { cancelOrder } from "./cancel-order";
import { orderInclude, toOrderJson } from "./order-json";
import { cancelOrderBody, orderIdParams, placeOrderBody } from "./order-schemas";
import { placeOrder } from "./place-order";

/** /api/orders: placing orders and moving them through pay → ship, or cancel. */
export function createOrdersRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    const input = parseInput(placeOrderBody, req.body, "body");
    const order = await placeOrder(prisma, input);
    res.status(201).json(toOrderJson(order));
  });

  router.get("/:id", async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params, "params");
    const order = await prisma.order.findUnique({ where: { id }, include: orderInclude });
    if (!order) throw notFound("order", id);
    res.json(toOrderJson(order));
  });

  router.post("/:id/pay", async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params, "params");
    const input = parseInput(payOrderBody, req.body, "body");
    res.json(toOrderJson(await payOrder(prisma, id, input)));
  });

  router.post("/:id/ship", async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params, "params");
    const input = parseInput(shipOrderBody, req.body, "body");
    res.json(toOrderJson(await shipOrder(prisma, id, input)));
  });

  router.post("/:id/cancel", async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params, "params");
    // A bodiless POST is the normal call; express.json leaves req.body undefined then.
    parseInput(cancelOrderBody, req.body ?? {}, "body");
    res.json(toOrderJson(await cancelOrder(prisma, id)));
  });

  return router;
}
