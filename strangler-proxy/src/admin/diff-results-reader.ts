import type { ToolkitConfig } from "@strangler/migration-config";
import * as toolkitStore from "@strangler/toolkit-store";
import type { ShadowResultStore } from "@strangler/toolkit-store";
import type { Logger } from "pino";

/** What the admin API reads from the toolkit database. */
export type DiffResultsReader = Pick<ShadowResultStore, "report" | "example">;

/** A reader the proxy opened itself, closed with the proxy. */
export interface OwnedDiffResultsReader extends DiffResultsReader {
  close(): Promise<void>;
}

type PgStoreFactory = (
  url: string,
  options: { retention: ToolkitConfig["retention"]; logger: Logger },
) => ShadowResultStore;

/**
 * The shadow results of `toolkit.database`, opened on first use (a proxy whose admin API is never
 * asked for a report holds no connection for it); null without a toolkit database.
 */
export function openDiffResultsReader(toolkit: ToolkitConfig, logger: Logger): OwnedDiffResultsReader | null {
  const database = toolkit.database;
  if (database === undefined) return null;
  // Looked up by name: the PostgreSQL store is built in parallel with the admin API (issue 11); a
  // build without it answers 503 instead of failing to compile.
  const create = (toolkitStore as Record<string, unknown>).createPgShadowResultStore as PgStoreFactory | undefined;
  let store: ShadowResultStore | undefined;
  const opened = (): ShadowResultStore => {
    if (create === undefined) throw new Error("this build of @strangler/toolkit-store has no PostgreSQL store");
    store ??= create(database, { retention: toolkit.retention, logger });
    return store;
  };
  return {
    report: (query) => opened().report(query),
    example: (id) => opened().example(id),
    close: async () => {
      await store?.close();
      store = undefined;
    },
  };
}
