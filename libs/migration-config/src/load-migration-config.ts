import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isNode } from "yaml";
import type { z } from "zod";
import { MigrationConfigError } from "./config-error";
import { resolveAppRun } from "./app-run-schema";
import { migrationConfigSchema, type MigrationConfig } from "./config-schema";
import { crossCheckData } from "./data-config-schema";
import { interpolateEnv } from "./env-interpolation";
import { parseRoutePattern } from "./route-pattern";

/** Where the example's config lives, relative to the repository root. */
export const DEFAULT_CONFIG_PATH = path.join("migration-plan", "strangler.config.yaml");

function pathText(parts: ReadonlyArray<PropertyKey>): string {
  return parts
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");
}

/** The requests a pattern claims: parameter names do not matter, and literals are lower-cased because the proxy matches them case-insensitively. */
function shapeOf(pattern: string): string {
  const parsed = parseRoutePattern(pattern);
  return typeof parsed === "string"
    ? pattern
    : `/${parsed.segments.map((s) => (s.kind === "param" ? ":" : s.value.toLowerCase())).join("/")}`;
}

/** Problems zod cannot see: duplicate names and ids, two routes claiming the same requests, data mappings writing a column twice. */
function crossCheck(config: MigrationConfig): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const serviceNames = new Map<string, number>();
  const routeIds = new Map<string, string>();
  const claims = new Map<string, string>();
  config.services.forEach((service, s) => {
    if (serviceNames.has(service.name))
      problems.push({
        path: ["services", s, "name"],
        message: `duplicates the name of services[${serviceNames.get(service.name)}]`,
      });
    serviceNames.set(service.name, s);
    for (const kind of ["reads", "writes"] as const) {
      service.routes[kind].forEach((route, r) => {
        const here = `services[${s}].routes.${kind}[${r}]`;
        const previous = routeIds.get(route.id);
        if (previous)
          problems.push({
            path: ["services", s, "routes", kind, r, "id"],
            message: `route id "${route.id}" is already used at ${previous}`,
          });
        routeIds.set(route.id, here);
        for (const method of route.methods) {
          const key = `${method} ${shapeOf(route.path)}`;
          const other = claims.get(key);
          if (other)
            problems.push({
              path: ["services", s, "routes", kind, r, "path"],
              message: `${method} ${route.path} is already claimed by ${other} (STRANGLER_ROUTE_CONFLICT)`,
            });
          else claims.set(key, `${here} (${route.id})`);
        }
      });
    }
    if (service.data) {
      if (!config.legacy.database)
        problems.push({
          path: ["services", s, "data"],
          message: "needs legacy.database (the legacy database the tables are copied from)",
        });
      problems.push(...crossCheckData(service.data, ["services", s, "data"]));
    }
  });
  return problems;
}

/** Makes every `run.cwd` absolute: it is written relative to the config file's folder. */
function withResolvedRuns(config: MigrationConfig, file: string): MigrationConfig {
  const { legacy, services } = config;
  return {
    ...config,
    legacy: legacy.run ? { ...legacy, run: resolveAppRun(legacy.run, file) } : legacy,
    services: services.map((service) =>
      service.run ? { ...service, run: resolveAppRun(service.run, file) } : service,
    ),
  };
}

/** Parses and validates a config text; `file` is only used in error messages. */
export function parseMigrationConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): MigrationConfig {
  const interpolated = interpolateEnv(text, env);
  if (interpolated.missing.length > 0) {
    throw new MigrationConfigError(
      file,
      interpolated.missing.map((name) => ({
        path: "",
        message: `environment variable ${name} is not set and has no default (\${${name}:-default})`,
      })),
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(interpolated.text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new MigrationConfigError(
      file,
      doc.errors.map((e) => ({
        path: "",
        line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
        message: `YAML syntax: ${e.message.split("\n")[0]}`,
      })),
    );
  }
  const lineOf = (parts: ReadonlyArray<PropertyKey>): number | undefined => {
    for (let n = parts.length; n >= 0; n--) {
      const node = doc.getIn(parts.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const toProblem = (issue: { path: ReadonlyArray<PropertyKey>; message: string }) => ({
    path: pathText(issue.path),
    line: lineOf(issue.path),
    message: issue.message,
  });
  const result = migrationConfigSchema.safeParse(doc.toJS());
  if (!result.success) {
    throw new MigrationConfigError(
      file,
      result.error.issues.map((issue: z.core.$ZodIssue) => {
        const message =
          issue.code === "unrecognized_keys"
            ? `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`
            : issue.message;
        return toProblem({ path: issue.path, message });
      }),
    );
  }
  const problems = crossCheck(result.data);
  if (problems.length > 0) throw new MigrationConfigError(file, problems.map(toProblem));
  return withResolvedRuns(result.data, file);
}

/** Reads, interpolates (`${VAR:-default}`), parses and validates the migration config file. */
export function loadMigrationConfig(file: string, env: NodeJS.ProcessEnv = process.env): MigrationConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (error as Error).message;
    throw new MigrationConfigError(file, [{ path: "", message: `cannot read the migration config: ${reason}` }]);
  }
  return parseMigrationConfig(text, file, env);
}
