import type { UserJson } from "@strangler/users-contract";
import type { UserProfile } from "../db/prisma-client";

/**
 * Splits a normalised full name ("Mary Ann Smith") at its first space: first name "Mary",
 * last name "Ann Smith". Names are stored single-spaced, so joining gives the same name back.
 */
export function splitName(name: string): { firstName: string; lastName: string } {
  const space = name.indexOf(" ");
  return space < 0
    ? { firstName: name, lastName: "" }
    : { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
}

/** The full name of a profile, as the users API shows it. */
export function joinName(firstName: string, lastName: string): string {
  return lastName ? `${firstName} ${lastName}` : firstName;
}

/** The external shape of a profile: the same JSON the monolith returns for a user. */
export function toUserJson(profile: UserProfile): UserJson {
  return {
    id: profile.userId,
    email: profile.emailAddress,
    name: joinName(profile.firstName, profile.lastName),
    phone: profile.phoneNumber,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}
