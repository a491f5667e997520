import net from "node:net";
import { StackError } from "../errors/stack-error";

/** Whether `port` can be bound on `host` right now (EADDRINUSE → false). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The message for a port held by a process that is not ours; `variable` is an environment variable or a config setting. */
export function portInUseMessage(options: { component: string; host: string; port: number; variable: string }): string {
  const { component, host, port, variable } = options;
  return [
    `${component}: port ${port} on ${host} is already in use by a process the stack did not start.`,
    /^[A-Z][A-Z0-9_]*$/.test(variable)
      ? `  Set ${variable} to a free port (e.g. ${variable}=${port + 1000}), or stop the process that holds it.`
      : `  Change ${variable} to a free port (e.g. ${port + 1000}), or stop the process that holds it.`,
    `  Find it with: ss -ltnp 'sport = :${port}'   or   lsof -nP -iTCP:${port} -sTCP:LISTEN`,
  ].join("\n");
}

/** Throws STACK_PORT_IN_USE unless the port is free. */
export async function assertPortFree(options: {
  component: string;
  host: string;
  port: number;
  variable: string;
}): Promise<void> {
  if (!(await isPortFree(options.host, options.port))) {
    throw new StackError("STACK_PORT_IN_USE", portInUseMessage(options));
  }
}
