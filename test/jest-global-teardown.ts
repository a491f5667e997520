import { stopTestPostgres } from "../stack/src/testing/test-postgres";

/** Stops the test run's PostgreSQL; jest runs this whether or not tests failed. */
export default async function globalTeardown(): Promise<void> {
  await stopTestPostgres();
}
