import { createProgressPrinter } from "./progress-printer";

function render(events: Parameters<ReturnType<typeof createProgressPrinter>>[0][]): string {
  let text = "";
  const print = createProgressPrinter((chunk) => (text += chunk));
  for (const event of events) print(event);
  return text;
}

describe("createProgressPrinter", () => {
  it("puts a step and its result on one line", () => {
    expect(
      render([
        { kind: "begin", label: "postgres", action: "starting" },
        { kind: "end", label: "postgres", result: "started", durationMs: 1234 },
      ]),
    ).toBe("postgres          starting… started (1.2 s)\n");
  });

  it("moves the result to its own line when a note came in between", () => {
    expect(
      render([
        { kind: "begin", label: "monolith", action: "starting" },
        { kind: "note", label: "monolith", message: "removed a stale pid file" },
        { kind: "fail", label: "monolith", durationMs: 50, error: new Error("x") },
      ]),
    ).toBe(
      "monolith          starting… \nmonolith          removed a stale pid file\nmonolith          failed (0.1 s)\n",
    );
  });
});
