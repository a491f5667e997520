import { normaliseName } from "@strangler/users-contract";
import { joinName, splitName } from "./profile-mapping";

describe("name mapping between users.name and user_profiles.first_name/last_name", () => {
  it.each([
    ["Ada Lovelace", "Ada", "Lovelace"],
    ["Mary Ann Smith", "Mary", "Ann Smith"],
    ["Cher", "Cher", ""],
  ])("splits %j at the first space", (name, firstName, lastName) => {
    expect(splitName(name)).toEqual({ firstName, lastName });
  });

  it.each(["Ada Lovelace", "Mary Ann Smith", "Cher", "  Jean-Luc   Picard ", "Ｊｏｈｎ Ｄｏｅ", "a b c d e"])(
    "joins back to the normalised name for %j",
    (raw) => {
      const name = normaliseName(raw);
      const { firstName, lastName } = splitName(name);
      expect(joinName(firstName, lastName)).toBe(name);
    },
  );
});
