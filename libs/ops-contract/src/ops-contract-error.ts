/** Stable codes of the operations contract's errors. */
export type OpsContractErrorCode =
  /** A response that is not JSON. */
  | "OPS_DOCUMENT_NOT_JSON"
  /** A JSON document that does not match its schema. */
  | "OPS_DOCUMENT_MISMATCH";

/** The one error type of @strangler/ops-contract: a document from `url` that is not what the contract says. */
export class OpsContractError extends Error {
  readonly code: OpsContractErrorCode;
  /** Where the document came from (a URL, or a name for documents passed in memory). */
  readonly source: string;
  /** The first field that does not match ("streams[0].lagSeconds"); "" for the whole document. */
  readonly field: string;
  /** A document of the wrong shape does not get better by asking again. */
  readonly retriable = false;

  constructor(
    code: OpsContractErrorCode,
    message: string,
    options: { source: string; field?: string; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "OpsContractError";
    this.code = code;
    this.source = options.source;
    this.field = options.field ?? "";
  }
}
