// The AWS calls in flight across every client of a grade, for the progress line: which call
// waits, where it went, and since when. SDK-free, so the line is drawn before the SDK loads.

/** One call in flight: its action, when it started, and the endpoint it went to once known. */
export interface PendingCall {
  action: string;
  /** performance.now() when the call started. */
  startedAt: number;
  /** `https://sts.eu-west-1.amazonaws.com`, once the request is built. */
  endpoint?: string;
}

/** The calls in flight across every client of a grade, oldest first. */
export class PendingCalls {
  private readonly calls = new Set<PendingCall>();

  add(call: PendingCall): void {
    this.calls.add(call);
  }

  delete(call: PendingCall): void {
    this.calls.delete(call);
  }

  /** The call that has waited longest, if any is in flight. */
  oldest(): PendingCall | undefined {
    return this.calls.values().next().value;
  }

  get size(): number {
    return this.calls.size;
  }
}
