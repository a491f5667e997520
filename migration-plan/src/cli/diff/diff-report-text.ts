import type { DiffReport, LatencySummary, RouteDiffReport } from "@strangler/ops-contract";
import { DIFF_TOP_NOISE_FIELDS, DIFF_TOP_SIGNATURES } from "../../defaults";
import { formatTable } from "../text-table";
import { createTextStyle, type TextStyle } from "../text-style";

/** How `formatDiffReport` lays a report out. */
export interface DiffReportTextOptions {
  /** ANSI colours (a terminal without NO_COLOR); default off. */
  color?: boolean;
  /** Signatures listed per route, the most frequent first (default DIFF_TOP_SIGNATURES). */
  topSignatures?: number;
  /** Noise fields listed per route (default DIFF_TOP_NOISE_FIELDS). */
  topNoise?: number;
  /** Describes a route id for its heading, e.g. "GET /api/users/:id" (from the migration config). */
  describeRoute?: (routeId: string) => string | undefined;
}

const percent = (share: number | null) => (share === null ? "-" : `${(share * 100).toFixed(1)} %`);
const ms = (value: number | null) => (value === null ? "-" : `${value.toFixed(1)} ms`);
const indent = (text: string, by = "    ") =>
  text
    .split("\n")
    .map((line) => `${by}${line}`)
    .join("\n");

function rateStyle(route: RouteDiffReport, style: TextStyle): (text: string) => string {
  if (route.matchRate === null) return style.dim;
  if (route.matchRate === 1) return style.green;
  return route.matchRate >= 0.99 ? style.yellow : style.red;
}

function latencyRows(legacy: LatencySummary, service: LatencySummary): string[][] {
  return [
    ["legacy", ms(legacy.p50), ms(legacy.p95), String(legacy.count)],
    ["service", ms(service.p50), ms(service.p95), String(service.count)],
  ];
}

function formatRoute(
  route: RouteDiffReport,
  options: Required<Omit<DiffReportTextOptions, "color">>,
  style: TextStyle,
) {
  const described = options.describeRoute(route.routeId);
  const lines = [style.bold(`${route.routeId}${described ? `  ${described}` : ""}  (${route.service})`)];
  const rate = rateStyle(route, style);
  const mismatches = route.mismatches > 0 ? style.red(String(route.mismatches)) : String(route.mismatches);
  lines.push(
    `  compared ${route.compared}   match rate ${rate(percent(route.matchRate))}   mismatches ${mismatches}` +
      `   noise only ${route.noiseOnly}   CDC first ${route.cdcFirst}`,
  );
  const errors = route.candidateErrors + route.candidateTimeouts > 0 ? style.yellow : (text: string) => text;
  lines.push(errors(`  candidate errors ${route.candidateErrors}   candidate timeouts ${route.candidateTimeouts}`));
  const skipped = Object.entries(route.skipped)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  lines.push(
    `  skipped ${skipped.length === 0 ? "0" : skipped.map(([reason, count]) => `${reason} ${count}`).join(", ")}`,
  );
  lines.push(
    indent(
      formatTable(["latency", "p50", "p95", "samples"], latencyRows(route.latency.legacy, route.latency.service)),
      "  ",
    ),
  );

  const signatures = [...route.signatures].sort((a, b) => b.count - a.count || a.signature.localeCompare(b.signature));
  if (signatures.length > 0) {
    const shown = signatures.slice(0, options.topSignatures);
    lines.push("  differences (by signature)");
    lines.push(
      indent(
        formatTable(
          ["count", "share", "example", "fields"],
          shown.map((s) => [
            String(s.count),
            percent(s.share),
            s.exampleId ?? "-",
            s.fields.map((field) => `${field.path} (${field.kind})`).join(", "),
          ]),
        ),
      ),
    );
    if (signatures.length > shown.length)
      lines.push(`    … and ${signatures.length - shown.length} more signatures (--json lists all)`);
  }
  if (route.noise.length > 0) {
    const noise = [...route.noise].sort((a, b) => b.noiseDiffering - a.noiseDiffering || a.path.localeCompare(b.path));
    const shown = noise.slice(0, options.topNoise);
    lines.push("  noise (fields that differ between two answers of the same side; not counted as mismatches)");
    lines.push(
      indent(
        formatTable(
          ["field", "same side differs", "old vs new differs"],
          shown.map((n) => [n.path, `${n.noiseDiffering}/${n.noiseCompared}`, `${n.differing}/${n.compared}`]),
        ),
      ),
    );
    if (noise.length > shown.length)
      lines.push(`    … and ${noise.length - shown.length} more noise fields (--json lists all)`);
  }
  return lines.join("\n");
}

/**
 * A diff report as terminal text: per route the counts, match rate, skipped by reason, latency of
 * both sides, the top difference signatures with an example id each, and the noise fields.
 */
export function formatDiffReport(report: DiffReport, options: DiffReportTextOptions = {}): string {
  const style = createTextStyle(options.color ?? false);
  const settled = {
    topSignatures: options.topSignatures ?? DIFF_TOP_SIGNATURES,
    topNoise: options.topNoise ?? DIFF_TOP_NOISE_FIELDS,
    describeRoute: options.describeRoute ?? (() => undefined),
  };
  const window = style.dim(`shadow results from ${report.since} to ${report.until}`);
  if (report.routes.length === 0)
    return `${window}\n\nno shadow results in this window: is a route's shadow flag on? (npx strangler flags set <route-id> --shadow 100)`;
  const routes = [...report.routes].sort(
    (a, b) => a.service.localeCompare(b.service) || a.routeId.localeCompare(b.routeId),
  );
  const footer = style.dim("npx strangler diff show <example> shows both answers of an example and their differences");
  return [window, ...routes.map((route) => formatRoute(route, settled, style)), footer].join("\n\n");
}
