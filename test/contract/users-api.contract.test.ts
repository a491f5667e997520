import request from "supertest";
import { monolithTarget, usersServiceTarget, type UsersApiTarget } from "./users-api-targets";

// One suite, two implementations: the proxy sends the same requests to either, so they must
// answer alike, error cases included.
describe.each([monolithTarget, usersServiceTarget])("/api/users contract: $name", (factory) => {
  let target: UsersApiTarget;
  const api = () => request(target.app);
  const create = (body: unknown) =>
    api()
      .post("/api/users")
      .send(body as object);

  beforeAll(async () => {
    target = await factory.start();
  });
  afterAll(async () => {
    await target?.close();
  });

  async function expectNothingWritten(action: () => Promise<unknown>): Promise<void> {
    const before = await target.countRows();
    await action();
    expect(await target.countRows()).toBe(before);
  }

  describe("create", () => {
    it("creates a user and returns it with normalised email and name", async () => {
      const res = await create({
        email: "Ada.Lovelace@Example.COM",
        name: "  Ada   King  Lovelace ",
        phone: "+44 20 7946 0958",
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: "ada.lovelace@example.com",
        name: "Ada King Lovelace",
        phone: "+44 20 7946 0958",
        createdAt: expect.any(String),
        updatedAt: res.body.createdAt,
      });
      const fetched = await api().get(`/api/users/${res.body.id}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(res.body);
    });

    it("keeps a single-word name as it is", async () => {
      const res = await create({ email: "cher@example.com", name: "Cher" });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: "Cher", phone: null });
    });

    it("rejects a duplicate email with 409 EMAIL_TAKEN, whatever its case, and writes nothing", async () => {
      await create({ email: "dup@example.com", name: "First Dup" }).expect(201);
      await expectNothingWritten(async () => {
        const res = await create({ email: "DUP@example.com", name: "Second Dup" });
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ code: "EMAIL_TAKEN", details: { field: "email" } });
        expect(res.body.error.message).toContain("dup@example.com");
      });
    });

    it.each([
      ["a missing required field", { email: "x1@example.com" }, "name", "is required"],
      ["a wrong type", { email: "x2@example.com", name: 42 }, "name", "must be a string"],
      ["an unknown field", { email: "x3@example.com", name: "X", admin: true }, "admin", "unknown field"],
      ["an invalid email", { email: "not-an-email", name: "X" }, "email", "must be an email address"],
      ["an empty name", { email: "x4@example.com", name: "   " }, "name", "must not be empty"],
      [
        "a malformed phone",
        { email: "x5@example.com", name: "X", phone: "call me" },
        "phone",
        "must be a phone number",
      ],
    ])("rejects %s with 400 naming the field and writes nothing", async (_case, body, field, message) => {
      await expectNothingWritten(async () => {
        const res = await create(body);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_FAILED");
        expect(res.body.error.message).toContain(`body.${field}`);
        expect(res.body.error.details.fields).toContainEqual(
          expect.objectContaining({ field, location: "body", message: expect.stringContaining(message) }),
        );
      });
    });

    it("rejects malformed JSON with 400 MALFORMED_JSON and writes nothing", async () => {
      await expectNothingWritten(async () => {
        const res = await api()
          .post("/api/users")
          .set("content-type", "application/json")
          .send('{"email": "a@b.c", "name": ');
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: "MALFORMED_JSON", details: { location: "body" } });
      });
    });

    it("rejects a body that is not a JSON object", async () => {
      const res = await api().post("/api/users").set("content-type", "application/json").send("[1,2]");
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    });

    it("rejects a body that is not JSON at all with 415", async () => {
      const res = await api().post("/api/users").set("content-type", "text/plain").send("email=a@b.c");
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    });

    it("rejects an oversized body with 413 and writes nothing", async () => {
      await expectNothingWritten(async () => {
        const res = await create({ email: "big@example.com", name: "Big", padding: "x".repeat(200 * 1024) });
        expect(res.status).toBe(413);
        expect(res.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { location: "body" } });
      });
    });
  });

  describe("read", () => {
    it("answers 404 NOT_FOUND for an unknown id", async () => {
      const id = "00000000-0000-4000-8000-000000000000";
      const res = await api().get(`/api/users/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: "NOT_FOUND", message: `user ${id} does not exist`, details: { resource: "user", id } },
      });
    });

    it("answers 400 for an id that is not a UUID", async () => {
      const res = await api().get("/api/users/42");
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toEqual([{ field: "id", location: "params", message: "must be a UUID" }]);
    });

    it("answers 404 ROUTE_NOT_FOUND for a path no route serves", async () => {
      const res = await api().get("/api/users/00000000-0000-4000-8000-000000000000/nothing-here");
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("ROUTE_NOT_FOUND");
    });
  });

  describe("list", () => {
    const prefix = `list-${Date.now()}`;
    beforeAll(async () => {
      for (const [i, name] of [
        "Grace Brewster Hopper",
        "Alan Turing",
        "Grace Kelly",
        "Barbara Liskov",
        "Edsger Dijkstra",
      ].entries()) {
        await create({ email: `${prefix}-${i}@example.org`, name }).expect(201);
      }
    });

    it("pages in creation order with limit, offset and total", async () => {
      const first = await api().get("/api/users").query({ email: prefix, limit: 2, offset: 0 });
      expect(first.status).toBe(200);
      expect(first.body.page).toEqual({ limit: 2, offset: 0, total: 5 });
      expect(first.body.data.map((u: { name: string }) => u.name)).toEqual(["Grace Brewster Hopper", "Alan Turing"]);
      const last = await api().get("/api/users").query({ email: prefix, limit: 2, offset: 4 });
      expect(last.body.data.map((u: { name: string }) => u.name)).toEqual(["Edsger Dijkstra"]);
    });

    it("searches the full name case-insensitively, across first and last name", async () => {
      const res = await api().get("/api/users").query({ email: prefix, name: "ACE BREW" });
      expect(res.body.data.map((u: { name: string }) => u.name)).toEqual(["Grace Brewster Hopper"]);
      const both = await api().get("/api/users").query({ email: prefix, name: "grace" });
      expect(both.body.page.total).toBe(2);
    });

    it("treats LIKE wildcards in a search as plain text", async () => {
      const res = await api().get("/api/users").query({ email: prefix, name: "%" });
      expect(res.body.page.total).toBe(0);
    });

    it.each([
      [{ limit: "0" }, "limit", "must be at least 1"],
      [{ limit: "101" }, "limit", "must be at most 100"],
      [{ offset: "-1" }, "offset", "must be a whole number"],
      [{ limit: "ten" }, "limit", "must be a whole number"],
      [{ sort: "name" }, "sort", "unknown field"],
    ])("rejects the query %j with 400 naming %s", async (query, field, message) => {
      const res = await api().get("/api/users").query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toContainEqual({ field, location: "query", message });
    });
  });

  describe("update and delete", () => {
    it("updates name, email and phone and moves updatedAt", async () => {
      const created = (await create({ email: "upd@example.com", name: "Old Name", phone: "+1 555 0100" }).expect(201))
        .body;
      const res = await api().patch(`/api/users/${created.id}`).send({ name: "New  Name Here", phone: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: created.id, email: "upd@example.com", name: "New Name Here", phone: null });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      expect((await api().get(`/api/users/${created.id}`)).body).toEqual(res.body);
    });

    it("rejects an update to a taken email with 409 and leaves the user unchanged", async () => {
      await create({ email: "taken@example.com", name: "Taken" }).expect(201);
      const other = (await create({ email: "other@example.com", name: "Other" }).expect(201)).body;
      const res = await api().patch(`/api/users/${other.id}`).send({ email: "taken@example.com" });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("EMAIL_TAKEN");
      expect((await api().get(`/api/users/${other.id}`)).body).toEqual(other);
    });

    it("rejects an empty update and an unknown field with 400", async () => {
      const user = (await create({ email: "empty-upd@example.com", name: "Empty" }).expect(201)).body;
      expect((await api().patch(`/api/users/${user.id}`).send({})).status).toBe(400);
      const unknown = await api().patch(`/api/users/${user.id}`).send({ role: "admin" });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details.fields).toContainEqual({
        field: "role",
        location: "body",
        message: "unknown field",
      });
    });

    it("answers 404 when updating or deleting an unknown id", async () => {
      const id = "00000000-0000-4000-8000-0000000000ff";
      expect((await api().patch(`/api/users/${id}`).send({ name: "Nobody" })).status).toBe(404);
      expect((await api().delete(`/api/users/${id}`)).status).toBe(404);
    });

    it("deletes a user, after which it is gone", async () => {
      const user = (await create({ email: "bye@example.com", name: "Bye" }).expect(201)).body;
      const res = await api().delete(`/api/users/${user.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect((await api().get(`/api/users/${user.id}`)).status).toBe(404);
    });
  });

  describe("plumbing", () => {
    it("echoes a request id it is given and makes one otherwise", async () => {
      const given = await api().get("/healthz").set("x-request-id", "abc-123");
      expect(given.headers["x-request-id"]).toBe("abc-123");
      const made = await api().get("/healthz");
      expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("is ready while its database answers and exposes Prometheus metrics", async () => {
      expect((await api().get("/readyz")).status).toBe(200);
      const metrics = await api().get("/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('http_requests_total{method="POST",route="/api/users",status="201"');
    });
  });
});
