import request from "supertest";
import { createLogger } from "@strangler/service-kit";
import { createTestDatabase } from "../../../stack/src/testing/test-database";
import { createUsersServiceApp } from "../src/app";
import { createPrismaClient, type PrismaClient } from "../src/db/prisma-client";

describe("users service dry-run writes (x-strangler-dry-run: 1)", () => {
  let prisma: PrismaClient;
  let drop: () => Promise<void>;
  let app: ReturnType<typeof createUsersServiceApp>;

  beforeAll(async () => {
    const db = await createTestDatabase("users_service");
    drop = db.drop;
    prisma = createPrismaClient(db.url);
    app = createUsersServiceApp({ prisma, logger: createLogger("test", "silent") });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await drop?.();
  });

  const dry = (req: request.Test) => req.set("x-strangler-dry-run", "1");

  it("answers a dry-run create as the create would, and writes nothing", async () => {
    const res = await dry(request(app).post("/api/users")).send({ email: "dry@example.com", name: "Dry Run" });
    expect(res.status).toBe(201);
    expect(res.headers["x-strangler-dry-run"]).toBe("1");
    expect(res.body).toMatchObject({ email: "dry@example.com", name: "Dry Run", phone: null });
    expect(await prisma.userProfile.count()).toBe(0);
    expect((await request(app).get(`/api/users/${res.body.id}`)).status).toBe(404);
  });

  it("answers a dry-run duplicate with the same 409 as a real one", async () => {
    await request(app).post("/api/users").send({ email: "real@example.com", name: "Real One" }).expect(201);
    const res = await dry(request(app).post("/api/users")).send({ email: "real@example.com", name: "Other" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("EMAIL_TAKEN");
  });

  it("answers a dry-run update with the updated user but keeps the stored one", async () => {
    const user = (
      await request(app).post("/api/users").send({ email: "keep@example.com", name: "Keep Me" }).expect(201)
    ).body;
    const res = await dry(request(app).patch(`/api/users/${user.id}`)).send({ name: "Changed Name" });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("Changed Name");
    const stored = await prisma.userProfile.findUniqueOrThrow({ where: { userId: user.id } });
    expect(stored).toMatchObject({ firstName: "Keep", lastName: "Me", version: 1 });
  });

  it("answers a dry-run delete with 204 and keeps the user", async () => {
    const user = (await request(app).post("/api/users").send({ email: "stay@example.com", name: "Stay" }).expect(201))
      .body;
    expect((await dry(request(app).delete(`/api/users/${user.id}`))).status).toBe(204);
    expect((await request(app).get(`/api/users/${user.id}`)).status).toBe(200);
  });

  it("bumps the row version on every real update", async () => {
    const user = (await request(app).post("/api/users").send({ email: "ver@example.com", name: "Ver" }).expect(201))
      .body;
    await request(app).patch(`/api/users/${user.id}`).send({ phone: "+1 555 0199" }).expect(200);
    await request(app).patch(`/api/users/${user.id}`).send({ name: "Ver Two" }).expect(200);
    const stored = await prisma.userProfile.findUniqueOrThrow({ where: { userId: user.id } });
    expect(stored).toMatchObject({ version: 3, firstName: "Ver", lastName: "Two", phoneNumber: "+1 555 0199" });
  });
});
