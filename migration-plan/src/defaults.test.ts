import { DRY_RUN_HEADER as KIT_DRY_RUN_HEADER, SHADOW_HEADER as KIT_SHADOW_HEADER } from "@strangler/service-kit";
import { DRY_RUN_HEADER, SHADOW_HEADER } from "./defaults";

describe("the CLI's copy of the traffic marker headers", () => {
  it("names the same headers the services read", () => {
    expect(DRY_RUN_HEADER).toBe(KIT_DRY_RUN_HEADER);
    expect(SHADOW_HEADER).toBe(KIT_SHADOW_HEADER);
  });
});
