import { DataFactory } from 'n3';
import type { MoveDescription } from '../../../consent';
import { findOutboundRefusal } from '../../../consent';
import type { ServerOutboundGuard } from '../../outbound/ServerOutboundGuard';
import { parseRdf } from '../../../shapes/parseRdf';
import { ArchiveError } from '../ArchiveError';

const { namedNode } = DataFactory;
const LINKS_BACK = [ 'http://www.w3.org/2002/07/owl#sameAs', 'https://www.w3.org/ns/activitystreams#alsoKnownAs' ];
const STORAGE = 'http://www.w3.org/ns/pim/space#storage';
const INBOX = 'http://www.w3.org/ns/ldp#inbox';

/**
 * Checks the new WebID claims the old one before the old pod starts forwarding to it: its public profile must say
 * `owl:sameAs` or `as:alsoKnownAs` the old WebID and have the new pod as storage (Mastodon asks the same of a move's
 * target), so nobody can redirect a pod to a home its owner does not control.
 */
export class NewHomeChecker {
  /**
   * @param guard - Where the FMP may send: the new WebID is the member's say-so, so it must not reach private addresses.
   * @param timeoutMs - How long to wait for the new profile.
   */
  public constructor(private readonly guard: ServerOutboundGuard, private readonly timeoutMs = 10_000) {}

  /** The new WebID's inbox; throws 409 saying what the new profile lacks, 502 when it cannot be read. */
  public async check(move: MoveDescription): Promise<string> {
    const document = move.toWebId.split('#')[0];
    let text: string;
    let contentType: string;
    try {
      const response = await this.guard.fetch(document, { headers: { accept: 'text/turtle' }, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!response.ok) {
        throw new Error(`it answered ${response.status}`);
      }
      contentType = response.headers.get('content-type') ?? 'text/turtle';
      text = await response.text();
    } catch (error: unknown) {
      const refusal = findOutboundRefusal(error);
      if (refusal) {
        throw new ArchiveError(422, `Cannot read the new profile: ${refusal.message}`);
      }
      throw new ArchiveError(502, `Cannot read the new profile ${document}: ${(error as Error).message}.`);
    }
    const quads = await parseRdf(text, contentType, document);
    const about = (predicate: string): string[] => quads
      .filter((quad): boolean => quad.subject.equals(namedNode(move.toWebId)) && quad.predicate.value === predicate)
      .map((quad): string => quad.object.value);
    if (!LINKS_BACK.some((predicate): boolean => about(predicate).includes(move.fromWebId))) {
      throw new ArchiveError(409, `The new profile ${move.toWebId} does not name ${move.fromWebId} (owl:sameAs or ` +
        'as:alsoKnownAs); the old pod forwards only to a WebID that claims it.');
    }
    if (!about(STORAGE).includes(move.toPod)) {
      throw new ArchiveError(409, `The new profile ${move.toWebId} does not have ${move.toPod} as its storage.`);
    }
    return about(INBOX)[0] ?? `${move.toPod}inbox/`;
  }
}
