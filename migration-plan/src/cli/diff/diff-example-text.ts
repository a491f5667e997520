import type { DiffExample } from "@strangler/ops-contract";
import { formatTable } from "../text-table";
import { createTextStyle } from "../text-style";

type Answer = DiffExample["answers"]["legacy"];

/** A body for reading: JSON pretty-printed, anything else as it is. */
function readableBody(body: string): string {
  if (body === "") return "(empty)";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function formatAnswer(side: string, answer: Answer, primary: boolean): string[] {
  const headers = Object.entries(answer.headers).sort(([a], [b]) => a.localeCompare(b));
  return [
    `${side}${primary ? " (answered the client)" : " (candidate)"}: HTTP ${answer.status} in ${answer.latencyMs.toFixed(1)} ms`,
    ...headers.map(([name, value]) => `  ${name}: ${value}`),
    ...readableBody(answer.body)
      .split("\n")
      .map((line) => `  ${line}`),
  ];
}

/** One kept example as terminal text: the request, the differences, then each side's answer. */
export function formatDiffExample(example: DiffExample, options: { color?: boolean } = {}): string {
  const style = createTextStyle(options.color ?? false);
  const request = [
    style.bold(`example ${example.id}`),
    `  ${example.method} ${example.path}`,
    `  route ${example.routeId} (${example.service}), at ${example.at}, primary ${example.primary}`,
    `  request id ${example.requestId}, trace ${example.traceId}, signature ${example.signature}`,
    ...Object.entries(example.requestHeaders)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => `  ${name}: ${value}`),
    ...(example.requestBody === null ? [] : [`  body: ${example.requestBody}`]),
  ];
  const differences =
    example.differences.length === 0
      ? ["  none"]
      : formatTable(
          ["field", "kind", "legacy", "service"],
          example.differences.map((d) => [d.path || "/", d.kind, d.legacy ?? "-", d.service ?? "-"]),
        )
          .split("\n")
          .map((line) => `  ${line}`);
  const sides = (["legacy", "service"] as const).map((side) =>
    formatAnswer(side, example.answers[side], example.primary === side).join("\n"),
  );
  return [
    request.join("\n"),
    [style.red(`differences (${example.differences.length})`), ...differences].join("\n"),
    ...sides,
  ].join("\n\n");
}
