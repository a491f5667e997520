import { escapeLike } from "@strangler/service-kit";
import { Prisma } from "../../generated/client";
import type { PrismaClient, UserProfile } from "../db/prisma-client";

export interface ProfileSearch {
  email?: string;
  name?: string;
  limit: number;
  offset: number;
}

/** LIKE pattern for a case-insensitive substring match, with the caller's wildcards escaped. */
function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

function whereClause(search: ProfileSearch): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (search.email) conditions.push(Prisma.sql`email_address ILIKE ${containsPattern(search.email)}`);
  // The API searches the full name, which this table keeps in two columns.
  if (search.name)
    conditions.push(Prisma.sql`trim(first_name || ' ' || last_name) ILIKE ${containsPattern(search.name)}`);
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

/** One page of profiles in the API's order (created, then id) and the total that match. */
export async function searchProfiles(
  prisma: PrismaClient,
  search: ProfileSearch,
): Promise<{ rows: UserProfile[]; total: number }> {
  const where = whereClause(search);
  const [rows, counted] = await Promise.all([
    prisma.$queryRaw<UserProfile[]>`
      SELECT user_id AS "userId", email_address AS "emailAddress", first_name AS "firstName",
             last_name AS "lastName", phone_number AS "phoneNumber", created_at AS "createdAt",
             updated_at AS "updatedAt", version
      FROM user_profiles ${where}
      ORDER BY created_at, user_id
      LIMIT ${search.limit} OFFSET ${search.offset}`,
    prisma.$queryRaw<Array<{ total: bigint }>>`SELECT count(*) AS total FROM user_profiles ${where}`,
  ]);
  return { rows, total: Number(counted[0]?.total ?? 0) };
}
