import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export interface HttpAppConfig {
  HOST: string;
  PORT: number;
  DATABASE_URL: string;
  LOG_LEVEL: (typeof LOG_LEVELS)[number];
}

/** Reads an app's settings (HOST, PORT, DATABASE_URL, LOG_LEVEL) from the environment, once. */
export function loadHttpAppConfig(app: string, env: NodeJS.ProcessEnv, defaultPort: number): HttpAppConfig {
  const schema = z.object({
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
    DATABASE_URL: z
      .string({ error: "is required" })
      .regex(/^postgres(ql)?:\/\//, { error: "must be a postgresql:// URL" }),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  });
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
  throw new Error(`${app}: invalid environment: ${problems}`);
}
