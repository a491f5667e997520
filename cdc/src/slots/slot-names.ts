/** Which transport created a replication slot and its publication. */
export type SlotTransport = "embedded" | "debezium";

/** Forward: legacy → service (the slot in the legacy database); reverse: service → legacy (in the service database). */
export type SlotDirection = "forward" | "reverse";

/** Prefix of every replication slot and publication the toolkit creates. */
export const TOOLKIT_SLOT_PREFIX = "strangler_";

/** Prefix of the Debezium connectors' slots and publications (`slot.name`, `publication.name` in cdc/connectors). */
export const DEBEZIUM_SLOT_PREFIX = `${TOOLKIT_SLOT_PREFIX}dbz_`;

const REVERSE_SUFFIX = "_reverse";

/** A service name as a slot name part: lower case, non-alphanumerics as `_` ("users-service" → "users_service"). */
function slotPart(serviceName: string): string {
  return serviceName.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

/** `strangler_users_service` for "users-service": the slot and publication of the service's forward stream. */
export function cdcSlotName(serviceName: string): string {
  return `${TOOLKIT_SLOT_PREFIX}${slotPart(serviceName)}`;
}

/** `strangler_users_service_reverse` for "users-service": the slot and publication of the reverse stream (in the service database). */
export function cdcReverseSlotName(serviceName: string): string {
  return `${cdcSlotName(serviceName)}${REVERSE_SUFFIX}`;
}

/**
 * The slot and publication of a service's stream on `transport`: the embedded source's
 * (`strangler_<service>[_reverse]`) or the Debezium connector's (`strangler_dbz_<service>[_reverse]`,
 * as the connector files in cdc/connectors set `slot.name` and `publication.name`).
 */
export function streamSlotName(serviceName: string, transport: SlotTransport, direction: SlotDirection): string {
  const base = transport === "debezium" ? `${DEBEZIUM_SLOT_PREFIX}${slotPart(serviceName)}` : cdcSlotName(serviceName);
  return direction === "reverse" ? `${base}${REVERSE_SUFFIX}` : base;
}

/** What a toolkit-like name says about itself (for a slot no service of the config names). */
export function slotNameRole(name: string): { transport: SlotTransport; direction: SlotDirection } {
  return {
    transport: name.startsWith(DEBEZIUM_SLOT_PREFIX) ? "debezium" : "embedded",
    direction: name.endsWith(REVERSE_SUFFIX) ? "reverse" : "forward",
  };
}
