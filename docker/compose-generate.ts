// `npm run compose:generate`: writes docker-compose.yml from docker/docker-compose.template.yml and
// the migration config (STRANGLER_CONFIG, default the example's).
import fs from "node:fs";
import path from "node:path";
import { COMPOSE_FILE, composeFileText } from "./compose-file";

const repoRoot = path.resolve(__dirname, "..");
const configFile = path.resolve(
  process.env.STRANGLER_CONFIG || path.join(repoRoot, "migration-plan", "strangler.config.yaml"),
);
fs.writeFileSync(path.join(repoRoot, COMPOSE_FILE), composeFileText(repoRoot, configFile));
process.stdout.write(`wrote ${COMPOSE_FILE} from ${path.relative(repoRoot, configFile)}\n`);
