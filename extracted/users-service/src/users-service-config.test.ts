import { loadUsersServiceConfig } from "./users-service-config";

const base = { DATABASE_URL: "postgresql://u@127.0.0.1:1/users_service" };

describe("loadUsersServiceConfig", () => {
  it("leaves the testing switch off by default", () => {
    expect(loadUsersServiceConfig(base, 4102)).toMatchObject({ PORT: 4102, testUppercaseLastNames: 0 });
    expect(
      loadUsersServiceConfig({ ...base, USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES: "" }, 4102).testUppercaseLastNames,
    ).toBe(0);
  });

  it("reads the share of users whose last names are upper-cased", () => {
    expect(
      loadUsersServiceConfig({ ...base, USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES: "0.25" }, 4102).testUppercaseLastNames,
    ).toBe(0.25);
  });

  it.each(["1.5", "-0.1", "some"])("rejects %s naming the variable", (value) => {
    expect(() => loadUsersServiceConfig({ ...base, USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES: value }, 4102)).toThrow(
      /USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES must be a number from 0 to 1/,
    );
  });
});
