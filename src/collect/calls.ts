// Every AWS call the collector can make, and the one wrapper all calls go through: it
// refuses any command not listed here, bounds concurrency, counts calls and rounds.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { errorCode, safeMessage, type Sender } from '../aws/errors.js';
import { EarlierFailure, type Fact, type FactError, type NoneAnswer } from '../facts/define.js';
import { COLLECT_ITEMS } from '../facts/index.js';
import { answerInWords, isParseFailure, plainMessage } from '../snapshot/error-class.js';
import { SDK } from './sdk.js';
import type { RequestId } from '../snapshot/types.js';

export type { Sender } from '../aws/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandClass = abstract new (...args: any[]) => object;

/** The SDK class of a definition's call; a name the SDK module lacks is a bug, found at load. */
function commandClass(client: keyof typeof SDK, command: string): CommandClass {
  const found = (SDK[client] as unknown as Record<string, CommandClass | undefined>)[command];
  if (found === undefined) throw new Error(`@aws-sdk ${client} has no ${command} (src/facts/)`);
  return found;
}

/**
 * The only commands the collector may send, each with the IAM action it needs: the calls
 * the fact definitions (src/facts/) declare. The IAM action is not always the command's
 * name (ListObjectsV2 needs s3:ListBucket). The policy `lab-grader policy` prints is
 * derived from this map, and a test keeps every entry a Describe/List/Get/Lookup command.
 */
export const READ_CALLS: ReadonlyMap<CommandClass, string> = new Map<CommandClass, string>(
  COLLECT_ITEMS.flatMap((item) => item.calls.map((call) => [commandClass(call.client, call.command), call.action] as const)),
);

/** The IAM actions the collector can call, sorted: the least-privilege policy's actions. */
export function readActions(): string[] {
  return [...new Set(READ_CALLS.values())].sort();
}

/** A call not sent, or abandoned, because the grade's deadline (`--timeout`) passed: recorded on its fact. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('not read before the grade deadline (--timeout) passed');
    this.name = 'DeadlineExceeded';
  }
}

/** Thrown by the wrapper when code tries to send a command that is not in READ_CALLS: a bug. */
export class UnlistedCommandError extends Error {
  constructor(command: string) {
    super(`${command} is not a listed read-only call (src/collect/calls.ts READ_CALLS)`);
    this.name = 'UnlistedCommandError';
  }
}

// Remembers which IAM action a failed call was for, so the fact's error can name it.
const failedActions = new WeakMap<object, string>();

/**
 * The services whose first answered call's request id the snapshot keeps as provenance, in
 * the order it lists them: who called, and the lab's network, load balancer and containers.
 */
export const PROVENANCE_SERVICES: readonly string[] = ['sts', 'ec2', 'elasticloadbalancing', 'ecs'];

const REQUEST_ID = /^[A-Za-z0-9+/=_.:-]{1,128}$/;

/** The request id AWS returned with an answer (`$metadata.requestId`), if it is one. */
function requestIdOf(output: unknown): string | undefined {
  const metadata = (output as { $metadata?: { requestId?: unknown } } | null | undefined)?.$metadata;
  const id = metadata?.requestId;
  // Only the id's own shape is kept: never an access key id, never anything longer.
  return typeof id === 'string' && REQUEST_ID.test(id) && !/(AKIA|ASIA)[A-Z0-9]{16}/.test(id) ? id : undefined;
}

// CloudTrail LookupEvents allows 2 requests per second per account; stay under it.
const LOOKUP_EVENTS_PER_SECOND = 2;

/** Bounded concurrency for every call, and the counts the snapshot records. */
export class CallContext {
  calls = 0;
  /** Rounds that called: a call's round is one more than that of the answer it waited on. */
  rounds = 0;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly lookupStarts: number[] = [];
  private callsAtRoundStart = 0;
  /** The rounds of `inRound` views that called so far. */
  private readonly calledRounds = new Set<number>();
  /** The client each view sends through. */
  private readonly clientOf = new WeakMap<object, Sender>();
  private readonly firstRequestIds = new Map<string, RequestId>();

  constructor(
    readonly concurrency: number,
    /** Date.now() time after which no call is sent and calls in flight are abandoned. */
    readonly deadline?: number,
  ) {}

  /**
   * A view of `client` whose `send` goes through this context. It is derived from the
   * client so that the SDK's paginators, which check `instanceof`, accept it.
   */
  wrap<C extends Sender>(client: C): C {
    const wrapped = Object.create(client) as C;
    wrapped.send = (command: object) => this.send(client, command);
    this.clientOf.set(wrapped, client);
    return wrapped;
  }

  /**
   * A view of a wrapped client for a collection that starts each call once what it needs is
   * answered: its calls belong to round `round` (one more than the round of the answers they
   * waited on), and each such round that sends a call is counted once, as `round` counts a round.
   */
  inRound<C extends Sender>(round: number, wrapped: C): C {
    const client = this.clientOf.get(wrapped);
    if (client === undefined) throw new Error('CallContext.inRound takes a client this context wrapped');
    const view = Object.create(wrapped) as C;
    view.send = (command: object) => this.send(client, command, round);
    return view;
  }

  private async send(client: Sender, command: object, round?: number): Promise<unknown> {
    const action = READ_CALLS.get(command.constructor as CommandClass);
    if (action === undefined) throw new UnlistedCommandError(command.constructor.name);
    await this.acquire();
    try {
      if (command instanceof LookupEventsCommand) await this.paceLookupEvents();
      const left = this.deadline === undefined ? undefined : this.deadline - Date.now();
      if (left !== undefined && left <= 0) throw new DeadlineExceeded();
      this.calls += 1;
      this.countRound(round);
      // With a deadline the SDK aborts the request itself, so nothing is left running after it.
      const output: unknown =
        left === undefined
          ? await client.send(command)
          : await client.send(command, { abortSignal: AbortSignal.timeout(left) }).catch((error: unknown) => {
              throw Date.now() >= this.deadline! ? new DeadlineExceeded() : error;
            });
      this.noteRequestId(action, output);
      return output;
    } catch (error) {
      if (typeof error === 'object' && error !== null) failedActions.set(error, action);
      throw error;
    } finally {
      this.release();
    }
  }

  /** The request ids of the first answered call of each of PROVENANCE_SERVICES that was called. */
  requestIds(): RequestId[] {
    return PROVENANCE_SERVICES.flatMap((service) => {
      const first = this.firstRequestIds.get(service);
      return first ? [first] : [];
    });
  }

  private noteRequestId(action: string, output: unknown): void {
    const service = action.slice(0, action.indexOf(':'));
    if (!PROVENANCE_SERVICES.includes(service) || this.firstRequestIds.has(service)) return;
    const requestId = requestIdOf(output);
    if (requestId !== undefined) this.firstRequestIds.set(service, { call: action, requestId });
  }

  /**
   * Runs one round: independent tasks concurrently (each may page), all finished before
   * the next round starts. A round that sent no call is not counted.
   */
  async round(tasks: (() => Promise<unknown>)[]): Promise<void> {
    this.callsAtRoundStart = this.calls;
    await Promise.all(tasks.map((task) => task()));
    if (this.calls > this.callsAtRoundStart) this.rounds += 1;
  }

  private countRound(round: number | undefined): void {
    if (round === undefined || this.calledRounds.has(round)) return;
    this.calledRounds.add(round);
    this.rounds += 1;
  }

  private async paceLookupEvents(): Promise<void> {
    const now = Date.now();
    const recent = this.lookupStarts.filter((start) => now - start < 1000);
    if (recent.length >= LOOKUP_EVENTS_PER_SECOND) {
      const oldest = recent[recent.length - LOOKUP_EVENTS_PER_SECOND] ?? now;
      await new Promise((resolve) => setTimeout(resolve, oldest + 1000 - now));
    }
    this.lookupStarts.push(Date.now());
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.concurrency) {
      this.inFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }
}

/** What the SDK keeps of an answer it could not deserialize, on hidden fields of its error. */
interface UndeserializedAnswer {
  $response?: { statusCode?: unknown; headers?: Record<string, unknown> };
  $responseBodyText?: unknown;
}

/**
 * An answer the SDK could not read, in words (`HTTP 500 with an HTML page, not an AWS
 * response`): its parser's message and the SDK's advice to inspect a hidden field say nothing
 * to a person. The body itself is never kept.
 */
function undeserializedAnswer(error: unknown, text: string): string | undefined {
  const { $response: response, $responseBodyText: body } = (error ?? {}) as UndeserializedAnswer;
  if (response === undefined || !(isParseFailure(text) || typeof body === 'string')) return undefined;
  const contentType = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return answerInWords({
    ...(typeof response.statusCode === 'number' ? { status: response.statusCode } : {}),
    ...(typeof contentType === 'string' ? { contentType } : {}),
    ...(typeof body === 'string' ? { body: body.slice(0, 64) } : {}),
  });
}

/** The error to store on a fact: the IAM action of the call that failed, AWS's code and message. */
export function factError(error: unknown, fallbackAction: string): FactError {
  if (error instanceof EarlierFailure) return error.failure;
  const action = (typeof error === 'object' && error !== null && failedActions.get(error)) || fallbackAction;
  const raw = (error instanceof Error ? error.message : String(error)) || errorCode(error);
  const answer = undeserializedAnswer(error, raw);
  if (answer !== undefined) return { call: action, code: errorCode(error), message: answer };
  const text = plainMessage(raw);
  // A server fault's status tells an endpoint that broke from one that refused (the code alone may be `Unknown`).
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  const message = typeof status === 'number' && status >= 500 && !text.includes(String(status)) ? `${text} (HTTP ${status})` : text;
  return { call: action, code: errorCode(error), message: safeMessage(message) };
}

/**
 * Reads one fact: its data, `noneValue` when AWS answers with one of the `none` codes
 * (a valid "there is none"), or the error that stopped it. Bugs (unlisted commands) still throw.
 */
export async function readFact<T>(
  action: string,
  read: () => Promise<T>,
  none?: NoneAnswer<T>,
): Promise<Fact<T>> {
  try {
    return { ok: true, data: await read() };
  } catch (error) {
    if (error instanceof UnlistedCommandError) throw error;
    if (none && none.codes.includes(errorCode(error))) return { ok: true, data: none.value };
    return { ok: false, error: factError(error, action) };
  }
}
