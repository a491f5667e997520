import type { ProgressEvent, ProgressListener } from "../stack/progress";

const LABEL_WIDTH = 18;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function pad(label: string): string {
  return label.length >= LABEL_WIDTH ? `${label} ` : label.padEnd(LABEL_WIDTH);
}

/**
 * Renders progress as `postgres          starting… ok (1.2 s)`. A step's result lands on its own
 * line when a note or another step printed in between.
 */
export function createProgressPrinter(write: (text: string) => void): ProgressListener {
  let open: string | null = null;
  const closeOpenLine = () => {
    if (open !== null) write("\n");
    open = null;
  };
  return (event: ProgressEvent) => {
    switch (event.kind) {
      case "begin":
        closeOpenLine();
        write(`${pad(event.label)}${event.action}… `);
        open = event.label;
        return;
      case "end":
      case "fail": {
        const result = event.kind === "end" ? event.result : "failed";
        if (open === event.label) write(`${result} (${seconds(event.durationMs)})\n`);
        else {
          closeOpenLine();
          write(`${pad(event.label)}${result} (${seconds(event.durationMs)})\n`);
        }
        open = null;
        return;
      }
      case "note":
        closeOpenLine();
        write(`${pad(event.label)}${event.message}\n`);
        return;
    }
  };
}
