import type { ToolkitConfig } from "@strangler/migration-config";
import { createPgShadowResultStore, type ShadowResultStore } from "@strangler/toolkit-store";
import type { Logger } from "pino";

/** What the admin API reads from the toolkit database. */
export type DiffResultsReader = Pick<ShadowResultStore, "report" | "example">;

/** A reader the proxy opened itself, closed with the proxy. */
export interface OwnedDiffResultsReader extends DiffResultsReader {
  close(): Promise<void>;
}

/**
 * The shadow results of `toolkit.database`, opened on first use (a proxy whose admin API is never
 * asked for a report holds no connection for it); null without a toolkit database.
 */
export function openDiffResultsReader(toolkit: ToolkitConfig, logger: Logger): OwnedDiffResultsReader | null {
  const database = toolkit.database;
  if (database === undefined) return null;
  let store: ShadowResultStore | undefined;
  const opened = (): ShadowResultStore => {
    store ??= createPgShadowResultStore(database, { retention: toolkit.retention, logger });
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
