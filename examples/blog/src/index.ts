export { createBlogApp, type BlogAppDeps } from "./app";
export { loadBlogConfig, type BlogConfig } from "./blog-config";
export { createPrismaClient, type PrismaClient } from "./db/prisma-client";
export { signToken, verifyToken, type TokenClaims } from "./auth/token-auth";
