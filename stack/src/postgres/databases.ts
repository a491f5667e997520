/** A database the stack creates, and the app folder whose Prisma migrations it applies there. */
export interface DatabaseDefinition {
  name: string;
  /** Repository-relative app folder holding prisma/schema.prisma and prisma/migrations; none = no migrations. */
  migrationsFrom?: string;
}

/** Every database of the stack; later components (unleash, cdc state) add theirs here. */
export const DATABASES: readonly DatabaseDefinition[] = [
  { name: "monolith", migrationsFrom: "legacy-monolith" },
  { name: "users_service", migrationsFrom: "extracted/users-service" },
  // Unleash migrates its own schema when it starts.
  { name: "unleash" },
];

/** Databases tests can clone with createTestDatabase(). */
export type TemplateDatabaseName = "monolith" | "users_service";
