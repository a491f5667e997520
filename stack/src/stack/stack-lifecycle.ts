import { unusedSlotWarnings } from "../cdc/slot-warnings";
import { strayAppNames } from "../apps/recorded-apps";
import type { StackConfig } from "../config/stack-config";
import { type DatabaseStatus, databaseStatuses } from "../postgres/database-status";
import { StackError } from "../errors/stack-error";
import type { Component, ComponentStatus, RestartOutcome, StartOutcome, StopOutcome } from "./component";
import { assertHomeNotLocked, claimHome, homeOwnerWarning, releaseHome } from "./home-lock";
import { type ProgressListener, silentProgress, trackStep } from "./progress";
import { createStackComponents } from "./stack-components";

export interface StackRunOptions {
  progress?: ProgressListener;
  /** Names of the components to act on (default: all). Dependencies are not added automatically. */
  only?: readonly string[];
  /** The components to use instead of createStackComponents(config) (tests). */
  components?: readonly Component[];
}

/** `status --json`: one entry per component, in stack order, and what needs attention. */
export interface StackStatus {
  components: Record<string, ComponentStatus>;
  /** The databases the migration config names: created by the stack or external. */
  databases: DatabaseStatus[];
  /** Replication slots of the toolkit that the migration config does not use (they keep WAL), each with the SQL that drops it. */
  warnings: string[];
}

function selectComponents(config: StackConfig, options: StackRunOptions, forStop = false): readonly Component[] {
  const all = options.components ?? createStackComponents(config, { forStop });
  if (!options.only || options.only.length === 0) return all;
  const known = all.map((component) => component.name);
  const unknown = options.only.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `unknown component ${unknown.join(", ")}; the stack has ${known.join(", ")}`,
    );
  }
  return all.filter((component) => options.only?.includes(component.name));
}

/** Starts the stack's components in order; each one already running is left alone. Stops at the first failure. */
export async function stackUp(
  config: StackConfig,
  options: StackRunOptions = {},
): Promise<Record<string, StartOutcome>> {
  const progress = options.progress ?? silentProgress;
  // Test components run from no home; the real stack takes its home first (ADR 0014).
  if (!options.components) claimHome(config);
  const outcomes: Record<string, StartOutcome> = {};
  for (const component of selectComponents(config, options)) outcomes[component.name] = await component.start(progress);
  return outcomes;
}

/** Stops the components in reverse order; keeps going after a failure and rethrows the first one at the end. */
export async function stackDown(
  config: StackConfig,
  options: StackRunOptions = {},
): Promise<Record<string, StopOutcome>> {
  const progress = options.progress ?? silentProgress;
  if (!options.components) assertHomeNotLocked(config);
  const outcomes: Record<string, StopOutcome> = {};
  const failures: unknown[] = [];
  for (const component of [...selectComponents(config, options, true)].reverse()) {
    try {
      outcomes[component.name] = await trackStep(progress, component.name, "stopping", () => component.stop());
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
  if (!options.components && (!options.only || options.only.length === 0)) releaseHome(config);
  return outcomes;
}

/**
 * Restarts the named components in stack order: those that can (the proxy) in place without
 * failing a request, the others by a stop and a start. Stops at the first failure.
 */
export async function stackRestart(
  config: StackConfig,
  options: StackRunOptions = {},
): Promise<Record<string, RestartOutcome>> {
  const progress = options.progress ?? silentProgress;
  if (!options.only || options.only.length === 0) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      "name the components to restart, e.g. `restart proxy` (`down` then `up` restarts everything)",
    );
  }
  if (!options.components) claimHome(config);
  const outcomes: Record<string, RestartOutcome> = {};
  for (const component of selectComponents(config, options)) {
    if (component.restart) outcomes[component.name] = await component.restart(progress);
    else {
      await trackStep(progress, component.name, "stopping", () => component.stop());
      outcomes[component.name] = await component.start(progress);
    }
  }
  return outcomes;
}

/**
 * The state of every component (url, pid, healthy, log; the apps managed or external), checked in
 * parallel, the config's databases (created or external), and the toolkit's unused replication
 * slots (not with test components, which have no databases).
 */
export async function stackStatus(
  config: StackConfig,
  options: Pick<StackRunOptions, "components"> = {},
): Promise<StackStatus> {
  const components = selectComponents(config, options);
  const [entries, warnings, databases] = await Promise.all([
    Promise.all(components.map(async (component) => [component.name, await component.status()] as const)),
    options.components ? Promise.resolve([]) : unusedSlotWarnings(config),
    options.components ? Promise.resolve([]) : databaseStatuses(config),
  ]);
  const owner = options.components ? null : homeOwnerWarning(config);
  const strays = options.components
    ? []
    : strayAppNames(
        config,
        components.map((component) => component.name),
      );
  const strayWarnings = strays.map(
    (name) => `${name} still runs but the migration config no longer names it: \`npm run stack -- down\` stops it`,
  );
  return {
    components: Object.fromEntries(entries),
    databases,
    warnings: [...(owner ? [owner] : []), ...strayWarnings, ...warnings],
  };
}
