/** A cell of an HTML table: markup the caller built from escaped text; `numeric` right-aligns it. */
export interface HtmlCell {
  html: string;
  numeric?: boolean;
}

/** An HTML table; header texts are ours (escaped by the caller if they ever hold input), cells are ready markup. */
export function htmlTable(header: string[], rows: Array<Array<HtmlCell | string>>): string {
  const cell = (c: HtmlCell | string) =>
    typeof c === "string" ? `<td>${c}</td>` : `<td${c.numeric ? ' class="num"' : ""}>${c.html}</td>`;
  return [
    "<table>",
    `<thead><tr>${header.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</tbody>`,
    "</table>",
  ].join("");
}
