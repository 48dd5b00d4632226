import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'koa';
import { getOperatorTokenPath } from './OperatorFiles';

/** Checks an `Authorization: Bearer` value against the operator token in the data folder. */
export class OperatorTokenChecker {
  /**
   * @param stateFolder - The FMP's state folder (`<data>/fmp`, outside the pods).
   */
  public constructor(private readonly stateFolder: string) {}

  /** Whether the header carries the operator token; any problem reading the token denies. */
  public async isOperator(authorization: string | undefined): Promise<boolean> {
    const presented = /^Bearer (\S+)$/u.exec(authorization ?? '')?.[1];
    if (!presented) {
      return false;
    }
    let token: Buffer;
    try {
      token = await readFile(getOperatorTokenPath(this.stateFolder));
    } catch {
      return false;
    }
    const given = Buffer.from(presented);
    return given.length === token.length && timingSafeEqual(given, token);
  }

  /** Lets an operator route through, or answers 401 saying what the route needs. */
  public async requireOperator(ctx: Context, purpose: string): Promise<void> {
    if (!await this.isOperator(ctx.get('authorization'))) {
      ctx.set('WWW-Authenticate', 'Bearer realm="fmp-operator"');
      ctx.throw(401, `${purpose} needs the operator token from the data folder.`);
    }
  }
}
