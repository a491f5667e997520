import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadHttpCorpus, parseCorpusCase } from "./load-http-corpus";

describe("loadHttpCorpus", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corpus-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };

  it("reads YAML and JSON case files recursively in path order, naming each after its file by default", () => {
    write("things/b-get.yaml", "method: get\npath: /things/1\nexpect: { status: 200 }\n");
    write(
      "things/a-list.yml",
      "name: all things\nmethod: GET\npath: /things?limit=5\nheaders: { Accept: application/json }\n",
    );
    write(
      "create.json",
      JSON.stringify({ method: "POST", path: "/things", body: { name: "x" }, compare: { ignore: ["/id"] } }),
    );
    write("notes.txt", "not a case");
    write(".hidden/skip.yaml", "nonsense: [");
    expect(loadHttpCorpus(dir)).toEqual([
      {
        name: "create",
        file: "create.json",
        method: "POST",
        path: "/things",
        headers: {},
        body: { name: "x" },
        expectStatus: undefined,
        ignore: ["/id"],
      },
      {
        name: "all things",
        file: "things/a-list.yml",
        method: "GET",
        path: "/things?limit=5",
        headers: { accept: "application/json" },
        body: undefined,
        expectStatus: undefined,
        ignore: [],
      },
      expect.objectContaining({ name: "b-get", file: "things/b-get.yaml", method: "GET", expectStatus: 200 }),
    ]);
  });

  it("names the folder when it does not exist or holds no case files", () => {
    expect(() => loadHttpCorpus(path.join(dir, "missing"))).toThrow(/corpus folder .*missing does not exist/);
    write("readme.md", "# nothing here");
    expect(() => loadHttpCorpus(dir)).toThrow(/has no case files/);
  });

  it("names the file and the YAML line of a file that does not parse", () => {
    write("users/broken.yaml", "method: GET\npath: [/x\n");
    expect(() => loadHttpCorpus(dir)).toThrow(/corpus file users\/broken\.yaml: not valid YAML \(line \d+\)/);
  });

  it.each([
    ["a missing method", "path: /x", "method: "],
    ["an unknown method", "method: FETCH\npath: /x", "method: must be one of GET, HEAD"],
    ["a path without its leading slash", "method: GET\npath: x/y", "path: must be a path starting with /"],
    ["a path with a space", "method: GET\npath: /a b", "path: must be a path starting with /"],
    ["an unknown field", "method: GET\npath: /x\nverb: GET", "(top level): Unrecognized key"],
    [
      "a header value that is not a string",
      "method: GET\npath: /x\nheaders: { x-n: 1 }",
      "headers.x-n: must be a string",
    ],
    [
      "a bad header name",
      "method: GET\npath: /x\nheaders: { 'bad name': v }",
      "headers.bad name: must be a header name",
    ],
    ["a status out of range", "method: GET\npath: /x\nexpect: { status: 99 }", "expect.status: "],
    [
      "an ignore that is not a JSON pointer",
      "method: GET\npath: /x\ncompare: { ignore: [id] }",
      "compare.ignore.0: must be a JSON pointer",
    ],
  ])("names the file and the field for %s", (_what, text, message) => {
    expect(() => parseCorpusCase(text, "users/case.yaml")).toThrow(`corpus file users/case.yaml: ${message}`);
  });

  it("names a JSON file that is not JSON as such", () => {
    expect(() => parseCorpusCase("{ method: GET }", "x.json")).toThrow(/corpus file x\.json: not valid JSON/);
  });
});
