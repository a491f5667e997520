import { joinParts, splitAtFirst } from "./name-split";

describe("splitting a name and joining it back", () => {
  it.each([
    ["Ada Lovelace", " ", ["Ada", "Lovelace"]],
    ["Ada King Lovelace", " ", ["Ada", "King Lovelace"]],
    ["Cher", " ", ["Cher", ""]],
    [" Ada", " ", ["", "Ada"]],
    ["Ada ", " ", ["Ada", ""]],
    ["", " ", ["", ""]],
    ["Lovelace, Ada, Countess", ", ", ["Lovelace", "Ada, Countess"]],
    ["Lovelace,Ada", ", ", ["Lovelace,Ada", ""]],
  ])("splits %p at the first %p into %p", (value, separator, parts) => {
    expect(splitAtFirst(value, separator)).toEqual(parts);
  });

  it.each([
    ["Ada", "Lovelace", " ", "Ada Lovelace"],
    ["Ada", "King Lovelace", " ", "Ada King Lovelace"],
    ["Lovelace", "Ada", ", ", "Lovelace, Ada"],
    ["Cher", "", " ", "Cher"],
    ["", "Ada", " ", " Ada"],
  ])("joins %p and %p with %p into %p", (first, second, separator, joined) => {
    expect(joinParts(first, second, separator)).toBe(joined);
  });

  it.each(["Ada Lovelace", "Grace Brewster Murray Hopper", "Cher", " Ada"])("round-trips %p", (name) => {
    const [first, second] = splitAtFirst(name, " ");
    expect(joinParts(first, second, " ")).toBe(name);
  });
});
