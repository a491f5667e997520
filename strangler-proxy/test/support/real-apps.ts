import http from "node:http";
import type { AddressInfo } from "node:net";
import { monolithTarget, usersServiceTarget, type UsersApiTarget } from "../../../test/contract/users-api-targets";

/** The real monolith and users service on fresh test databases, listening on loopback ports. */
export interface RealApps {
  monolithUrl: string;
  usersServiceUrl: string;
  /** Rows in monolith.users / users_service.user_profiles, counted in the databases. */
  monolithRows(): Promise<number>;
  serviceRows(): Promise<number>;
  /** Closes the users service's server and drops its connections: the service is gone. */
  killUsersService(): Promise<void>;
  close(): Promise<void>;
}

async function listen(target: UsersApiTarget): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(target.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function stop(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startRealApps(): Promise<RealApps> {
  const cleanup: Array<() => Promise<void>> = [];
  try {
    const monolith = await monolithTarget.start();
    cleanup.push(() => monolith.close());
    const service = await usersServiceTarget.start();
    cleanup.push(() => service.close());
    const monolithHttp = await listen(monolith);
    cleanup.push(() => stop(monolithHttp.server));
    const serviceHttp = await listen(service);
    cleanup.push(() => stop(serviceHttp.server));
    return {
      monolithUrl: monolithHttp.url,
      usersServiceUrl: serviceHttp.url,
      monolithRows: () => monolith.countRows(),
      serviceRows: () => service.countRows(),
      killUsersService: () => stop(serviceHttp.server),
      close: async () => {
        for (const step of cleanup.reverse()) await step().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    throw error;
  }
}
