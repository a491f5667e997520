// The toolkit's replication slots and publications: their names, where they are, which ones the config uses.
// Light on purpose (pg only): the `strangler` CLI and the stack import it.
export { formatBytes } from "./format-bytes";
export {
  DEBEZIUM_SLOT_PREFIX,
  TOOLKIT_SLOT_PREFIX,
  cdcReverseSlotName,
  cdcSlotName,
  slotNameRole,
  streamSlotName,
  type SlotDirection,
  type SlotTransport,
} from "./slot-names";
export {
  dropSlotSql,
  expectedSlots,
  listToolkitSlots,
  slotDatabases,
  type ExpectedSlot,
  type SlotInventory,
  type ToolkitSlot,
} from "./toolkit-slots";
export { findUnusedSlots, unusedSlots, type UnusedSlot } from "./unused-slots";
