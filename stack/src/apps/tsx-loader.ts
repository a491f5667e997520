import { pathToFileURL } from "node:url";
import { StackError } from "../errors/stack-error";

/** file: URL of tsx's loader for `node --import`, resolved from the repository (a root devDependency). */
export function tsxLoaderUrl(repoRoot: string): string {
  try {
    return pathToFileURL(require.resolve("tsx", { paths: [repoRoot] })).href;
  } catch (error) {
    throw new StackError(
      "STACK_BINARY_MISSING",
      `cannot find tsx from ${repoRoot}: run \`npm install\` at the repository root`,
      { cause: error },
    );
  }
}
