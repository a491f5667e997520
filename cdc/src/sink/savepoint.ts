import type { PoolClient } from "pg";

const SAVEPOINT = "strangler_event";

/** Runs `work` under a savepoint: a failure rolls back only `work`, the batch transaction goes on. */
export async function underSavepoint<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const result = await work();
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return result;
  } catch (error) {
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    throw error;
  }
}
