import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';
import type { ContainerKind } from '../../shapes/ContainerKind';
import { writeResource } from '../../shapes/access/podIo';
import type { PodItem } from './TargetAdapter';

/** The pod refused the bridge: its grant was revoked, expired or never made. The bridge stops for that member. */
export class GrantMissingError extends Error {
  public override readonly name = 'GrantMissingError';
}

/**
 * Reads and writes members' pod resources as the bridge, over HTTP with the bridge's own Solid-OIDC session, so the
 * pod server enforces the member's grant on every request and the shapes check every write.
 */
export class PodAccess {
  /** @param fetchFn - The bridge's authenticated fetch. */
  public constructor(private readonly fetchFn: typeof fetch) {}

  /** The resource as quads; `undefined` if there is none. */
  public async read(url: string): Promise<PodItem | undefined> {
    const response = await this.fetchFn(url, { headers: { accept: 'text/turtle' } });
    if (response.status === 404 || response.status === 410) {
      await response.arrayBuffer();
      return undefined;
    }
    const text = await response.text();
    this.assertAllowed(response, url, text);
    if (!response.ok) {
      throw new Error(`Could not read ${url}: ${response.status} ${text.split('\n')[0]}`);
    }
    return { url, quads: new Parser({ baseIRI: url }).parse(text) };
  }

  /** The documents a container holds (not its sub-containers). */
  public async listDocuments(container: string): Promise<string[]> {
    const item = await this.read(container);
    return (item?.quads ?? [])
      .filter((quad): boolean => quad.predicate.value === 'http://www.w3.org/ns/ldp#contains' && !quad.object.value.endsWith('/'))
      .map((quad): string => quad.object.value);
  }

  /** Writes the item, checked against the container's shapes first (nothing is sent if they are broken). */
  public async write(kind: ContainerKind, item: PodItem): Promise<void> {
    try {
      await writeResource(kind, item.url, item.quads as Quad[], { fetch: this.fetchFn });
    } catch (error: unknown) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 401 || status === 403) {
        throw new GrantMissingError(`The pod refused to let the bridge write ${item.url} (${status}).`, { cause: error });
      }
      throw error;
    }
  }

  /** Posts a JSON-LD message into a container (a member's inbox). */
  public async post(container: string, message: object): Promise<void> {
    const response = await this.fetchFn(container, { method: 'POST', headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify(message) });
    const text = await response.text();
    this.assertAllowed(response, container, text);
    if (!response.ok) {
      throw new Error(`Could not post to ${container}: ${response.status} ${text.split('\n')[0]}`);
    }
  }

  /** Removes a resource; one already gone is fine. */
  public async remove(url: string): Promise<void> {
    const response = await this.fetchFn(url, { method: 'DELETE' });
    const text = await response.text();
    if (response.status !== 404) {
      this.assertAllowed(response, url, text);
      if (!response.ok) {
        throw new Error(`Could not delete ${url}: ${response.status} ${text.split('\n')[0]}`);
      }
    }
  }

  private assertAllowed(response: Response, url: string, text: string): void {
    if (response.status === 401 || response.status === 403) {
      throw new GrantMissingError(`The pod refused the bridge access to ${url} (${response.status}: ${text.split('\n')[0]}).`);
    }
  }
}
