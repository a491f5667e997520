import { UnappliableEventError } from "../mapping/unappliable-event-error";
import { isTransientError } from "./transient-error";

const sqlError = (code: string): Error => Object.assign(new Error(`SQLSTATE ${code}`), { code });

describe("isTransientError", () => {
  it.each(["08006", "08003", "40001", "40P01", "53300", "57P01", "57014", "55P03"])(
    "treats SQLSTATE %s as transient (retry the batch)",
    (code) => {
      expect(isTransientError(sqlError(code))).toBe(true);
    },
  );

  it.each(["23505", "23502", "22P02", "22021", "42703", "55000"])(
    "treats SQLSTATE %s as the event's fault (dead-letter it)",
    (code) => {
      expect(isTransientError(sqlError(code))).toBe(false);
    },
  );

  it("treats lost connections without a SQLSTATE as transient", () => {
    expect(isTransientError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isTransientError(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isTransientError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
  });

  it("does not treat mapping errors or other client-side errors as transient", () => {
    expect(isTransientError(new UnappliableEventError("missing key column"))).toBe(false);
    expect(isTransientError(new TypeError("Do not know how to serialize a BigInt"))).toBe(false);
    expect(isTransientError(null)).toBe(false);
  });
});
