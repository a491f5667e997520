import { interpolateEnv } from "./env-interpolation";

describe("environment references in the config text", () => {
  it("replaces ${NAME} with the variable's value", () => {
    expect(interpolateEnv("url: ${MONOLITH_URL}/api", { MONOLITH_URL: "http://m:1" })).toStrictEqual({
      text: "url: http://m:1/api",
      missing: [],
    });
  });

  it("prefers the variable to the default", () => {
    expect(interpolateEnv("port: ${PORT:-4100}", { PORT: "5100" })).toStrictEqual({ text: "port: 5100", missing: [] });
  });

  it("takes the default, with any characters but }, when the variable is unset or empty", () => {
    expect(interpolateEnv("url: ${URL:-http://127.0.0.1:4101/a-b}", {})).toStrictEqual({
      text: "url: http://127.0.0.1:4101/a-b",
      missing: [],
    });
    expect(interpolateEnv("port: ${PORT:-4100}", { PORT: "" })).toStrictEqual({ text: "port: 4100", missing: [] });
  });

  it("takes an empty default as a value, not as missing", () => {
    expect(interpolateEnv("x: '${X:-}'", {})).toStrictEqual({ text: "x: ''", missing: [] });
  });

  it("lists every unset variable without a default, in order, and leaves its place empty", () => {
    expect(interpolateEnv("a: ${A}\nb: ${B_2}\nc: ${C:-c}", { C: "" })).toStrictEqual({
      text: "a: \nb: \nc: c",
      missing: ["A", "B_2"],
    });
    expect(interpolateEnv("a: ${A}", { A: "" })).toStrictEqual({ text: "a: ", missing: ["A"] });
  });

  it("replaces every reference, several on one line", () => {
    expect(interpolateEnv("${H:-h}:${P:-1}/${H:-h}", { P: "2" })).toStrictEqual({ text: "h:2/h", missing: [] });
  });

  it.each(["${lower}", "${1ST}", "$NAME", "${NAME", "${NA-ME}", "${NAME:=x}"])(
    "leaves %p alone: not a reference",
    (text) => {
      expect(interpolateEnv(text, { lower: "x", "1ST": "x", NAME: "x", NA: "x" })).toStrictEqual({ text, missing: [] });
    },
  );

  it("accepts names that start with an underscore and hold digits", () => {
    expect(interpolateEnv("${_A1}", { _A1: "v" })).toStrictEqual({ text: "v", missing: [] });
  });
});

describe("references inside a default", () => {
  const text = "url: ${DB_URL:-postgresql://127.0.0.1:${PG_PORT:-54329}/app}";

  it("expands a reference in the default when the outer variable is unset", () => {
    expect(interpolateEnv(text, {})).toStrictEqual({ text: "url: postgresql://127.0.0.1:54329/app", missing: [] });
    expect(interpolateEnv(text, { PG_PORT: "55432" })).toStrictEqual({
      text: "url: postgresql://127.0.0.1:55432/app",
      missing: [],
    });
  });

  it("takes the outer variable as it is when it is set, and ignores the default's references", () => {
    expect(interpolateEnv(text, { DB_URL: "postgresql://db/x", PG_PORT: "1" })).toStrictEqual({
      text: "url: postgresql://db/x",
      missing: [],
    });
    expect(interpolateEnv("${A:-${B}}", { A: "a" })).toStrictEqual({ text: "a", missing: [] });
  });

  it("reports a variable missing in a default only when that default is used", () => {
    expect(interpolateEnv("${A:-x${B}y}", {})).toStrictEqual({ text: "xy", missing: ["B"] });
  });

  it("never expands a value again", () => {
    expect(interpolateEnv("${A}", { A: "${B:-b}", B: "x" })).toStrictEqual({ text: "${B:-b}", missing: [] });
  });

  it("leaves a default that is never closed alone", () => {
    expect(interpolateEnv("${A:-x ${B}", { B: "b" })).toStrictEqual({ text: "${A:-x b", missing: [] });
  });
});
