import { Client } from "pg";
import request from "supertest";
import type { TestDatabase } from "../../../stack/src/testing/test-database";
import { createBlogApp, createPrismaClient, signToken, type PrismaClient } from "../src";
import { createBlogDatabase } from "./support/blog-database";

const SECRET = "blog-app-test-secret-0123";

// The blog on a database migrated by its own Prisma migrations: the schema is Prisma's default
// naming (what the toolkit must handle on a real Prisma monolith), and the API is what the proxy
// e2e test routes.
describe("the blog app (e2e, real PostgreSQL)", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let app: ReturnType<typeof createBlogApp>;
  const query = async <T extends object>(sql: string): Promise<T[]> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    db = await createBlogDatabase("blog_app");
    prisma = createPrismaClient(db.url);
    app = createBlogApp({ prisma, tokenSecret: SECRET });
  }, 120_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it("has Prisma's default naming: PascalCase tables, camelCase columns, a join table with A/B, a unique index and no primary key", async () => {
    const tables = await query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1",
    );
    expect(tables.map((row) => row.table_name)).toEqual(["Post", "Tag", "User", "_PostToTag"]);
    const columns = await query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('User', 'Post', '_PostToTag') ORDER BY 1, ordinal_position",
    );
    expect(columns.map((row) => `${row.table_name}.${row.column_name}`)).toEqual([
      "Post.id",
      "Post.title",
      "Post.content",
      "Post.published",
      "Post.authorId",
      "Post.createdAt",
      "User.id",
      "User.email",
      "User.name",
      "User.createdAt",
      "_PostToTag.A",
      "_PostToTag.B",
    ]);
    const constraints = await query<{ contype: string }>(
      `SELECT contype FROM pg_constraint WHERE conrelid = '"_PostToTag"'::regclass ORDER BY 1`,
    );
    expect(constraints.map((row) => row.contype)).toEqual(["f", "f"]);
    const indexes = await query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE tablename = '_PostToTag' AND indexdef LIKE 'CREATE UNIQUE%'`,
    );
    expect(indexes.map((row) => row.indexdef)).toEqual([
      'CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON public."_PostToTag" USING btree ("A", "B")',
    ]);
  });

  it("signs users up and shows a user by id", async () => {
    const created = await request(app).post("/api/users").send({ email: "ann@blog.test", name: "Ann" }).expect(201);
    expect(created.body).toMatchObject({ email: "ann@blog.test", name: "Ann" });
    expect(Number.isInteger(created.body.id)).toBe(true);
    await request(app)
      .get(`/api/users/${created.body.id}`)
      .expect(200, { ...created.body });
    await request(app).post("/api/users").send({ email: "ann@blog.test" }).expect(409);
    await request(app).get("/api/users/0").expect(404);
    await request(app).get("/api/users/abc").expect(404);
  });

  it("writes a post only with `Authorization: Token <jwt>` of a user, and links its tags in _PostToTag", async () => {
    const author = await prisma.user.create({ data: { email: "bob@blog.test" } });
    const post = { title: "Hello", published: true, tags: ["intro", "news"] };
    const jwt = signToken({ user: { id: author.id } }, SECRET);
    await request(app).post("/api/posts").send(post).expect(401);
    await request(app).post("/api/posts").set("authorization", `Bearer ${jwt}`).send(post).expect(401);
    await request(app)
      .post("/api/posts")
      .set("authorization", `Token ${signToken({ user: { id: author.id } }, "another-secret-0123456")}`)
      .send(post)
      .expect(401);
    const created = await request(app).post("/api/posts").set("authorization", `Token ${jwt}`).send(post).expect(201);
    expect(created.body).toMatchObject({ title: "Hello", author: { id: author.id }, tags: ["intro", "news"] });
    const links = await query<{ A: number; B: number }>(
      `SELECT "A", "B" FROM "_PostToTag" WHERE "A" = ${Number(created.body.id)}`,
    );
    expect(links).toHaveLength(2);
    const listed = await request(app).get("/api/posts?tag=news").expect(200);
    expect(listed.body.posts.map((p: { id: number }) => p.id)).toEqual([created.body.id]);
    await request(app).get(`/api/posts/${created.body.id}`).expect(200);
    await request(app).get("/api/users/me").set("authorization", `Token ${jwt}`).expect(200);
  });

  it("answers a malformed JSON body with 400", async () => {
    await request(app).post("/api/users").set("content-type", "application/json").send("{").expect(400);
  });
});
