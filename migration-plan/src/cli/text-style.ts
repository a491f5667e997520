/** ANSI styles for the CLI's text output; every one is the identity when colours are off. */
export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** The styles for a terminal (`color`), or plain text for pipes, files and NO_COLOR. */
export function createTextStyle(color: boolean): TextStyle {
  if (!color) return { bold: plain, dim: plain, green: plain, yellow: plain, red: plain };
  return { bold: ansi(1, 22), dim: ansi(2, 22), green: ansi(32, 39), yellow: ansi(33, 39), red: ansi(31, 39) };
}
