import type { Quad } from '@rdfjs/types';
import type { ResourceStore } from '@solid/community-server';
import { BasicRepresentation, readableToString } from '@solid/community-server';
import { DataFactory } from 'n3';
import type { MoveDescription } from '../../../consent';
import { quadsToTurtle } from '../../../shapes/access/podIo';
import { parseRdf } from '../../../shapes/parseRdf';

const { namedNode, quad } = DataFactory;
const MOVED_TO = namedNode('https://www.w3.org/ns/activitystreams#movedTo');
const SAME_AS = namedNode('http://www.w3.org/2002/07/owl#sameAs');
const STORAGE = namedNode('http://www.w3.org/ns/pim/space#storage');
const INBOX = namedNode('http://www.w3.org/ns/ldp#inbox');

/**
 * Turns the old WebID profile into a pointer to the new home: `as:movedTo` and `owl:sameAs` the new WebID, and its
 * storage and inbox replaced by the new pod's (as Mastodon marks a moved account). The issuer stays, so the old WebID
 * can still log in here, e.g. to export what was left behind.
 */
export class MovedProfileWriter {
  /** @param store - CSS's resource store (below the auth layer). */
  public constructor(private readonly store: ResourceStore) {}

  /** Rewrites the profile document of `move.fromWebId`; running it twice gives the same document. */
  public async markMoved(move: MoveDescription, newInbox: string): Promise<void> {
    const document = move.fromWebId.split('#')[0];
    const current = await this.store.getRepresentation({ path: document }, { type: { 'text/turtle': 1 }});
    const quads = await parseRdf(await readableToString(current.data), 'text/turtle', document);
    const webId = namedNode(move.fromWebId);
    const replaced = new Set<string>([ MOVED_TO.value, SAME_AS.value, STORAGE.value, INBOX.value ]);
    const kept = quads.filter((kept): boolean => !(kept.subject.equals(webId) && replaced.has(kept.predicate.value)));
    const updated: Quad[] = [
      ...kept,
      quad(webId, MOVED_TO, namedNode(move.toWebId)),
      quad(webId, SAME_AS, namedNode(move.toWebId)),
      quad(webId, STORAGE, namedNode(move.toPod)),
      quad(webId, INBOX, namedNode(newInbox)),
    ];
    await this.store.setRepresentation({ path: document }, new BasicRepresentation(quadsToTurtle(updated), 'text/turtle'));
  }
}
