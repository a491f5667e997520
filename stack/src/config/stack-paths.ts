import path from "node:path";

/** Where the stack keeps its state below STRANGLER_HOME. */
export interface StackPaths {
  home: string;
  logsDir: string;
  runDir: string;
  postgresDir: string;
  pgDataDir: string;
  /** initdb writes here first; renamed to pgDataDir only when complete. */
  pgInitDir: string;
  pgSocketDir: string;
  pgLogFile: string;
  /** Generated tokens (mode 700); never committed (the home is git-ignored). */
  secretsDir: string;
  /** The proxy's flag backup (last flags it saw from Unleash). */
  proxyStateDir: string;
}

/** The state layout for one STRANGLER_HOME. */
export function stackPaths(home: string): StackPaths {
  const postgresDir = path.join(home, "postgres");
  const logsDir = path.join(home, "logs");
  return {
    home,
    logsDir,
    runDir: path.join(home, "run"),
    postgresDir,
    pgDataDir: path.join(postgresDir, "data"),
    pgInitDir: path.join(postgresDir, "data.initdb-incomplete"),
    pgSocketDir: path.join(postgresDir, "run"),
    pgLogFile: path.join(logsDir, "postgres.log"),
    secretsDir: path.join(home, "secrets"),
    proxyStateDir: path.join(home, "proxy"),
  };
}

/** Log file of a component started by the stack. */
export function componentLogFile(home: string, name: string): string {
  return path.join(home, "logs", `${name}.log`);
}

/** Pid file of a component started by the stack. */
export function componentPidFile(home: string, name: string): string {
  return path.join(home, "run", `${name}.pid`);
}
