import { ToolkitStoreError } from "../errors/toolkit-store-error";

/** A non-retriable error for what a caller got wrong (bad document, unknown run or table). */
export function rejected(doing: string, message: string): ToolkitStoreError {
  return new ToolkitStoreError("TOOLKIT_STORE_QUERY_FAILED", `toolkit database: ${doing} failed: ${message}`, false);
}

/**
 * The value checked against an operations-contract schema, as a fresh storable copy; a value that
 * breaks it is rejected (TOOLKIT_STORE_QUERY_FAILED), naming the first issue.
 */
export function validDocument<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } } },
  value: unknown,
  doing: string,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return storable(parsed.data);
  // Only the first issue: a checkpoint of 100k differences must not make a 100k-line message.
  const issue = parsed.error.issues[0];
  throw rejected(doing, `invalid: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "unknown"}`);
}

/**
 * The value with NUL characters replaced in every string: PostgreSQL text and jsonb cannot hold them
 * (keys read from PostgreSQL never have one, but an error message or a warning may).
 */
export function storable<T>(value: T): T {
  if (typeof value === "string") return (value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [storable(name), storable(field)])) as T;
  return value;
}

interface Issue {
  path: PropertyKey[];
  message: string;
}
