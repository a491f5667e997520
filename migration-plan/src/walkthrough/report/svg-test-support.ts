import { XMLParser } from "fast-xml-parser";

// For the tests: reads the charts back (fast-xml-parser, a dev dependency) and the points of their paths.

/** A parser that keeps attributes (without prefix) and always gives arrays for the elements charts repeat. */
export const svgParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["svg", "path", "circle", "text", "line", "g", "figure", "table", "tr", "td", "th"].includes(name),
});

/** The absolute points of an SVG path made of M, L, H, V and Z commands, one array per subpath. */
export function pathSubpaths(d: string): Array<Array<[number, number]>> {
  const subpaths: Array<Array<[number, number]>> = [];
  let x = 0;
  let y = 0;
  for (const [, command, args] of d.matchAll(/([MLHVZ])([^MLHVZ]*)/g)) {
    const n = (args ?? "")
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (command === "M") {
      [x, y] = [n[0]!, n[1]!];
      subpaths.push([[x, y]]);
      continue;
    }
    if (command === "L") [x, y] = [n[0]!, n[1]!];
    else if (command === "H") x = n[0]!;
    else if (command === "V") y = n[0]!;
    else continue;
    subpaths[subpaths.length - 1]!.push([x, y]);
  }
  return subpaths;
}

/** Finds every element named `name` anywhere below `node` in fast-xml-parser's output. */
export function findAll(node: unknown, name: string): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    for (const [key, child] of Object.entries(value)) {
      if (key === name)
        (Array.isArray(child) ? child : [child]).forEach((c) => found.push(c as Record<string, unknown>));
      walk(child);
    }
  };
  walk(node);
  return found;
}
