import { parse } from "yaml";

/**
 * A small reading of docker-compose.yml for test/docker-compose.test.ts (there is no Docker engine
 * to ask): compose-style variable interpolation, each service's environment and dependencies, and
 * the start-order rules the file must keep.
 */

export type EnvValue = string | number | boolean | null;

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: {
    test?: string | string[];
    disable?: boolean;
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
  };
  ports?: Array<string | number | { host_ip?: string; published?: string | number; target?: number }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string; read_only?: boolean }>;
  restart?: string;
  working_dir?: string;
  user?: string;
}

export interface ComposeDocument {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Parses the YAML as compose does (YAML 1.1 merge keys `<<: *anchor` included). */
export function parseComposeText(text: string): unknown {
  return parse(text, { merge: true });
}

// $$ (a literal $), ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, ${NAME:+alt}, ${NAME+alt}, $NAME.
const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Interpolates one string the way compose does; `unresolved` collects variables used without a default that are unset. */
export function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  unresolved: Set<string>,
): string {
  return text.replace(
    REFERENCE,
    (
      match,
      braced: string | undefined,
      operator: string | undefined,
      operand: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === "$$") return "$";
      const name = (braced ?? bare) as string;
      const value = env[name];
      const set = value !== undefined;
      const nonEmpty = set && value !== "";
      switch (operator) {
        case ":-":
          return nonEmpty ? (value as string) : (operand ?? "");
        case "-":
          return set ? (value as string) : (operand ?? "");
        case ":+":
          return nonEmpty ? (operand ?? "") : "";
        case "+":
          return set ? (operand ?? "") : "";
        case ":?":
        case "?":
          if (operator === ":?" ? !nonEmpty : !set) unresolved.add(name);
          return value ?? "";
        default:
          if (!set) unresolved.add(name);
          return value ?? "";
      }
    },
  );
}

/** A copy of a parsed compose document with every string value interpolated (keys are not, as in compose). */
export function interpolateDocument<T>(
  document: T,
  env: Readonly<Record<string, string | undefined>>,
): { document: T; unresolved: string[] } {
  const unresolved = new Set<string>();
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return interpolateString(value, env, unresolved);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    return value;
  };
  return { document: walk(document) as T, unresolved: [...unresolved].sort() };
}

/** A service's environment as name → string (list form `NAME=value` included; null = empty). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf("=");
        return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value === null ? "" : String(value)]));
}

/** depends_on as target → condition (the short list form means service_started). */
export function dependenciesOf(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, "service_started"]));
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, spec.condition ?? "service_started"]));
}

/** One-shot services run to completion (`restart: "no"`); everything else is long-running. */
export function isOneShot(service: ComposeService): boolean {
  return service.restart === "no";
}

/** A dependency cycle as a path of service names (first = last), or null. */
export function findCycle(document: ComposeDocument): string[] | null {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === "done") return null;
    if (state.get(name) === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const target of Object.keys(dependenciesOf(document.services[name] ?? {}))) {
      if (!(target in document.services)) continue;
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    return null;
  };
  for (const name of Object.keys(document.services)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return null;
}

/** Every service `name` waits for, directly or through others. */
export function transitiveDependencies(document: ComposeDocument, name: string): Set<string> {
  const seen = new Set<string>();
  const pending = [name];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const target of Object.keys(dependenciesOf(document.services[current] ?? {}))) {
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(target);
      }
    }
  }
  return seen;
}

/** Start-order problems: unknown targets, cycles, missing health checks, conditions a target cannot meet. */
export function startOrderProblems(document: ComposeDocument): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(document.services)) {
    if (!isOneShot(service) && (!service.healthcheck || service.healthcheck.disable || !service.healthcheck.test)) {
      problems.push(`${name}: a long-running service without a healthcheck`);
    }
    for (const [target, condition] of Object.entries(dependenciesOf(service))) {
      const other = document.services[target];
      if (!other) {
        problems.push(`${name}: depends on ${target}, which is not a service`);
        continue;
      }
      if (condition === "service_started")
        problems.push(
          `${name}: depends on ${target} without a condition (service_healthy or service_completed_successfully)`,
        );
      if (condition === "service_healthy" && !other.healthcheck)
        problems.push(`${name}: waits for ${target} to be healthy, but it has no healthcheck`);
      if (condition === "service_completed_successfully" && !isOneShot(other))
        problems.push(`${name}: waits for ${target} to complete, but it is long-running`);
      if (isOneShot(other) && condition !== "service_completed_successfully")
        problems.push(`${name}: depends on the one-shot ${target} with ${condition}`);
    }
  }
  const cycle = findCycle(document);
  if (cycle) problems.push(`dependency cycle: ${cycle.join(" → ")}`);
  return problems;
}

/** Published ports that are not bound to 127.0.0.1 on the host. */
export function publishedPortProblems(document: ComposeDocument): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(document.services)) {
    for (const port of service.ports ?? []) {
      const hostIp =
        typeof port === "object"
          ? port.host_ip
          : String(port).split(":").length === 3
            ? String(port).split(":")[0]
            : undefined;
      if (hostIp !== "127.0.0.1")
        problems.push(`${name}: port ${JSON.stringify(port)} is not published on 127.0.0.1 only`);
    }
  }
  return problems;
}

/** Container port → host port of a service's short-syntax `127.0.0.1:host:container` mappings. */
export function publishedPorts(service: ComposeService): Map<number, string> {
  const ports = new Map<number, string>();
  for (const port of service.ports ?? []) {
    if (typeof port === "object") {
      if (port.target !== undefined) ports.set(port.target, String(port.published ?? ""));
      continue;
    }
    const parts = String(port).split(":");
    ports.set(Number((parts.at(-1) as string).split("/")[0]), parts.length > 1 ? (parts.at(-2) as string) : "");
  }
  return ports;
}

/** The env file a service sources through docker/with-env-file.sh (its entrypoint), or null. */
export function envFileOf(service: ComposeService): string | null {
  const entrypoint = Array.isArray(service.entrypoint) ? service.entrypoint : [];
  const script = entrypoint.findIndex((part) => part.endsWith("/with-env-file.sh"));
  return script >= 0 ? (entrypoint[script + 1] ?? null) : null;
}

/** A service's command (entrypoint + command) as one argument list. */
export function argvOf(service: ComposeService): string[] {
  const asList = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/);
  return [...asList(service.entrypoint), ...asList(service.command)];
}
