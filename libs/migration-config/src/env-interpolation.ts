const REFERENCE_START = /\$\{([A-Z_][A-Z0-9_]*)(\}|:-)/y;

interface Expanded {
  value: string;
  /** Index just past what was read (past the closing brace when one was wanted). */
  end: number;
  missing: string[];
}

/**
 * Expands references from `start`; with `closing`, stops at the first `}` that closes no reference
 * of its own (the end of an enclosing default) and returns null when there is none.
 */
function expand(text: string, start: number, env: NodeJS.ProcessEnv, closing: boolean): Expanded | null {
  let value = "";
  const missing: string[] = [];
  let i = start;
  while (i < text.length) {
    if (closing && text[i] === "}") return { value, end: i + 1, missing };
    REFERENCE_START.lastIndex = i;
    const match = REFERENCE_START.exec(text);
    if (!match) {
      value += text[i];
      i += 1;
      continue;
    }
    const name = match[1] as string;
    const set = env[name];
    const defined = set !== undefined && set !== "";
    if (match[2] === "}") {
      if (!defined) missing.push(name);
      value += defined ? set : "";
      i += match[0].length;
      continue;
    }
    const fallback = expand(text, i + match[0].length, env, true);
    if (fallback === null) {
      // `${NAME:-…` never closed: not a reference.
      value += text[i];
      i += 1;
      continue;
    }
    if (defined) value += set;
    else {
      value += fallback.value;
      missing.push(...fallback.missing);
    }
    i = fallback.end;
  }
  return closing ? null : { value, end: i, missing };
}

/**
 * Replaces `${NAME}` and `${NAME:-default}` in a config text with environment values, so the same
 * file serves the local stack, docker-compose and a user's own ports. A default may hold further
 * references (`${DB_URL:-postgresql://127.0.0.1:${PG_PORT:-54329}/app}`); values are never expanded
 * again. An unset variable without a default is a problem the caller reports.
 */
export function interpolateEnv(text: string, env: NodeJS.ProcessEnv): { text: string; missing: string[] } {
  const result = expand(text, 0, env, false) as Expanded;
  return { text: result.value, missing: result.missing };
}
