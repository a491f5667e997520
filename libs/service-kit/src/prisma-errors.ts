// Prisma errors are recognised by their stable P-codes, without importing a generated client.
import type { HttpError } from "./http-error";

interface KnownRequestError {
  code: string;
  meta?: Record<string, unknown>;
}

function isKnownRequestError(error: unknown): error is KnownRequestError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    /^P\d{4}$/.test((error as { code: string }).code)
  );
}

/** The columns of a unique-constraint violation, as reported by the driver adapter or the engine. */
export function uniqueViolationFields(error: unknown): string[] | undefined {
  if (!isKnownRequestError(error) || error.code !== "P2002") return undefined;
  const target = error.meta?.target;
  if (Array.isArray(target)) return target.map(String);
  const cause = (error.meta?.driverAdapterError as { cause?: { constraint?: { fields?: unknown } } } | undefined)
    ?.cause;
  const fields = cause?.constraint?.fields;
  return Array.isArray(fields) ? fields.map((field) => String(field).replace(/"/g, "")) : [];
}

/** Prisma's "record to update/delete not found". */
export function isRecordNotFound(error: unknown): boolean {
  return isKnownRequestError(error) && error.code === "P2025";
}

/** A foreign key that still points at the row being deleted. */
export function isForeignKeyViolation(error: unknown): boolean {
  return isKnownRequestError(error) && error.code === "P2003";
}

/** Re-throws a Prisma error as the HttpError the API promises, or the error itself. */
export function rethrowAsHttp(error: unknown, onUnique: (fields: string[]) => HttpError): never {
  const fields = uniqueViolationFields(error);
  if (fields) throw onUnique(fields);
  throw error;
}
