import fs from "node:fs";
import path from "node:path";
import type { ParityTableReport } from "@strangler/ops-contract";
import type { ParityRunStore } from "@strangler/toolkit-store";
import type pg from "pg";
import { fixupStatement } from "./fixup-script";
import { keyId, readRowsByKey } from "./keyed-read";
import type { ParityTablePlan } from "./table-plan";

/** Differences read from the store per page while the files are written. */
const PAGE = 5_000;

const csvField = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A file name part from a table name: letters, digits, `.`, `_` and `-` kept, the rest `_`. */
const fileSafe = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, "_");

export interface TableFiles {
  keys: string;
  fixup: string | null;
}

/**
 * Writes a table's differing keys (CSV: kind, the service key columns, the differing columns) and,
 * when any row differs, the fix-up script that makes the copy equal to the owner's rows as they are
 * now (read while writing it). The script is written, never run.
 */
export async function writeTableFiles(
  dir: string,
  run: { runId: string; store: ParityRunStore; ownerClient: pg.Client; copyLabel: string; copyUrl: string },
  plan: ParityTablePlan,
  report: ParityTableReport,
): Promise<TableFiles> {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${fileSafe(plan.service)}.${fileSafe(plan.legacyTable)}`);
  const keysFile = `${base}.keys.csv`;
  const fixupFile = `${base}.fixup.sql`;
  const keys = fs.openSync(keysFile, "w");
  const owner = report.owner;
  const copyTable = owner === "legacy" ? plan.serviceTable : plan.legacyTable;
  const ownerRead =
    owner === "legacy"
      ? { tableSql: plan.legacySql, select: plan.legacySelect, keyColumns: plan.legacyKeys, keyTypes: plan.legacyTypes }
      : {
          tableSql: plan.serviceSql,
          select: plan.serviceSelect,
          keyColumns: plan.serviceKeys,
          keyTypes: plan.serviceTypes,
        };
  let fixup: number | null = null;
  try {
    fs.writeSync(keys, `${["kind", ...plan.serviceKeys, "columns"].map(csvField).join(",")}\n`);
    let after: number | undefined;
    for (;;) {
      const page = await run.store.differences(run.runId, plan.legacyTable, {
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      });
      if (page.length === 0) break;
      after = page[page.length - 1]?.position;
      fs.writeSync(
        keys,
        page.map((d) => `${[d.kind, ...d.key, d.columns.join(" ")].map(csvField).join(",")}\n`).join(""),
      );
      const fixable = page.filter((d) => d.kind !== "unsettled");
      if (fixable.length === 0) continue;
      if (fixup === null) {
        fixup = fs.openSync(fixupFile, "w");
        fs.writeSync(
          fixup,
          [
            `-- Strangler data parity fix-up (run ${run.runId}, written ${new Date().toISOString()}).`,
            `-- Makes ${copyTable} in ${run.copyLabel} equal to ${owner === "legacy" ? plan.legacyTable : plan.serviceTable}, whose writes the ${owner} side owns,`,
            "-- for the rows the run found different: each is upserted with the owner's values as read when this",
            "-- file was written, or deleted when the owner has no such row. Strangler never runs it: review it, then",
            `--   psql "${run.copyUrl}" -v ON_ERROR_STOP=1 -f ${path.basename(fixupFile)}`,
            "BEGIN;",
            "",
          ].join("\n"),
        );
      }
      const current = await readRowsByKey(
        run.ownerClient,
        ownerRead,
        fixable.map((d) => d.key),
        false,
      );
      const statements = fixable.map((d) => fixupStatement(plan, owner, d.key, current.rows.get(keyId(d.key))));
      fs.writeSync(fixup, `${statements.join("\n")}\n`);
    }
    if (fixup !== null) fs.writeSync(fixup, "COMMIT;\n");
  } finally {
    fs.closeSync(keys);
    if (fixup !== null) fs.closeSync(fixup);
  }
  if (fixup === null) fs.rmSync(fixupFile, { force: true });
  return { keys: keysFile, fixup: fixup === null ? null : fixupFile };
}
