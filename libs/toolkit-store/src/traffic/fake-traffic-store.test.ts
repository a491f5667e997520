import { describeTrafficStore } from "../../test/traffic-store-contract";
import { createFakeTrafficStore, type FakeTrafficStore } from "./fake-traffic-store";

describe("the fake traffic store", () => {
  // One fake per test: every store a test opens is that one (two replicas on one database).
  let fake: FakeTrafficStore | undefined;
  afterEach(() => {
    fake = undefined;
  });

  describeTrafficStore({
    async open({ now }) {
      fake ??= createFakeTrafficStore({ now });
      return fake;
    },
  });
});
