import { describeParityRunStore } from "../../test/parity-run-store-contract";
import { createFakeParityRunStore, type FakeParityRunStore } from "./fake-parity-run-store";

describe("the fake parity run store", () => {
  // One fake per test: every store a test opens is that one (two processes on one database).
  let fake: FakeParityRunStore | undefined;
  afterEach(() => {
    fake = undefined;
  });

  describeParityRunStore({
    async open({ now }) {
      fake ??= createFakeParityRunStore({ now });
      return fake;
    },
    async failDifferencesKeyed(store, marker) {
      (store as FakeParityRunStore).rejectDifference = (difference) => difference.key.includes(marker);
    },
    brokenTableDifferences: 5_000,
  });
});
