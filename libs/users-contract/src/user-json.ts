/** A user as both the monolith and the users service return it. */
export interface UserJson {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A page of a list endpoint. */
export interface Page<T> {
  data: T[];
  page: { limit: number; offset: number; total: number };
}

/** Error codes of /api/users beside the generic VALIDATION_FAILED / NOT_FOUND ones. */
export const USER_ERROR_CODES = {
  emailTaken: "EMAIL_TAKEN",
} as const;
