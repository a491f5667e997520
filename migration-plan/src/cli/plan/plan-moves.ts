import { parseArgs } from "node:util";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { ToolkitStoreError } from "@strangler/toolkit-store";
import { PlanError } from "../../plan/plan-error";
import type { PlanRunner } from "../../plan/runner/plan-runner";
import type { PlanEvent } from "../../plan/runner/plan-runner-types";
import { cdcUrlFor } from "../cdc/cdc-command";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { findToken } from "../cli-tokens";
import { openLivePlan, planActor } from "./live-plan";
import { formatAutoOutcome, formatPlanEvent, formatPlanOutcome } from "./plan-outcome-text";

/** Exit code of a step that holds (too little evidence yet): not a failure, not a move. */
export const EXIT_HELD = 3;

const COMMON = `  --service <name>   the service whose plan moves (needed when the config has several)
  --out <dir>        where parity runs and the cleanup script go [default ./strangler-plan]
  --json             print the outcome as JSON
  --config <file>    the migration config`;

export const NEXT_USAGE = `Usage: strangler plan next [--service <name>] [--dry-run] [--json] [--config <file>]

Measures the gates of the current step (from live sources: the shadow results and served traffic
the proxies write to the toolkit database, the last data parity run, the CDC process's status) and,
when they pass, does the next step's action and waits until every component confirms it. Idempotent:
after an interrupted run it finishes the pending action once. Every move goes to the audit log.
  --dry-run          print what it would do (the gates as measured now, the actions), change nothing
${COMMON}
Exit codes: 0 moved (or complete), ${EXIT_HELD} held (too little evidence yet), 1 a gate failed or an error, 2 usage.`;

export const ROLLBACK_USAGE = `Usage: strangler plan rollback [--service <name>] [--dry-run] [--json] [--config <file>]

Undoes the current step's action (or the interrupted one) and goes back one position: the canary to
its previous share, the write switch in reverse (both streams on, writes back to the monolith, the
service's writes seen quiet, the reverse stream off). Possible until the plan is complete.
  --dry-run          print what it would do, change nothing
${COMMON}
Exit codes: 0 rolled back, 1 nothing to roll back or an error, 2 usage.`;

export const AUTO_USAGE = `Usage: strangler plan auto [--service <name>] [--max-steps <n>] [--deadline <time>] [--json] [--config <file>]

Advances while the gates pass, waits while they hold (re-measuring every few seconds), and when a
gate fails at a step that exposed users (canary, write switch, decommission) rolls back one position
and stops; a failing shadow or data gate stops in place. Bounded by a number of moves and a deadline.
  --max-steps <n>    stop after n moves [default 100]
  --deadline <time>  stop after this long, e.g. 90s, 30m, 2h [default 1h]
${COMMON}
Exit codes: 0 complete or stopped at --max-steps, 1 failed or rolled back, ${EXIT_HELD} deadline reached, 2 usage.`;

/** "90s", "30m", "2h", "500ms" → ms. */
function parseDuration(text: string, usage: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match)
    throw new CliError(
      "STRANGLER_USAGE",
      `--deadline must be a time such as 90s, 30m or 2h, got "${text}"\n\n${usage}`,
    );
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * unit;
}

function pickService(config: MigrationConfig, configPath: string, name: string | undefined): string {
  const names = config.services.map((s) => s.name);
  if (name === undefined) {
    if (names.length === 1) return names[0] as string;
    throw new CliError(
      "STRANGLER_USAGE",
      `--service is needed: ${configPath} has several services (${names.join(", ")})`,
    );
  }
  if (!names.includes(name))
    throw new CliError(
      "STRANGLER_UNKNOWN_SERVICE",
      `no service "${name}" in ${configPath} (services: ${names.join(", ")})`,
    );
  return name;
}

/** A runner error as the CLI reports it (the code kept, retriable when running again may help). */
function asCliError(error: unknown): unknown {
  if (error instanceof PlanError)
    return new CliError("STRANGLER_PLAN_FAILED", `${error.code}: ${error.message}`, {
      cause: error,
      retriable: error.retriable,
    });
  if (error instanceof ToolkitStoreError && error.code === "TOOLKIT_STORE_LOCKED")
    return new CliError("STRANGLER_PLAN_LOCKED", `${error.message}; wait for it to finish, or stop it`, {
      cause: error,
      retriable: true,
    });
  return error;
}

export type OpenRunner = (options: Parameters<typeof openLivePlan>[0]) => {
  runner: PlanRunner;
  close: () => Promise<void>;
};

/** `strangler plan next | rollback | auto`. */
export async function runPlanMove(
  command: "next" | "rollback" | "auto",
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
  open: OpenRunner = openLivePlan,
): Promise<number> {
  const usage = command === "next" ? NEXT_USAGE : command === "rollback" ? ROLLBACK_USAGE : AUTO_USAGE;
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        service: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
        "max-steps": { type: "string" },
        deadline: { type: "string" },
        "dry-run": { type: "boolean" },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new CliError("STRANGLER_USAGE", `${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  const misplaced =
    command === "auto"
      ? values["dry-run"] !== undefined && "--dry-run (use 'plan next --dry-run')"
      : (values["max-steps"] !== undefined || values.deadline !== undefined) &&
        "--max-steps and --deadline (only 'plan auto' takes them)";
  if (misplaced) throw new CliError("STRANGLER_USAGE", `plan ${command} does not take ${misplaced}\n\n${usage}`);
  const configPath = configPathFor(environment, values.config);
  const config = loadMigrationConfig(configPath, environment.interpolation);
  const service = pickService(config, configPath, values.service);
  const json = values.json === true;
  const maxStepsText = values["max-steps"];
  const maxSteps = maxStepsText === undefined ? 100 : Number(maxStepsText);
  if (!Number.isInteger(maxSteps) || maxSteps < 1)
    throw new CliError("STRANGLER_USAGE", `--max-steps must be a whole number ≥ 1, got "${maxStepsText}"\n\n${usage}`);
  const deadlineText = values.deadline;
  const deadlineMs = deadlineText === undefined ? 3_600_000 : parseDuration(deadlineText, usage);
  const observe = json ? undefined : (event: PlanEvent) => io.out(`${formatPlanEvent(event, environment.color)}\n`);
  const { runner, close } = open({
    config,
    configPath,
    tokens: {
      unleashAdmin: () => findToken(environment, "unleashAdmin"),
      proxyAdmin: () => findToken(environment, "proxyAdmin"),
    },
    cdcUrl: cdcUrlFor(environment, values.config),
    actor: planActor(command),
    outDir: values.out,
    observe,
  });
  try {
    if (command === "auto") {
      const outcome = await runner.auto(service, { maxSteps, deadline: Date.now() + deadlineMs });
      io.out(`${json ? JSON.stringify(outcome) : formatAutoOutcome(outcome, environment.color)}\n`);
      return { done: 0, "max-steps": 0, deadline: EXIT_HELD, failed: 1, "rolled-back": 1 }[outcome.stoppedBecause];
    }
    const dryRun = values["dry-run"] === true;
    const outcome =
      command === "next" ? await runner.next(service, { dryRun }) : await runner.rollback(service, { dryRun });
    io.out(`${json ? JSON.stringify(outcome) : formatPlanOutcome(outcome, environment.color)}\n`);
    if (outcome.result === "held") return EXIT_HELD;
    return outcome.result === "failed" ? 1 : 0;
  } catch (error) {
    throw asCliError(error);
  } finally {
    await close();
  }
}
