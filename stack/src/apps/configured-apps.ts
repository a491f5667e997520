import type { AppRunConfig, MigrationConfig } from "@strangler/migration-config";

/** An app the migration config names: the legacy app or a service, managed (it has `run`) or external. */
export interface ConfiguredApp {
  name: string;
  /** Where the proxy reaches it. */
  url: string;
  /** Its block in the config, for messages: `legacy` or `services[0]`. */
  configPath: string;
  /** Present: the stack starts it. */
  run?: AppRunConfig;
  /** Its DATABASE_URL: legacy.database, or the service's data.database. */
  databaseUrl?: string;
}

/** The legacy app, then each service, in config order (the stack starts them in this order). */
export function configuredApps(migration: MigrationConfig): ConfiguredApp[] {
  const { legacy } = migration;
  return [
    {
      name: legacy.name,
      url: legacy.url,
      configPath: "legacy",
      ...(legacy.run ? { run: legacy.run } : {}),
      ...(legacy.database ? { databaseUrl: legacy.database } : {}),
    },
    ...migration.services.map((service, index) => ({
      name: service.name,
      url: service.url,
      configPath: `services[${index}]`,
      ...(service.run ? { run: service.run } : {}),
      ...(service.data ? { databaseUrl: service.data.database } : {}),
    })),
  ];
}
