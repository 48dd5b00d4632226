import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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
}
