import { createNodeAppComponent } from "../apps/node-app-component";
import { appDefinitions } from "../apps/app-definitions";
import type { StackConfig } from "../config/stack-config";
import { createPostgresComponent } from "../postgres/postgres-component";
import type { Component } from "./component";

/**
 * The stack's components in start order (stopped in reverse). Later issues insert unleash,
 * kafka, connect, cdc and the proxy here.
 */
export function createStackComponents(config: StackConfig): Component[] {
  return [createPostgresComponent(config), ...appDefinitions(config).map((app) => createNodeAppComponent(config, app))];
}
