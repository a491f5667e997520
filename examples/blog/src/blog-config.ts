/** The blog's settings, read once from the environment. */
export interface BlogConfig {
  host: string;
  port: number;
  databaseUrl: string;
  tokenSecret: string;
}

/** Port the blog listens on when PORT is not set. */
export const DEFAULT_PORT = 4201;

/** Reads HOST, PORT, DATABASE_URL and BLOG_TOKEN_SECRET; throws naming the variable that is wrong. */
export function loadBlogConfig(env: NodeJS.ProcessEnv): BlogConfig {
  const port = env.PORT ? Number(env.PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`blog: PORT must be a port number, got ${env.PORT}`);
  const databaseUrl = env.DATABASE_URL ?? "";
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error("blog: DATABASE_URL must be a postgresql:// URL");
  const tokenSecret = env.BLOG_TOKEN_SECRET ?? "";
  if (tokenSecret.length < 16)
    throw new Error("blog: BLOG_TOKEN_SECRET must be at least 16 characters (the HS256 secret of its tokens)");
  return { host: env.HOST || "127.0.0.1", port, databaseUrl, tokenSecret };
}
