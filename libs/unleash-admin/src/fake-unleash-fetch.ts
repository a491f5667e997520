import type { FeatureStrategy } from "./feature-model";
import type { FetchLike } from "./unleash-http";

interface FakeFlag {
  archived: boolean;
  environments: Record<string, { enabled: boolean; strategies: FeatureStrategy[] }>;
}

/** An in-memory stand-in for the few admin endpoints the client calls (unit tests only). */
export interface FakeUnleash {
  fetch: FetchLike;
  flags: Map<string, FakeFlag>;
  /** "METHOD path" of every request, in order. */
  calls: string[];
}

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status });

/** A fake Unleash with project `default` and environments development + production; `token` is the only accepted one. */
export function createFakeUnleash(token = "*:*.secret"): FakeUnleash {
  const flags = new Map<string, FakeFlag>();
  const calls: string[] = [];
  let nextId = 1;
  const fakeFetch: FetchLike = async (input, init) => {
    const method = init.method ?? "GET";
    const path = new URL(input).pathname;
    calls.push(`${method} ${path}`);
    if (new Headers(init.headers).get("authorization") !== token)
      return json(401, { message: "You must log in to use Unleash" });
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const revive = /^\/api\/admin\/archive\/revive\/([^/]+)$/.exec(path);
    if (revive?.[1]) {
      const flag = flags.get(decodeURIComponent(revive[1]));
      if (flag) flag.archived = false;
      return json(200, undefined);
    }
    if (method === "POST" && path === "/api/admin/projects/default/features") {
      const name = String(body.name);
      const existing = flags.get(name);
      if (existing)
        return json(409, {
          details: [
            {
              message: existing.archived
                ? "An archived flag with that name already exists"
                : "A flag with that name already exists",
            },
          ],
        });
      flags.set(name, {
        archived: false,
        environments: {
          development: { enabled: false, strategies: [] },
          production: { enabled: false, strategies: [] },
        },
      });
      return json(201, { name });
    }
    const match =
      /^\/api\/admin\/projects\/default\/features\/([^/]+)(?:\/environments\/([^/]+)(\/on|\/strategies(?:\/([^/]+))?)?)?$/.exec(
        path,
      );
    const flag = match?.[1] ? flags.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !flag || flag.archived) return json(404, { message: "not found" });
    if (!match[2]) {
      const environments = Object.entries(flag.environments).map(([name, env]) => ({ name, ...env }));
      return json(200, { name: decodeURIComponent(match[1] ?? ""), project: "default", environments });
    }
    const env = flag.environments[match[2]];
    if (!env) return json(404, { message: `Could not find environment ${match[2]}` });
    if (match[3] === "/on") {
      if (env.strategies.length === 0) env.strategies.push({ id: `s${nextId++}`, name: "default", parameters: {} });
      env.enabled = true;
      return json(200, undefined);
    }
    const strategy = { ...body, segments: body.segmentIds, id: match[4] ?? `s${nextId++}` } as FeatureStrategy;
    if (method === "PUT") env.strategies = env.strategies.map((s) => (s.id === match[4] ? strategy : s));
    else env.strategies.push(strategy);
    return json(200, strategy);
  };
  return { fetch: fakeFetch, flags, calls };
}
