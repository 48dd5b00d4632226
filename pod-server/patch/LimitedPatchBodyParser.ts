import type { BodyParserArgs, HttpRequest, Representation } from '@solid/community-server';
import { BadRequestHttpError, BodyParser, guardedStreamFrom } from '@solid/community-server';
// Not re-exported by CSS's index; the package has no `exports` map, so its own classes are imported directly.
import { PayloadHttpError } from '@solid/community-server/dist/util/errors/PayloadHttpError';
import { drainRequest } from '../http/drainRequest';
import { readBodyUpTo } from '../http/readBodyUpTo';
import { nestingDepthOf } from './nestingDepthOf';

/**
 * Reads a PATCH body (N3 Patch, SPARQL Update) within limits before CSS's parser sees it. CSS reads these bodies whole
 * and unbounded, and the SPARQL parser's time grows with the square of the nesting (a 120 KB update nested 17,000 deep
 * would hold the whole server for half an hour), so a body past `maxBytes` gets 413 and one nested deeper than
 * `maxDepth` gets 400; real patches nest a few levels.
 */
export class LimitedPatchBodyParser extends BodyParser {
  /**
   * @param source - CSS's parser for one patch format.
   * @param maxBytes - The largest body read.
   * @param maxDepth - The deepest nesting of `{ }`, `( )` and `[ ]` read.
   */
  public constructor(private readonly source: BodyParser, private readonly maxBytes: number, private readonly maxDepth: number) {
    super();
  }

  public async canHandle(input: BodyParserArgs): Promise<void> {
    return this.source.canHandle(input);
  }

  public async handle({ request, metadata }: BodyParserArgs): Promise<Representation> {
    const chunks = await readBodyUpTo(request, this.maxBytes);
    if (!chunks) {
      await drainRequest(request, 2 * this.maxBytes);
      throw new PayloadHttpError(`Patches are limited to ${this.maxBytes} bytes on this server.`);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (nestingDepthOf(text) > this.maxDepth) {
      throw new BadRequestHttpError(`The patch nests brackets more than ${this.maxDepth} levels deep, more than this server reads.`);
    }
    // CSS's parser reads the body from the request, which has been read: it gets the same text again.
    return this.source.handle({ request: guardedStreamFrom(text) as unknown as HttpRequest, metadata });
  }
}
