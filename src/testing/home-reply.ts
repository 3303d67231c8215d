import { issueProblem, parseJson, ReplyProblemError, wireProblems, type Problem } from './problems.js';
import type { HomeMessage } from './home-requests.js';
import type { Exchange } from './transport.js';
import { validateHomeReply } from './home-schema.js';

/**
 * A Clova Home extension's answer (spec clova-home-extension.md §1): always HTTP 200, the outcome is in
 * `header.name` (`…Confirmation`, `…Response`, or `…Error`). Checked against the cekit/home schemas:
 * the envelope, the reply name for the request, and its payload.
 */
export class HomeReply {
  readonly request: HomeMessage;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  readonly ms: number;
  readonly body: unknown;
  readonly problems: readonly Problem[];

  constructor(request: HomeMessage, exchange: Exchange) {
    this.request = request;
    this.status = exchange.status;
    this.headers = exchange.headers;
    this.rawBody = exchange.body;
    this.ms = exchange.ms;
    const problems = wireProblems(exchange.status, exchange.headers['content-type'], exchange.ms);
    const parsed = parseJson(exchange.body);
    if (parsed.ok) {
      this.body = parsed.value;
      if (exchange.status === 200)
        problems.push(...validateHomeReply(request.header.name, parsed.value).map(issueProblem));
    } else {
      problems.push(parsed.problem);
    }
    this.problems = problems;
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  private get message(): Partial<HomeMessage> {
    return typeof this.body === 'object' && this.body !== null ? (this.body as Partial<HomeMessage>) : {};
  }

  /** `TurnOnConfirmation`, `DiscoverAppliancesResponse`, `TargetOfflineError`, ... */
  get name(): string {
    return this.message.header?.name ?? '';
  }

  get payload(): Record<string, unknown> {
    return this.message.payload ?? {};
  }

  /** True when the extension answered with an error message (§5), e.g. `TargetOfflineError`. */
  get isError(): boolean {
    return this.name.endsWith('Error');
  }

  assertValid(): this {
    if (!this.ok) throw new ReplyProblemError(`The reply to ${this.request.header.name}`, this.problems);
    return this;
  }
}
