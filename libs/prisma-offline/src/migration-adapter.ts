import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

/** Catalog types the schema engine reads but adapter-pg 6.19 cannot map (prisma/orm#27403). */
const CATALOG_TYPE_AS_TEXT: Readonly<Record<number, number>> = {
  18: 25, // "char" → text
  19: 25, // name → text
  1002: 1009, // "char"[] → text[]
  1003: 1009, // name[] → text[]
};

type Field = { dataTypeID: number };
type PerformIo = (this: unknown, ...args: unknown[]) => Promise<{ fields: Field[] }>;
type Queryable = { performIO: PerformIo };

let catalogPatchApplied = false;

/**
 * Report `name` and `"char"` columns as text so the wasm schema engine can read the catalog.
 * Patched once on the shared queryable prototype, because transactions are created inside the
 * adapter where no wrapper can reach them. Only the migration tooling loads this module.
 */
function patchCatalogTypes(adapter: object): void {
  if (catalogPatchApplied) return;
  let proto: object | null = Object.getPrototypeOf(adapter) as object | null;
  while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto) as object | null;
  if (!proto) throw new Error("prisma-offline: @prisma/adapter-pg has no performIO method; pin 6.19.3");
  const queryable = proto as Queryable;
  const original = queryable.performIO;
  queryable.performIO = async function performIO(this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    for (const field of result.fields) {
      const replacement = CATALOG_TYPE_AS_TEXT[field.dataTypeID];
      if (replacement !== undefined) field.dataTypeID = replacement;
    }
    return result;
  };
  catalogPatchApplied = true;
}

function connectionFields(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname) || parsed.searchParams.get("host") || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || undefined,
    max: 4,
    // The CLI must exit when its work is done, not when idle pool clients time out.
    allowExitOnIdle: true,
  };
}

/**
 * A driver adapter factory for the Prisma CLI (migrate, db pull, diff) that works without any
 * downloaded engine. It fixes two adapter-pg 6.19 problems: catalog types, and a shadow database
 * that was created on, and dropped from, the wrong connection.
 */
export function createMigrationAdapter(databaseUrl: string) {
  const fields = connectionFields(databaseUrl);
  const factory = new PrismaPg(fields);
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    async connect() {
      const adapter = await connect();
      patchCatalogTypes(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      const database = `prisma_shadow_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ ...fields, database: "postgres" });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${database}"`);
      } finally {
        await admin.end();
      }
      const shadowFactory = new PrismaPg({ ...fields, database });
      const adapter = await shadowFactory.connect();
      patchCatalogTypes(adapter);
      const dispose = adapter.dispose.bind(adapter);
      return Object.assign(adapter, {
        async dispose() {
          await dispose();
          const dropper = new pg.Client({ ...fields, database: "postgres" });
          await dropper.connect();
          try {
            await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
          } finally {
            await dropper.end();
          }
        },
      });
    },
  });
}
