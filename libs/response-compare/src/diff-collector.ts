import type { Difference, DifferenceKind } from "./compare-types";
import { MAX_DIFFERENCES } from "./defaults";
import { escapeSegment } from "./json-pointer";

const DEFAULT_LIMIT = MAX_DIFFERENCES;

/**
 * Gathers the differences of one comparison, up to a limit. A probe (limit 1, no text) only answers
 * "is there any difference?", for the order check, without building paths or previews.
 */
export class DiffCollector {
  readonly differences: Difference[] = [];
  private found = 0;

  constructor(
    readonly limit = DEFAULT_LIMIT,
    readonly probe = false,
  ) {}

  get count(): number {
    return this.found;
  }

  get full(): boolean {
    return this.found >= this.limit;
  }

  /** Records a difference at the pointer made of `segments` (values already JSON-encoded and cut). */
  add(
    segments: ReadonlyArray<string | number>,
    kind: DifferenceKind,
    legacy?: string,
    service?: string,
    note?: string,
  ): void {
    if (this.full) return;
    this.found++;
    if (this.probe) return;
    const difference: Difference = { path: pointerOf(segments), kind };
    if (legacy !== undefined) difference.legacy = legacy;
    if (service !== undefined) difference.service = service;
    if (note !== undefined) difference.note = note;
    this.differences.push(difference);
  }

  /** Drops the differences found after `count` (an array whose positional differences turned out to be an order difference). */
  truncate(count: number): void {
    this.found = count;
    if (!this.probe) this.differences.length = count;
  }
}

function pointerOf(segments: ReadonlyArray<string | number>): string {
  let pointer = "";
  for (const segment of segments)
    pointer += "/" + (typeof segment === "number" ? String(segment) : escapeSegment(segment));
  return pointer;
}
