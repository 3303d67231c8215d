import { CheckedReply } from './checked-reply.js';
import type { HomeMessage } from './home-requests.js';
import type { Exchange } from './transport.js';
import { validateHomeReply } from './home-schema.js';

/**
 * A Clova Home extension's answer (spec clova-home-extension.md §1): always HTTP 200, the outcome is in
 * `header.name` (`…Confirmation`, `…Response`, or `…Error`). Checked against the cekit/home schemas:
 * the envelope, the reply name for the request, and its payload.
 */
export class HomeReply extends CheckedReply<HomeMessage> {
  constructor(request: HomeMessage, exchange: Exchange) {
    super(request, exchange, (body) => validateHomeReply(request.header.name, body));
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

  /**
   * True when the extension refused the request's account-linking token (`InvalidAccessTokenError` or
   * `ExpiredAccessTokenError`, §5): authentication failed, so nothing else about the request was judged.
   */
  get refusedAccessToken(): boolean {
    return this.name === 'InvalidAccessTokenError' || this.name === 'ExpiredAccessTokenError';
  }

  protected get requestName(): string {
    return this.request.header.name;
  }
}
