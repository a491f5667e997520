// Named write scenarios on the ledger fixture that must end equal on both transports with no dead
// letter: primary-key changes (one row, a swap, a chain, cascading into entries) and timestamps at
// the edges of their type inserted and then updated. Each is a list of transactions (SQL lists).

export interface LedgerScenario {
  name: string;
  transactions: string[][];
}

const account = (id: number, code: string, extra = "") =>
  `INSERT INTO accounts (id, code, holder, note, updated_at${extra ? ", opened_on, created_at, local_at" : ""}) VALUES (${id}, '${code}', 'Holder ${id}', 'note ${id}', '2026-01-01 00:00:00+00'${extra})`;

export const LEDGER_SCENARIOS: LedgerScenario[] = [
  {
    name: "a primary-key change (with the unique code changing too) moves the row and its entries",
    transactions: [
      [account(1, "a"), account(2, "b"), "INSERT INTO entries (id, account_id, amount) VALUES (1, 1, 10), (2, 1, 20)"],
      ["UPDATE accounts SET id = 7, code = 'z', updated_at = now() WHERE id = 1"],
      ["UPDATE accounts SET id = 8 WHERE id = 2"],
    ],
  },
  {
    name: "two keys swapped through a parking key in one transaction",
    transactions: [
      [account(1, "a"), account(2, "b"), "INSERT INTO entries (id, account_id, amount) VALUES (1, 1, 10), (2, 2, 20)"],
      [
        "UPDATE accounts SET id = 0 WHERE id = 1",
        "UPDATE accounts SET id = 1 WHERE id = 2",
        "UPDATE accounts SET id = 2 WHERE id = 0",
      ],
    ],
  },
  {
    name: "a chain of key changes in one transaction (3 → 4, 2 → 3, 1 → 2), then a new row at the freed key",
    transactions: [
      [
        account(1, "a"),
        account(2, "b"),
        account(3, "c"),
        "INSERT INTO entries (id, account_id, amount) VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3)",
      ],
      [
        "UPDATE accounts SET id = 4 WHERE id = 3",
        "UPDATE accounts SET id = 3 WHERE id = 2",
        "UPDATE accounts SET id = 2 WHERE id = 1",
        account(1, "d"),
      ],
    ],
  },
  {
    name: "a BC date and ±infinity timestamps survive the insert and later updates",
    transactions: [
      [
        account(1, "a", ", '4713-01-01 BC', '4713-01-01 00:00:00+00 BC', '-infinity'"),
        account(2, "b", ", 'infinity', 'infinity', 'infinity'"),
      ],
      [
        "UPDATE accounts SET holder = 'Renamed One', updated_at = now() WHERE id = 1",
        "UPDATE accounts SET holder = 'Renamed Two', updated_at = now() WHERE id = 2",
      ],
      ["UPDATE accounts SET updated_at = 'infinity', note = 'at infinity' WHERE id IN (1, 2)"],
      [
        "UPDATE accounts SET updated_at = '-infinity', note = 'back to -infinity' WHERE id = 1",
        "UPDATE accounts SET opened_on = '0044-03-15 BC', created_at = '-infinity' WHERE id = 2",
      ],
      ["UPDATE accounts SET holder = 'Third', updated_at = now() WHERE id IN (1, 2)"],
    ],
  },
];
