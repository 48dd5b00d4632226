import { DataFactory } from 'n3';
import type { JsonInteractionHandlerInput, JsonRepresentation, JsonView } from '@solid/community-server';
import { ForbiddenHttpError, getLoggerFor, JsonInteractionHandler } from '@solid/community-server';
import { CLIENT_ADDRESS_PREDICATE } from './ClientAddressParser';
import type { LoginThrottle } from './LoginThrottle';
import type { RateLimitSettings } from './RateLimitSettings';
import { TooManyRequestsHttpError } from './TooManyRequestsHttpError';

const CLIENT_ADDRESS = DataFactory.namedNode(CLIENT_ADDRESS_PREDICATE);

/**
 * CSS's password login (`POST /.account/login/password/`), slowed down for an e-mail address that failed too often:
 * while the {@link LoginThrottle} says to wait, the attempt is answered `429` with `Retry-After` before the password
 * is checked; a wrong password counts as a failure, a successful login clears them. Replaces CSS's
 * `urn:solid-server:default:PasswordLoginHandler` and wraps the original.
 */
export class ThrottledPasswordLoginHandler extends JsonInteractionHandler implements JsonView {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param source - CSS's own password login handler (`PasswordLoginHandler`).
   * @param throttle - Counts failures and says how long to wait.
   * @param settings - Whether the limits are on.
   */
  public constructor(private readonly source: JsonInteractionHandler & JsonView, private readonly throttle: LoginThrottle,
    private readonly settings: RateLimitSettings) {
    super();
  }

  public async getView(input: JsonInteractionHandlerInput): Promise<JsonRepresentation> {
    return this.source.getView(input);
  }

  public async canHandle(input: JsonInteractionHandlerInput): Promise<void> {
    await this.source.canHandle(input);
  }

  public async handle(input: JsonInteractionHandlerInput): Promise<JsonRepresentation> {
    const email = emailOf(input.json);
    if (!this.settings.enabled || !email) {
      // Without an e-mail address CSS refuses the request as malformed; nothing to count.
      return this.source.handle(input);
    }
    const address = input.metadata.get(CLIENT_ADDRESS)?.value ?? 'unknown';
    const wait = await this.throttle.secondsToWait(email, address);
    if (wait) {
      throw new TooManyRequestsHttpError(`Too many failed logins for this e-mail address: the password is not ` +
        `checked for another ${wait} seconds. Try again then, or from where you logged in before.`, wait);
    }
    let result: JsonRepresentation;
    try {
      result = await this.source.handle(input);
    } catch (error: unknown) {
      if (ForbiddenHttpError.isInstance(error)) {
        this.logger.info(`Failed password login from ${address}.`);
        await this.throttle.recordFailure(email, address);
      }
      throw error;
    }
    await this.throttle.recordSuccess(email, address);
    return result;
  }
}

/** The e-mail address a login is for, as CSS compares it (trimmed, lower case). */
function emailOf(json: unknown): string | undefined {
  const email = (json as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim().length > 0 ? email.trim().toLowerCase() : undefined;
}
