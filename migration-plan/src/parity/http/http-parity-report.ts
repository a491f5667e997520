import { DRY_RUN_HEADER } from "../../defaults";
import type { HttpParityCase, HttpParityReport } from "@strangler/ops-contract";

/** The run's document (`--json`), with warnings for writes a side answered without confirming the dry run. */
export function buildHttpParityReport(input: {
  config: string;
  corpus: string;
  startedAt: Date;
  finishedAt: Date;
  learntNoise: HttpParityReport["learntNoise"];
  warnings: readonly string[];
  cases: HttpParityCase[];
  junit: string | null;
}): HttpParityReport {
  const unconfirmed = input.cases.flatMap((c) =>
    (
      [
        ["legacy", c.answers.legacy],
        [c.service, c.answers.service],
      ] as const
    ).flatMap(([side, answer]) =>
      answer?.dryRunConfirmed === false
        ? [
            `${c.file}: ${side} answered the dry-run ${c.method} without ${DRY_RUN_HEADER}: 1 (check that it rolls the write back)`,
          ]
        : [],
    ),
  );
  const count = (outcome: HttpParityCase["outcome"]) => input.cases.filter((c) => c.outcome === outcome).length;
  return {
    config: input.config,
    corpus: input.corpus,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    learntNoise: input.learntNoise,
    warnings: [...input.warnings, ...unconfirmed],
    counts: {
      cases: input.cases.length,
      passed: count("passed"),
      failed: count("failed"),
      skipped: count("skipped"),
      errors: count("error"),
    },
    cases: input.cases,
    junit: input.junit,
  };
}

/** Exit code of a run: 0 when every case passed or was skipped, 1 on any difference or unreachable side. */
export function httpParityExitCode(report: HttpParityReport): 0 | 1 {
  return report.counts.failed > 0 || report.counts.errors > 0 ? 1 : 0;
}
