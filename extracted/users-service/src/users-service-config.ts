import { type HttpAppConfig, loadHttpAppConfig } from "@strangler/service-kit";
import { z } from "zod";

/** The users service's settings: the HTTP app's, and the switches only tests use. */
export interface UsersServiceConfig extends HttpAppConfig {
  /**
   * USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES (0–1, default 0 = off): for this share of users, chosen
   * by user id, answers show the last name upper-cased. A testing switch: it plants a known
   * difference for shadow mode's comparison to find. Never set it in production.
   */
  testUppercaseLastNames: number;
}

const testSwitches = z.object({
  USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES: z.coerce
    .number({ error: "must be a number from 0 to 1" })
    .min(0, { error: "must be a number from 0 to 1" })
    .max(1, { error: "must be a number from 0 to 1" })
    .default(0),
});

/** Reads the users service's environment once, at start-up; a bad value names the variable. */
export function loadUsersServiceConfig(env: NodeJS.ProcessEnv, defaultPort: number): UsersServiceConfig {
  const http = loadHttpAppConfig("users-service", env, defaultPort);
  const switches = testSwitches.safeParse({
    USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES: env.USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES || undefined,
  });
  if (!switches.success) {
    const problems = switches.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
    throw new Error(`users-service: invalid environment: ${problems}`);
  }
  return { ...http, testUppercaseLastNames: switches.data.USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES };
}
