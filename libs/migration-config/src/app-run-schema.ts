import path from "node:path";
import { z } from "zod";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variables the stack sets itself for a managed app; `run.env` cannot override them. */
export const STACK_APP_VARIABLES = ["PORT", "DATABASE_URL"] as const;

const argv = (example: string) =>
  z
    .array(z.string({ error: "each argument must be a string" }).min(1, { error: "an argument must not be empty" }), {
      error: `must be a command as a list of arguments (no shell), e.g. ${example}`,
    })
    .min(1, { error: `must name a program, e.g. ${example}` });

const envValue = z
  .union([z.string(), z.number(), z.boolean()], { error: "must be a string, a number or true/false" })
  .transform(String);

/**
 * How the stack runs an app itself ("managed"). Absent = "external": the user runs it at its url
 * and the stack only probes it.
 */
export const appRunSchema = z.strictObject({
  /** The program and its arguments, run without a shell. */
  command: argv("[node, --import, tsx, src/main.ts]"),
  /** Working directory, relative to the config file's folder (resolved to an absolute path when loaded). */
  cwd: z.string({ error: "must be a folder, relative to the config file" }).min(1).default("."),
  /** Run in `cwd` with the app's DATABASE_URL before it starts, e.g. [npx, prisma, migrate, deploy]. */
  migrate: argv("[npx, prisma, migrate, deploy]").optional(),
  /** Extra variables for the app; the stack also sets PORT (the url's port) and DATABASE_URL. */
  env: z
    .record(
      z.string().regex(ENV_NAME, { error: "must be an environment variable name (letters, digits, _)" }),
      envValue,
      {
        error: "must map variable names to values, e.g. { LOG_LEVEL: info }",
      },
    )
    .superRefine((env, ctx) => {
      for (const name of STACK_APP_VARIABLES) {
        if (name in env)
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `is set by the stack (from the app's url and database); remove it from run.env`,
          });
      }
    })
    .default({}),
  /** Path polled until it answers 2xx once the app has started. */
  health: z
    .string({ error: "must be a path such as /healthz" })
    .startsWith("/", { error: "must be a path starting with /, e.g. /healthz" })
    .default("/healthz"),
});

export type AppRunConfig = z.output<typeof appRunSchema>;

/** The same run block with `cwd` made absolute against the folder of the config file. */
export function resolveAppRun(run: AppRunConfig, configFile: string): AppRunConfig {
  return { ...run, cwd: path.resolve(path.dirname(path.resolve(configFile)), run.cwd) };
}
