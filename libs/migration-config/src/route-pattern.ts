/** One segment of a route pattern: a literal, or a named parameter that matches any one segment. */
export type PatternSegment = { kind: "literal"; value: string } | { kind: "param"; name: string };

export interface RoutePattern {
  source: string;
  segments: PatternSegment[];
}

const LITERAL = /^[A-Za-z0-9._~!$&'()*+,;=@-]+$/;
const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * Parses `/api/users/:id` into segments. Patterns match whole segments only, so `/api/users`
 * never matches `/api/usersX`, and `:id` never spans a slash. Returns a problem text when invalid.
 */
export function parseRoutePattern(source: string): RoutePattern | string {
  if (!source.startsWith("/")) return "must start with /";
  if (source === "/") return { source, segments: [] };
  const parts = source.slice(1).split("/");
  const segments: PatternSegment[] = [];
  const names = new Set<string>();
  for (const part of parts) {
    if (part === "") return "must not contain an empty segment (// or a trailing /)";
    if (part === "." || part === "..") return "must not contain . or .. segments";
    const param = PARAM.exec(part);
    if (param?.[1]) {
      if (names.has(param[1])) return `repeats the parameter :${param[1]}`;
      names.add(param[1]);
      segments.push({ kind: "param", name: param[1] });
    } else if (LITERAL.test(part) && !part.includes(":")) {
      segments.push({ kind: "literal", value: part });
    } else {
      return `has an invalid segment "${part}" (literals use URL-safe characters; parameters look like :name)`;
    }
  }
  return { source, segments };
}

/** The parameters when `segments` (a normalised path split at /) match the pattern, else undefined. */
export function matchRoutePattern(
  pattern: RoutePattern,
  segments: readonly string[],
): Record<string, string> | undefined {
  if (segments.length !== pattern.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = pattern.segments[i] as PatternSegment;
    const got = segments[i] as string;
    if (want.kind === "literal") {
      if (want.value !== got) return undefined;
    } else {
      params[want.name] = got;
    }
  }
  return params;
}

/** Whether two patterns can match the same path (a literal and a parameter overlap). */
export function patternsOverlap(a: RoutePattern, b: RoutePattern): boolean {
  if (a.segments.length !== b.segments.length) return false;
  return a.segments.every((segment, i) => {
    const other = b.segments[i] as PatternSegment;
    return segment.kind === "param" || other.kind === "param" || segment.value === other.value;
  });
}
