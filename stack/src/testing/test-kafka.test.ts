import { testPortRange } from "./test-kafka";

describe("testPortRange", () => {
  it("picks the test ports below the kernel's ephemeral range, or above it when too little is left below", () => {
    expect(testPortRange("32768\t60999\n")).toEqual([10_000, 32_767]);
    expect(testPortRange("49152 65535")).toEqual([10_000, 49_151]);
    expect(testPortRange("1024 50000")).toEqual([50_001, 65_535]);
    expect(testPortRange("1024 65535")).toEqual([10_000, 65_535]);
    // Unreadable (not Linux): Linux's default range is assumed.
    expect(testPortRange(null)).toEqual([10_000, 32_767]);
  });
});
