import { httpRequest } from "./http-request";

/** The value of one Prometheus sample from the admin /metrics page, or undefined when absent. */
export async function metricValue(
  adminUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = (await httpRequest(adminUrl, { path: "/metrics" })).body;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

/** Every sample of one metric in a Prometheus text page, with its label text. */
export function metricValues(text: string, name: string): Array<{ labels: string; value: number }> {
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => ({
      labels: line.slice(name.length, line.lastIndexOf(" ")),
      value: Number(line.slice(line.lastIndexOf(" ") + 1)),
    }));
}
