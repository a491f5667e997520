import request from "supertest";
import { startMonolithTestApp, type MonolithTestApp } from "./support/monolith-test-app";

// HTTP parity sends a corpus's writes with x-strangler-dry-run: 1 (legacy.dryRun in the migration
// config): the monolith answers as the write would, and keeps nothing.
let t: MonolithTestApp;

beforeAll(async () => {
  t = await startMonolithTestApp();
});

afterAll(async () => {
  await t?.close();
});

const DRY = { "x-strangler-dry-run": "1" };

async function createUser(email: string) {
  const res = await request(t.app).post("/api/users").send({ email, name: "Ada Lovelace" }).expect(201);
  return res.body as { id: string; email: string; name: string };
}

describe("users writes as dry runs", () => {
  it("answers a dry-run create with 201 and the user, says it was a dry run, and keeps nothing", async () => {
    const before = await t.prisma.user.count();
    const res = await request(t.app).post("/api/users").set(DRY).send({ email: "dry@example.test", name: "Dry Run" });
    expect(res.status).toBe(201);
    expect(res.headers["x-strangler-dry-run"]).toBe("1");
    expect(res.body).toMatchObject({ email: "dry@example.test", name: "Dry Run", id: expect.any(String) });
    expect(await t.prisma.user.count()).toBe(before);
  });

  it("answers a dry-run update with the changed user and leaves the row as it was", async () => {
    const user = await createUser("update-dry@example.test");
    const res = await request(t.app).patch(`/api/users/${user.id}`).set(DRY).send({ name: "Grace Hopper" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, name: "Grace Hopper" });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Ada Lovelace");
  });

  it("answers a dry-run delete with 204 and the user is still there", async () => {
    const user = await createUser("delete-dry@example.test");
    await request(t.app).delete(`/api/users/${user.id}`).set(DRY).expect(204);
    expect(await t.prisma.user.findUnique({ where: { id: user.id } })).not.toBeNull();
  });

  it("answers a dry run with the error the write would give: 409 for a taken email, 404 for an unknown id", async () => {
    const user = await createUser("taken@example.test");
    await request(t.app).post("/api/users").set(DRY).send({ email: user.email, name: "Someone Else" }).expect(409);
    await request(t.app)
      .patch("/api/users/00000000-0000-4000-8000-000000000000")
      .set(DRY)
      .send({ name: "Nobody" })
      .expect(404);
  });

  it("still writes without the header", async () => {
    const user = await createUser("real@example.test");
    await request(t.app).delete(`/api/users/${user.id}`).expect(204);
    expect(await t.prisma.user.findUnique({ where: { id: user.id } })).toBeNull();
  });
});
