import { TEST_PG_URL_VARIABLE } from "../stack/src/config/stack-config";
import { startTestPostgres } from "../stack/src/testing/test-postgres";
import { ensureTestKafkaJars } from "../stack/src/testing/test-kafka";

/**
 * Starts the test run's PostgreSQL through the stack (home .strangler/test, port 54339, or the
 * server of STRANGLER_PG_URL), with migrated `monolith` and `users_service` template databases.
 * Test workers inherit the admin URL through the environment; see createTestDatabase().
 * Fetches the Kafka/Connect/Debezium jars once, before any test starts, so test files only read
 * the cache (a cold cache costs ≈60 MB from Maven Central, with progress on stderr).
 */
export default async function globalSetup(): Promise<void> {
  await ensureTestKafkaJars();
  process.env[TEST_PG_URL_VARIABLE] = await startTestPostgres();
}
