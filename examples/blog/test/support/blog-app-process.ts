import path from "node:path";
import { freeLoopbackPort } from "@strangler/stack";
import { startTsProcess, waitUntilHealthy, type RunningProcess } from "./child-process";

const MAIN = path.join(__dirname, "..", "..", "src", "main.ts");

/** The secret the blog processes of the tests sign and verify their tokens with. */
export const BLOG_TEST_SECRET = "blog-e2e-secret-0123456789";

export interface BlogAppProcess extends RunningProcess {
  url: string;
}

/** The blog's main.ts on a free loopback port and the given database, as a user (or the stack) runs it; waits for /healthz. */
export async function startBlogApp(databaseUrl: string): Promise<BlogAppProcess> {
  const port = await freeLoopbackPort();
  const running = startTsProcess(MAIN, {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    BLOG_TOKEN_SECRET: BLOG_TEST_SECRET,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(`${url}/healthz`, running);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return { ...running, url };
}
