/**
 * The JSON:API shapes farmOS speaks (Drupal core's JSON:API module), typed as far as the bridge uses them.
 * Media type: `application/vnd.api+json`.
 */

/** The media type of every farmOS JSON:API request and answer. */
export const JSON_API = 'application/vnd.api+json';

/** A reference to another resource, e.g. `{ type: 'taxonomy_term--unit', id: '…' }`. */
export interface ResourceIdentifier {
  readonly type: string;
  readonly id: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A relationship: one reference, a list, or none. */
export interface Relationship {
  readonly data: ResourceIdentifier | readonly ResourceIdentifier[] | null;
}

/** One resource object (`asset--land`, `log--harvest`, `quantity--standard`, …). */
export interface Resource {
  readonly type: string;
  readonly id: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly relationships?: Readonly<Record<string, Relationship>>;
  readonly links?: Readonly<Record<string, unknown>>;
}

/** A JSON:API document as farmOS answers: one resource or a page of them, what `include` asked for, and paging links. */
export interface JsonApiDocument {
  readonly data: Resource | readonly Resource[] | null;
  readonly included?: readonly Resource[];
  readonly links?: Readonly<Record<string, { readonly href: string } | undefined>>;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A JSON:API error document's error object, as Drupal writes them. */
export interface JsonApiError {
  readonly status?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly source?: { readonly pointer?: string; readonly parameter?: string };
}

/** The identifiers of a relationship, as a list (none for `null` or a missing relationship). */
export function identifiersOf(resource: Resource, field: string): ResourceIdentifier[] {
  const data = resource.relationships?.[field]?.data;
  if (!data) {
    return [];
  }
  return Array.isArray(data) ? [ ...data as ResourceIdentifier[] ] : [ data as ResourceIdentifier ];
}

/** `entity--bundle` split: `log--harvest` → `['log', 'harvest']`. */
export function entityAndBundle(type: string): [ entity: string, bundle: string ] {
  const index = type.indexOf('--');
  return index < 0 ? [ type, '' ] : [ type.slice(0, index), type.slice(index + 2) ];
}
