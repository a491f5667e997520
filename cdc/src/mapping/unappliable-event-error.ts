/** An event the sink cannot apply (no mapping, missing key): it is dead-lettered, never retried. */
export class UnappliableEventError extends Error {
  readonly code = "CDC_UNAPPLIABLE_EVENT";
  /** Retrying cannot help: the event itself is the problem. */
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = "UnappliableEventError";
  }
}
