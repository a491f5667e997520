/** What the stack reports while it works; the CLI turns these into terminal lines. */
export type ProgressEvent =
  | { kind: "begin"; label: string; action: string }
  | { kind: "end"; label: string; result: string; durationMs: number }
  | { kind: "fail"; label: string; durationMs: number; error: unknown }
  | { kind: "note"; label: string; message: string };

export type ProgressListener = (event: ProgressEvent) => void;

/** A listener that drops everything (library callers that want silence). */
export const silentProgress: ProgressListener = () => undefined;

/** Runs one step between begin and end/fail events; `run` returns the result word ("ok", "already running"). */
export async function trackStep<T extends string>(
  progress: ProgressListener,
  label: string,
  action: string,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  progress({ kind: "begin", label, action });
  try {
    const result = await run();
    progress({ kind: "end", label, result, durationMs: performance.now() - started });
    return result;
  } catch (error) {
    progress({ kind: "fail", label, durationMs: performance.now() - started, error });
    throw error;
  }
}
