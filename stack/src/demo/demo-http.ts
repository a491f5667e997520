/** A JSON answer of one demo call. */
export interface DemoResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Calls an app the way a client would, with a request id, and returns status and JSON body. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<DemoResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      "x-request-id": `demo-${Date.now().toString(36)}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null, headers: response.headers };
}

/** The call's outcome, or an error that says which call answered what. */
export async function expectStatus(
  response: Promise<DemoResponse>,
  expected: number,
  what: string,
): Promise<DemoResponse> {
  const result = await response;
  if (result.status !== expected) {
    throw new Error(`demo: ${what} answered ${result.status}, expected ${expected}: ${JSON.stringify(result.body)}`);
  }
  return result;
}
