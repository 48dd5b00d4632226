import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDocumentLoader, IJsonLdContext } from 'jsonld-context-parser';
import { RdfSyntaxError } from './RdfSyntaxError';
import { findShapesDirectory } from './shapeFiles';

/** The URLs under which documents name the DFC 1.16.0 context, all served from the local copy. */
export const DFC_CONTEXT_URLS: readonly string[] = Object.freeze([
  'https://www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/context_1.16.0.jsonld',
  // Open Food Network's DFC API uses the w3id form.
  'https://w3id.org/dfc/ontology/context/context_1.16.0.json',
  // The Food Data Collaboration and the DFC connectors name the site itself (it serves the 1.16 context).
  'https://www.datafoodconsortium.org',
]);

/** Other well-known contexts kept in `shapes/contexts/`, so ordinary Solid messages (e.g. inbox notifications) parse. */
export const LOCAL_CONTEXT_FILES: Readonly<Record<string, string>> = Object.freeze({
  'https://www.w3.org/ns/activitystreams': 'activitystreams.jsonld',
  'https://www.w3.org/ns/solid/notification/v1': 'notification.jsonld',
});

/**
 * Thrown when a JSON-LD document names a remote context that is not available offline.
 * It is an {@link RdfSyntaxError} (without a position), so callers answer it with 400 like any bad body.
 */
export class RemoteContextRefusedError extends RdfSyntaxError {
  public override readonly name: string = 'RemoteContextRefusedError';

  /** @param url - The context URL that was refused. */
  public constructor(public readonly url: string) {
    super(`Remote JSON-LD context ${url} is not allowed: only the DFC 1.16.0 context ` +
      `(${DFC_CONTEXT_URLS.join(', ')}) and ${Object.keys(LOCAL_CONTEXT_FILES).join(', ')} are available; ` +
      'inline other contexts in the document.', 'application/ld+json');
  }
}

/**
 * A JSON-LD document loader that never touches the network: it serves the DFC 1.16.0 context from
 * `shapes/dfc/` and the contexts in `shapes/contexts/`, and refuses every other remote context with a
 * {@link RemoteContextRefusedError}.
 * Fetching contexts while handling a write would let any document make the server call out.
 */
export class DfcDocumentLoader implements IDocumentLoader {
  private context?: IJsonLdContext;
  private readonly others = new Map<string, IJsonLdContext>();

  /** @param contextFile - Path of the local DFC context copy. */
  public constructor(
    private readonly contextFile: string = join(findShapesDirectory(), 'dfc', 'context_1.16.0.json'),
  ) {}

  /** Returns the local DFC context for a known DFC URL; rejects any other URL. */
  public async load(url: string): Promise<IJsonLdContext> {
    const other = LOCAL_CONTEXT_FILES[url];
    if (other) {
      if (!this.others.has(url)) {
        this.others.set(url, JSON.parse(readFileSync(join(findShapesDirectory(), 'contexts', other), 'utf8')) as IJsonLdContext);
      }
      return this.others.get(url)!;
    }
    if (!DFC_CONTEXT_URLS.includes(url)) {
      throw new RemoteContextRefusedError(url);
    }
    this.context ??= JSON.parse(readFileSync(this.contextFile, 'utf8')) as IJsonLdContext;
    return this.context;
  }
}
