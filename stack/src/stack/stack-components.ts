import { appComponents } from "../apps/app-definitions";
import { recordedAppComponents } from "../apps/recorded-apps";
import { createCdcComponent } from "../cdc/cdc-component";
import { loadStackMigrationConfig } from "../config/migration-config-env";
import type { StackConfig } from "../config/stack-config";
import { createConnectComponent } from "../kafka/connect-component";
import { createKafkaComponent } from "../kafka/kafka-component";
import { createPostgresComponent } from "../postgres/postgres-component";
import { createProxyComponent } from "../proxy/proxy-component";
import { createUnleashComponent } from "../unleash/unleash-component";
import type { Component } from "./component";

/**
 * The stack's components in start order (stopped in reverse): PostgreSQL, Kafka and Kafka Connect
 * with Debezium (only when the migration config's cdc.transport is "debezium"), Unleash (its flags
 * provisioned from the migration config), the apps the migration config names (managed ones
 * started, external ones probed), the proxy in front of them, and the CDC streams
 * between the apps' databases (last: a CDC failure leaves the rest up). With `forStop` (for `down`),
 * a config that does not load is no error, and managed apps the stack started but the config no
 * longer names are included, so nothing is left running.
 */
export function createStackComponents(config: StackConfig, options: { forStop?: boolean } = {}): Component[] {
  let apps: Component[] = [];
  try {
    apps = appComponents(config, loadStackMigrationConfig(config));
  } catch (error) {
    // `down` must still stop what runs when the config no longer loads.
    if (!options.forStop) throw error;
  }
  // For `down`: also the apps the stack started that the config no longer names.
  const strays = options.forStop
    ? recordedAppComponents(
        config,
        apps.map((app) => app.name),
      )
    : [];
  return [
    createPostgresComponent(config),
    createKafkaComponent(config),
    createConnectComponent(config),
    createUnleashComponent(config),
    ...strays,
    ...apps,
    createProxyComponent(config),
    createCdcComponent(config),
  ];
}
