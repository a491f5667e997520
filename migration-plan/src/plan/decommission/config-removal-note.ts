import { redactDatabaseUrl, serveFlagName, type ServiceConfig, shadowFlagName } from "@strangler/migration-config";
import { stringify as stringifyYaml } from "yaml";

/**
 * The migration config lines to remove once a service is decommissioned, as a YAML note: its
 * routes (with the Unleash flags to archive) and its data section, shown as the config has them
 * (defaults filled in, the database password redacted). The service entry itself stays: it names
 * where the service runs.
 */
export function configRemovalNote(service: ServiceConfig, generatedAt: string): string {
  const routes = [...service.routes.reads, ...service.routes.writes];
  const remove = {
    services: [
      {
        name: service.name,
        routes: {
          reads: service.routes.reads.map(({ id, methods, path }) => ({ id, methods, path })),
          writes: service.routes.writes.map(({ id, methods, path }) => ({ id, methods, path })),
        },
        ...(service.data ? { data: { ...service.data, database: redactDatabaseUrl(service.data.database) } } : {}),
      },
    ],
  };
  const flags = routes.flatMap((route) => [serveFlagName(route.id), shadowFlagName(route.id)]);
  return [
    `# Strangler decommission of the service "${service.name}": the migration config lines to remove.`,
    `# Generated ${generatedAt}, with the cleanup scripts; remove them once those ran.`,
    "#",
    `# - services[name=${service.name}].routes: leave \`routes: {}\`. First make whatever sends traffic to the`,
    "#   proxy send these paths to the service directly: without its routes, the proxy sends them to the monolith.",
    `# - services[name=${service.name}].data: the CDC streams and data parity of the service stop with it.`,
    `# - the Unleash flags of the routes, to archive: ${flags.join(", ") || "(none)"}.`,
    "#",
    "# As the config has them now (defaults filled in, the database password redacted):",
    stringifyYaml(remove, { lineWidth: 0 }).trimEnd(),
    "",
  ].join("\n");
}
