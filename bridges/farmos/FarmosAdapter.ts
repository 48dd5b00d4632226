import { createHash } from 'node:crypto';
import type { Connection } from '../runtime/Connection';
import type { Link } from '../runtime/LinkTable';
import type { InboundResult, Outgoing, PodItem, RemoteItem, TargetAdapter, TargetClient } from '../runtime/TargetAdapter';
import { TargetRetriableError } from '../runtime/targetErrors';
import { FarmosClient } from './FarmosClient';
import type { Relationship, Resource, ResourceIdentifier } from './jsonApi';
import { entityAndBundle } from './jsonApi';
import type { FarmosPayload, FarmosRecord } from './mapping';
import { farmosToPod, podPathOf, podToFarmos, SYNCED_TYPES } from './mapping';

/** How long a record waits for an asset it refers to to reach farmOS (sent by another job) before trying again. */
const ASSET_WAIT_MS = 2000;

/**
 * The farmOS bridge: a pod's `land/` (land assets, plantings) and `logs/` (seeding, harvest, activity and observation
 * logs with their quantities) as farmOS 3.x JSON:API records, and back. farmOS sends no webhooks: the bridge polls
 * for records changed since its last look.
 */
export const farmosAdapter: TargetAdapter = {
  target: 'farmos',
  label: 'farmOS',
  containers: [ 'land', 'logs' ],
  secretSettings: [ 'clientSecret', 'password' ],
  polls: true,

  checkSettings(settings: Record<string, unknown>): Record<string, string> {
    const text = (name: string): string | undefined =>
      typeof settings[name] === 'string' && settings[name] !== '' ? settings[name] as string : undefined;
    const farmos = text('farmos');
    if (!farmos) {
      throw new Error('Connecting farmOS needs its base URL (--farmos https://myfarm.farmos.net).');
    }
    const url = new URL(farmos);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`The farmOS URL must be http(s), not ${url.protocol}`);
    }
    const clientId = text('clientId');
    if (!clientId) {
      throw new Error('Connecting farmOS needs the OAuth client\'s id (--client-id).');
    }
    const [ username, password, clientSecret ] = [ text('username'), text('password'), text('clientSecret') ];
    if ((username === undefined) !== (password === undefined)) {
      throw new Error('The password grant needs both --username and --password.');
    }
    if (username === undefined && clientSecret === undefined) {
      throw new Error('Connecting farmOS needs the OAuth client\'s secret (--client-secret), or --username and --password.');
    }
    return Object.fromEntries(Object.entries({ farmos: url.href, clientId, clientSecret, username, password, scope: text('scope') })
      .filter((entry): entry is [string, string] => entry[1] !== undefined));
  },

  async prepareSettings(settings: Record<string, string>, fetchFn: typeof fetch): Promise<Record<string, string>> {
    const info = await clientOf(settings, fetchFn).info();
    return { ...settings, ...info.name ? { farmName: info.name } : {}, ...info.version ? { farmosVersion: info.version } : {} };
  },

  toTarget(item: PodItem, connection: Connection): Outgoing | undefined {
    const payload = podToFarmos(item, connection.pod);
    return payload && { resource: item.url, hash: hashOf(payload), payload };
  },

  toPod(remote: RemoteItem, current: PodItem | undefined, connection: Connection): PodItem {
    return farmosToPod(remote.data as FarmosRecord, current, connection.pod);
  },

  containerOf: (resource: string, connection: Connection): 'land' | 'logs' =>
    podPathOf(resource, connection.pod).startsWith('land/') ? 'land' : 'logs',

  open(connection: Connection, fetchFn: typeof fetch): TargetClient {
    const client = clientOf(connection.settings, fetchFn);
    const remoteOf = async(type: string, id: string): Promise<RemoteItem | undefined> => {
      const record = await client.get(type, id);
      // An archived asset is one taken out of use: for the pod, it is gone.
      if (!record || record.data.attributes?.status === 'archived') {
        return undefined;
      }
      const changed = record.data.attributes?.changed;
      return { targetId: `${type}/${id}`, ...typeof changed === 'string' ? { updatedAt: changed } : {}, data: record };
    };
    return {
      send: async(out: Outgoing, link?: Link): Promise<Link> => {
        const record = await sendPayload(client, out.payload as FarmosPayload, link !== undefined);
        return { resource: out.resource, targetId: `${record.type}/${record.id}`, hash: out.hash, syncedAt: new Date().toISOString() };
      },
      remove: async(link: Link): Promise<void> => {
        const [ type, id ] = splitTargetId(link.targetId);
        await (type.startsWith('asset--') ? client.patch(type, id, { status: 'archived' }) : client.delete(type, id));
      },
      get: async(targetId: string): Promise<RemoteItem | undefined> => remoteOf(...splitTargetId(targetId)),
      // Archived assets are not taken into the pod as new ones…
      list: async function* list(): AsyncIterable<RemoteItem> {
        yield* changedRecords(client, undefined, false);
      },
      // …but an asset archived since the last poll is a change: reading it, the bridge removes it from the pod.
      changedSince: async function* changedSince(since?: string): AsyncIterable<RemoteItem> {
        yield* changedRecords(client, since, true);
      },
    };
  },

  receive(): InboundResult {
    return { accepted: false, status: 404, reason: 'farmOS sends no webhooks: the farmOS bridge polls.' };
  },
};

function clientOf(settings: Readonly<Record<string, string>>, fetchFn: typeof fetch): FarmosClient {
  return new FarmosClient({ baseUrl: settings.farmos, clientId: settings.clientId, clientSecret: settings.clientSecret,
    username: settings.username, password: settings.password, scope: settings.scope, fetch: fetchFn });
}

/** The records of every synced type (changed since `since`, when given), archived assets only when asked for. */
async function* changedRecords(client: FarmosClient, since: string | undefined, archived: boolean): AsyncIterable<RemoteItem> {
  for (const type of SYNCED_TYPES) {
    for await (const resource of client.list(type, since)) {
      if (archived || resource.attributes?.status !== 'archived') {
        const changed = resource.attributes?.changed;
        yield { targetId: `${type}/${resource.id}`, ...typeof changed === 'string' ? { updatedAt: changed } : {},
          data: { data: resource, included: []}};
      }
    }
  }
}

/**
 * Sends what a pod resource became: its terms (an existing term of the same name taken), its quantities, then the
 * record itself; the assets it refers to (a log's assets and location, a land's parent) must be in farmOS already
 * (another job sends them), else it waits for them.
 */
async function sendPayload(client: FarmosClient, payload: FarmosPayload, linked: boolean): Promise<Resource> {
  const termIds = new Map<string, string>();
  for (const term of payload.terms) {
    termIds.set(term.id, await client.ensureTerm(term));
  }
  const withTerms = (resource: Resource): Resource => rewriteRelationships(resource, (ref): ResourceIdentifier =>
    ({ ...ref, id: termIds.get(ref.id) ?? ref.id }));
  let record = withTerms(payload.record);
  const assetRefs = [ 'asset', 'location', 'parent' ].flatMap((field): ResourceIdentifier[] => refsOf(record, field));
  if (assetRefs.length > 0) {
    const types = new Map<string, string>();
    for (const ref of assetRefs) {
      const type = await client.assetTypeOf(ref.id, ref.type);
      if (!type) {
        throw new TargetRetriableError('farmos', `asset ${ref.id} that ${record.type} ${record.id} refers to is not in farmOS yet`,
          ASSET_WAIT_MS);
      }
      types.set(ref.id, type);
    }
    record = rewriteRelationships(record, (ref): ResourceIdentifier =>
      entityAndBundle(ref.type)[0] === 'asset' ? { ...ref, type: types.get(ref.id) ?? ref.type } : ref);
  }
  for (const quantity of payload.quantities) {
    await client.upsert(withTerms(quantity), linked);
  }
  return client.upsert(record, linked);
}

function refsOf(resource: Resource, field: string): ResourceIdentifier[] {
  const data = resource.relationships?.[field]?.data;
  return data ? Array.isArray(data) ? [ ...data as ResourceIdentifier[] ] : [ data as ResourceIdentifier ] : [];
}

function rewriteRelationships(resource: Resource, change: (ref: ResourceIdentifier) => ResourceIdentifier): Resource {
  if (!resource.relationships) {
    return resource;
  }
  return { ...resource, relationships: Object.fromEntries(Object.entries(resource.relationships)
    .map(([ name, relationship ]): [string, Relationship] => {
      const data = relationship.data;
      return [ name, { data: data === null ? null : Array.isArray(data) ?
        (data as ResourceIdentifier[]).map(change) : change(data as ResourceIdentifier) } ];
    })) };
}

/** `log--harvest/<uuid>` → `['log--harvest', '<uuid>']`. */
function splitTargetId(targetId: string): [ type: string, id: string ] {
  const index = targetId.lastIndexOf('/');
  return [ targetId.slice(0, index), targetId.slice(index + 1) ];
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
