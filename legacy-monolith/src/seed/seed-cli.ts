import { parseArgs } from "node:util";
import { createPrismaClient } from "../db/prisma-client";
import { DEFAULT_SEED_OPTIONS, seedMonolith, type SeedOptions } from "./seed-monolith";

const HELP = `Usage: npm run seed --workspace legacy-monolith -- [options]

Replaces all data in the monolith database (DATABASE_URL) with deterministic generated data.

Options:
  --users <n>     users to create          (default ${DEFAULT_SEED_OPTIONS.users})
  --products <n>  products to create       (default ${DEFAULT_SEED_OPTIONS.products})
  --orders <n>    orders to create         (default ${DEFAULT_SEED_OPTIONS.orders})
  --seed <n>      random seed; same seed, same rows (default ${DEFAULT_SEED_OPTIONS.seed})
  -h, --help      show this help
`;

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${flag} must be a whole number ≥ 0, got "${value}"`);
  return Number(value);
}

function parseCommandLine(argv: string[]): SeedOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: "string" },
      products: { type: "string" },
      orders: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  return {
    users: wholeNumber("users", values.users, DEFAULT_SEED_OPTIONS.users),
    products: wholeNumber("products", values.products, DEFAULT_SEED_OPTIONS.products),
    orders: wholeNumber("orders", values.orders, DEFAULT_SEED_OPTIONS.orders),
    seed: wholeNumber("seed", values.seed, DEFAULT_SEED_OPTIONS.seed),
  };
}

async function main(): Promise<void> {
  const options = parseCommandLine(process.argv.slice(2));
  if (options === "help") {
    console.log(HELP);
    return;
  }
  // The one setting this CLI reads; the CLI is its own configuration boundary.
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("DATABASE_URL must be set to a postgresql:// URL of the monolith database");
  }
  const prisma = createPrismaClient(databaseUrl);
  try {
    console.log(
      `seeding ${options.users} users, ${options.products} products, ${options.orders} orders (seed ${options.seed})`,
    );
    const summary = await seedMonolith(prisma, options, ({ step, rows, ms }) => {
      const count = step === "truncate" ? "" : `${rows} rows`;
      console.log(`  ${step.padEnd(12)} ${count.padStart(12)} ${String(ms).padStart(7)} ms`);
    });
    console.log(`done in ${summary.ms} ms`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
