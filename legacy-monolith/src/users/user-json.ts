import type { UserJson } from "@strangler/users-contract";
import type { User } from "../../generated/client";

/** The external shape of a user row. */
export function toUserJson(user: User): UserJson {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    phone: user.phone,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
