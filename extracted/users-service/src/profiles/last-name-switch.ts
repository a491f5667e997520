import { createHash } from "node:crypto";
import type { UserJson } from "@strangler/users-contract";
import type { UserProfile } from "../db/prisma-client";
import { toUserJson } from "./profile-mapping";

/** Buckets users are spread over: a share is applied in steps of 1/1000. */
const BUCKETS = 1000;

/**
 * Whether the test switch applies to a user: hash(id) mod 1000 < share × 1000, so a test can
 * compute which of its users are affected and the expected share.
 */
export function isUppercasedUser(userId: string, share: number): boolean {
  const bucket = createHash("sha256").update(userId, "utf8").digest().readUInt32BE(0) % BUCKETS;
  return bucket < Math.round(share * BUCKETS);
}

/**
 * How a profile is answered: the users API's JSON, with the last name upper-cased for `share` of
 * the users (USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES, a testing switch; 0 = the plain mapping).
 */
export function createProfilePresenter(share: number): (profile: UserProfile) => UserJson {
  if (share <= 0) return toUserJson;
  return (profile) =>
    isUppercasedUser(profile.userId, share)
      ? toUserJson({ ...profile, lastName: profile.lastName.toUpperCase() })
      : toUserJson(profile);
}
