import { createNodeAppComponent } from "../apps/node-app-component";
import { appDefinitions } from "../apps/app-definitions";
import { createCdcComponent } from "../cdc/cdc-component";
import type { StackConfig } from "../config/stack-config";
import { createPostgresComponent } from "../postgres/postgres-component";
import { createProxyComponent } from "../proxy/proxy-component";
import { createUnleashComponent } from "../unleash/unleash-component";
import type { Component } from "./component";

/**
 * The stack's components in start order (stopped in reverse): PostgreSQL, Unleash (its flags
 * provisioned from the migration config), the apps, the proxy in front of them, and the CDC streams
 * between the apps' databases (last: a CDC failure leaves the rest up). Later issues insert kafka
 * and connect here.
 */
export function createStackComponents(config: StackConfig): Component[] {
  return [
    createPostgresComponent(config),
    createUnleashComponent(config),
    ...appDefinitions(config).map((app) => createNodeAppComponent(config, app)),
    createProxyComponent(config),
    createCdcComponent(config),
  ];
}
