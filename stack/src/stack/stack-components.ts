import { appComponents } from "../apps/app-definitions";
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
 * between the apps' databases (last: a CDC failure leaves the rest up).
 */
export function createStackComponents(config: StackConfig): Component[] {
  return [
    createPostgresComponent(config),
    createKafkaComponent(config),
    createConnectComponent(config),
    createUnleashComponent(config),
    ...appComponents(config, loadStackMigrationConfig(config)),
    createProxyComponent(config),
    createCdcComponent(config),
  ];
}
