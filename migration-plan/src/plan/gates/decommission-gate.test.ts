import { decommissionGate } from "./decommission-gate";

describe("decommissionGate", () => {
  const window = { windowSeconds: 86_400 };

  it("holds while the evidence does not cover the window yet, saying how long is left", () => {
    const gate = decommissionGate({ ...window, observedSeconds: 3_600, legacyRequests: 0, legacyWrites: 0 });
    expect(gate).toMatchObject({ verdict: "hold", figures: { observedSeconds: 3_600, windowSeconds: 86_400 } });
    expect(gate.message).toMatch(/for 3600 of the 86400 s of evidence needed \(82800 s to go\)/);
  });

  it("holds while a count is unknown, even past the window: no evidence is not evidence of absence", () => {
    const gate = decommissionGate({ ...window, observedSeconds: 90_000, legacyRequests: null, legacyWrites: 0 });
    expect(gate.verdict).toBe("hold");
    expect(gate.message).toMatch(/nothing counts the legacy requests on the service's routes yet/);
  });

  it("fails at once on legacy traffic or writes, naming the counts", () => {
    const traffic = decommissionGate({ ...window, observedSeconds: 600, legacyRequests: 3, legacyWrites: 0 });
    expect(traffic).toMatchObject({ verdict: "fail", figures: { legacyRequests: 3 } });
    expect(traffic.message).toMatch(/^3 legacy request\(s\) on the service's routes in the last 600 s/);
    const both = decommissionGate({ ...window, observedSeconds: 90_000, legacyRequests: 1, legacyWrites: 7 });
    expect(both.message).toMatch(/1 legacy request\(s\) on the service's routes and 7 legacy write\(s\) to its tables/);
  });

  it("passes once the whole window passed without legacy traffic or writes", () => {
    const gate = decommissionGate({ ...window, observedSeconds: 86_400, legacyRequests: 0, legacyWrites: 0 });
    expect(gate.verdict).toBe("pass");
    expect(gate.message).toMatch(/for 86400 s \(≥ 86400 s\)/);
  });
});
