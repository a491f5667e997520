import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { PARITY_CORPUS_MAX_FILE_BYTES } from "../../defaults";
import { CliError } from "../../cli/cli-error";
import { type CorpusCase, corpusCaseSchema } from "./corpus-case";

const CASE_FILE = /\.(ya?ml|json)$/i;

function badCorpus(file: string, message: string, cause?: unknown): CliError {
  return new CliError("STRANGLER_BAD_CORPUS", `corpus file ${file}: ${message}`, { cause });
}

/** The case files below `dir`, recursively, in a stable order; dot-files and dot-folders are left out. */
function caseFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    const entries = fs.readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && CASE_FILE.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function fieldOf(issuePath: ReadonlyArray<PropertyKey>): string {
  return issuePath.length === 0 ? "(top level)" : issuePath.map(String).join(".");
}

/** Parses and validates one case file's text; `file` is how errors name it. */
export function parseCorpusCase(text: string, file: string): CorpusCase {
  let document: unknown;
  try {
    document = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, maxAliasCount: 50 });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line})` : "";
    throw badCorpus(
      file,
      `not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}${where}: ${(error as Error).message.split("\n")[0]}`,
      error,
    );
  }
  const parsed = corpusCaseSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A record key's own problem is nested in an "invalid_key" issue.
    const message = issue?.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue?.message;
    throw badCorpus(file, issue ? `${fieldOf(issue.path)}: ${message}` : "not a corpus case");
  }
  const c = parsed.data;
  const base = path.basename(file).replace(CASE_FILE, "");
  return {
    name: c.name ?? base,
    file,
    method: c.method,
    path: c.path,
    headers: Object.fromEntries(Object.entries(c.headers).map(([name, value]) => [name.toLowerCase(), value])),
    body: c.body,
    expectStatus: c.expect?.status,
    ignore: c.compare?.ignore ?? [],
  };
}

/**
 * The corpus in folder `dir`: every *.yaml, *.yml and *.json file below it, one case each, in path
 * order. A missing folder, an unreadable or invalid file, or an empty corpus is a STRANGLER_BAD_CORPUS
 * error naming the file and the field.
 */
export function loadHttpCorpus(dir: string): CorpusCase[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    throw new CliError("STRANGLER_BAD_CORPUS", `the corpus folder ${dir} does not exist`, { cause: error });
  }
  if (!stat.isDirectory()) throw new CliError("STRANGLER_BAD_CORPUS", `the corpus ${dir} is not a folder`);
  const files = caseFiles(dir);
  if (files.length === 0)
    throw new CliError("STRANGLER_BAD_CORPUS", `the corpus folder ${dir} has no case files (*.yaml, *.yml, *.json)`);
  return files.map((full) => {
    const file = path.relative(dir, full).split(path.sep).join("/");
    if (fs.statSync(full).size > PARITY_CORPUS_MAX_FILE_BYTES)
      throw badCorpus(file, `larger than ${PARITY_CORPUS_MAX_FILE_BYTES} bytes: a case is one small request`);
    return parseCorpusCase(fs.readFileSync(full, "utf8"), file);
  });
}
