import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, SignJWT } from 'jose';
import type { InteractionRoute, JwkGenerator, NotificationEmitterInput } from '@solid/community-server';
import {
  getLoggerFor,
  isWebhook2023Channel,
  NotificationEmitter,
  NotImplementedHttpError,
  readableToString,
  trimTrailingSlashes,
} from '@solid/community-server';
import { findOutboundRefusal } from '../../consent';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

/**
 * Sends WebhookChannel2023 notifications as CSS 7.2's `WebhookEmitter` does (a DPoP-bound token of the server's
 * webhook WebID and a DPoP proof), but through the outbound guard: CSS's emitter calls `cross-fetch` directly, with
 * no way to inject a fetch, so it could be steered at private addresses by a `sendTo` that resolves to one later.
 * A refused delivery is logged and nothing is sent.
 */
export class GuardedWebhookEmitter extends NotificationEmitter {
  protected readonly logger = getLoggerFor(this);
  private readonly issuer: string;
  private readonly webId: string;
  private readonly expirationSeconds: number;

  /**
   * @param baseUrl - The FMP's base URL (the token's issuer).
   * @param webIdRoute - The route of the webhook WebID the token names.
   * @param jwkGenerator - The server's signing key.
   * @param guard - Where the FMP may send.
   * @param expiration - How long the token is valid, in minutes (CSS's default: 20).
   */
  public constructor(
    baseUrl: string,
    webIdRoute: InteractionRoute,
    private readonly jwkGenerator: JwkGenerator,
    private readonly guard: ServerOutboundGuard,
    expiration = 20,
  ) {
    super();
    this.issuer = trimTrailingSlashes(baseUrl);
    this.webId = webIdRoute.getPath();
    this.expirationSeconds = expiration * 60;
  }

  public async canHandle({ channel }: NotificationEmitterInput): Promise<void> {
    if (!isWebhook2023Channel(channel)) {
      throw new NotImplementedHttpError(`${channel.id} is not a WebhookChannel2023 channel.`);
    }
  }

  public async handle({ channel, representation }: NotificationEmitterInput): Promise<void> {
    const { sendTo } = channel as { sendTo: string };
    const body = await readableToString(representation.data);
    const contentType = representation.metadata.contentType;
    let response: Response;
    try {
      response = await this.guard.fetch(sendTo, {
        method: 'POST',
        headers: {
          ...contentType ? { 'content-type': contentType } : {},
          ...await this.createAuthorization(sendTo),
        },
        body,
      });
    } catch (error: unknown) {
      const refusal = findOutboundRefusal(error);
      if (refusal) {
        this.logger.warn(`Did not send a notification of channel ${channel.id}: ${refusal.message}`);
        return;
      }
      throw error;
    }
    if (response.status >= 400) {
      this.logger.error(`There was an issue emitting a Webhook notification with target ${sendTo}: ${await response.text()}`);
    }
  }

  /** The `authorization` and `dpop` headers, as CSS's WebhookEmitter makes them (a Solid-OIDC-like token). */
  private async createAuthorization(sendTo: string): Promise<{ authorization: string; dpop: string }> {
    const privateKey = await this.jwkGenerator.getPrivateKey();
    const publicKey = await this.jwkGenerator.getPublicKey();
    const privateKeyObject = await importJWK(privateKey);
    const keyThumbprint = await calculateJwkThumbprint(publicKey, 'sha256');
    // Token and proof share one timestamp.
    const time = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ webid: this.webId, azp: this.webId, sub: this.webId, cnf: { jkt: keyThumbprint }})
      .setProtectedHeader({ alg: privateKey.alg, kid: keyThumbprint })
      .setIssuedAt(time)
      .setExpirationTime(time + this.expirationSeconds)
      .setAudience([ this.webId, 'solid' ])
      .setIssuer(this.issuer)
      .setJti(randomUUID())
      .sign(privateKeyObject);
    const proof = await new SignJWT({ htu: sendTo, htm: 'POST' })
      .setProtectedHeader({ alg: privateKey.alg, jwk: publicKey, typ: 'dpop+jwt' })
      .setIssuedAt(time)
      .setJti(randomUUID())
      .sign(privateKeyObject);
    return { authorization: `DPoP ${token}`, dpop: proof };
  }
}
