import type { Issue } from '../schema/index.js';
import { issueProblem, parseJson, ReplyProblemError, wireProblems, type Problem } from './problems.js';
import type { Exchange } from './transport.js';

/**
 * What every reply the harness returns has in common, Custom or Clova Home: the wire exchange, the
 * parsed body, and every problem CEK would find with it (status, media type, JSON, the schema of the
 * kind of reply, the 8 s deadline).
 */
export abstract class CheckedReply<R> {
  /** The request that was sent. */
  readonly request: R;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as received. */
  readonly rawBody: string;
  /** Time to the whole answer, in ms. */
  readonly ms: number;
  /** The parsed body (undefined when it was not JSON). */
  readonly body: unknown;
  /** Everything wrong with the answer; empty when CEK would accept it. */
  readonly problems: readonly Problem[];

  protected constructor(request: R, exchange: Exchange, schemaIssues: (body: unknown) => readonly Issue[]) {
    this.request = request;
    this.status = exchange.status;
    this.headers = exchange.headers;
    this.rawBody = exchange.body;
    this.ms = exchange.ms;
    const problems = wireProblems(exchange.status, exchange.headers['content-type'], exchange.ms);
    const parsed = parseJson(exchange.body);
    if (parsed.ok) {
      this.body = parsed.value;
      // A refusal (4xx JSON error) is reported by its status; schema issues would only add noise.
      if (exchange.status === 200) problems.push(...schemaIssues(parsed.value).map(issueProblem));
    } else {
      problems.push(parsed.problem);
    }
    this.problems = problems;
  }

  /** True when CEK would accept the answer. */
  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** Throws a `ReplyProblemError` listing every problem; returns the reply when there is none. */
  assertValid(): this {
    if (!this.ok) throw new ReplyProblemError(`The reply to ${this.requestName}`, this.problems);
    return this;
  }

  /** How the request is named in error messages. */
  protected abstract get requestName(): string;
}
