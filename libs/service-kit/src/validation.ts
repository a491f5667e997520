import type { z } from "zod";
import { HttpError } from "./http-error";

export type InputLocation = "body" | "query" | "params";

export interface FieldProblem {
  field: string;
  location: InputLocation;
  message: string;
}

function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part) => (typeof part === "number" ? `[${part}]` : String(part)))
    .join(".")
    .replace(/\.\[/g, "[");
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function problemsOf(error: z.ZodError, input: unknown, location: InputLocation): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({ field: fieldName([...issue.path, key]), location, message: "unknown field" });
      }
      continue;
    }
    const field = fieldName(issue.path);
    const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
    problems.push({ field, location, message: missing ? "is required" : issue.message });
  }
  return problems;
}

/** Parses request input with a zod schema; a failure is a 400 that names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, location: InputLocation): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = problemsOf(result.error, input, location);
  const summary = fields
    .map((p) => (p.field ? `${location}.${p.field}: ${p.message}` : `${location}: ${p.message}`))
    .join("; ");
  throw new HttpError(400, "VALIDATION_FAILED", `invalid request ${location}: ${summary}`, { fields });
}
