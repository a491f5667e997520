import { createHmac, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/** What the blog's tokens carry: the user nested under `user`, as many Rails/Django-style APIs do. */
export interface TokenClaims {
  user: { id: number };
  exp?: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

function signature(input: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(input).digest();
}

/** An HS256 JWT for `claims`, as the blog hands out to its users. */
export function signToken(claims: TokenClaims, secret: string): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${body}.${signature(body, secret).toString("base64url")}`;
}

/** The user id of a valid, unexpired HS256 token signed with `secret`; undefined for anything else. */
export function verifyToken(token: string, secret: string, nowSeconds = Date.now() / 1000): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [header, payload, sig] = parts as [string, string, string];
  const expected = signature(`${header}.${payload}`, secret);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: unknown }).alg;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<TokenClaims>;
    if (alg !== "HS256" || (typeof claims.exp === "number" && claims.exp <= nowSeconds)) return undefined;
    const id = claims.user?.id;
    return Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in user's id, set by requireToken. */
export function currentUserId(res: Response): number {
  return res.locals.userId as number;
}

/** Express middleware: `Authorization: Token <jwt>` or 401. */
export function requireToken(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = /^Token (\S+)$/i.exec(req.headers.authorization ?? "");
    const userId = match ? verifyToken(match[1] as string, secret) : undefined;
    if (userId === undefined) {
      res.status(401).set("www-authenticate", "Token").json({ error: "unauthorized" });
      return;
    }
    res.locals.userId = userId;
    next();
  };
}
