/** The migration-plan package's public entry point: what other packages (the demo) may use. */
export { renderDiffReport, collectDiffReport, type DiffReportRequest } from "./cli/diff/diff-report";
export { formatDiffReport, type DiffReportTextOptions } from "./cli/diff/diff-report-text";
