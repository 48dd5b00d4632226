import { Initializer } from '@solid/community-server';
import type { ConsentIssuer } from './ConsentIssuer';

/** Makes sure the consent issuer's keys exist at start-up, so the JWKS is there before the first grant. */
export class ConsentKeysInitializer extends Initializer {
  public constructor(private readonly issuer: ConsentIssuer) {
    super();
  }

  public async handle(): Promise<void> {
    await this.issuer.getKeys();
  }
}
