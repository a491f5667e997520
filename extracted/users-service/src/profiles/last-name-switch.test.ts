import type { UserProfile } from "../db/prisma-client";
import { createProfilePresenter, isUppercasedUser } from "./last-name-switch";

const profile = (userId: string): UserProfile =>
  ({
    userId,
    emailAddress: `${userId}@example.com`,
    firstName: "Mary",
    lastName: "Ann Smith",
    phoneNumber: null,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-02T00:00:00Z"),
    version: 1,
  }) as UserProfile;

const ids = Array.from({ length: 4000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);

describe("USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES", () => {
  it("is off at 0: every answer is the plain mapping", () => {
    const present = createProfilePresenter(0);
    expect(ids.slice(0, 100).every((id) => present(profile(id)).name === "Mary Ann Smith")).toBe(true);
  });

  it("upper-cases the last name of the users the id hash picks, close to the share", () => {
    const present = createProfilePresenter(0.3);
    const names = ids.map((id) => present(profile(id)).name);
    const upper = names.filter((name) => name === "Mary ANN SMITH").length;
    expect(names.every((name) => name === "Mary ANN SMITH" || name === "Mary Ann Smith")).toBe(true);
    expect(upper / ids.length).toBeGreaterThan(0.27);
    expect(upper / ids.length).toBeLessThan(0.33);
    // The same users each time, and exactly those isUppercasedUser names: tests compute the expected share.
    expect(ids.filter((id) => isUppercasedUser(id, 0.3))).toHaveLength(upper);
    expect(createProfilePresenter(0.3)(profile(ids[7] as string)).name).toBe(names[7]);
  });

  it("picks everyone at 1", () => {
    expect(ids.every((id) => isUppercasedUser(id, 1))).toBe(true);
  });
});
