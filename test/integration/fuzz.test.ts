import { strict as assert } from 'node:assert';
import { productToQuads } from '../../shapes/access/productRdf';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { generateProducts } from '../../shapes/demo/catalogData';
import { damagedArchive } from '../harness/archiveDamage';
import type { FuzzBody } from '../harness/fuzz';
import { badRdfBody, fuzzCases, fuzzSeed, hostileDocument, mutate, readableProblem, SeededRandom } from '../harness/fuzz';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer } from '../harness/servers';

const TURTLE = 'text/turtle';
const CONTAINS = /<http:\/\/www\.w3\.org\/ns\/ldp#contains>|ldp:contains/u;

/** What a pod holds, resource by resource: every container's members, and every document's ETag. */
async function fingerprint(member: TestMember, container = member.pod): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const response = await member.fetch(container, { headers: { accept: TURTLE }});
  assert.equal(response.status, 200, `GET ${container}`);
  const listing = await response.text();
  found.set(container, response.headers.get('etag') ?? '');
  const members = [ ...listing.matchAll(/<([^>]+)>/gu) ].map((match): string => new URL(match[1], container).href)
    .filter((url): boolean => url.startsWith(container) && url !== container && !url.slice(container.length).slice(0, -1).includes('/'));
  for (const url of new Set(members)) {
    if (url.endsWith('/')) {
      for (const [ key, value ] of await fingerprint(member, url)) {
        found.set(key, value);
      }
    } else {
      const head = await member.fetch(url, { method: 'HEAD' });
      found.set(url, `${head.status} ${head.headers.get('etag')}`);
    }
  }
  return found;
}

/** What a refused request must answer: a 4xx (never a 5xx, never silence) whose text a person can read. */
async function checkAnswer(response: Response, where: string, notImplemented = false): Promise<string> {
  const text = await response.text();
  // CSS answers 501 for SPARQL Update features it does not implement (e.g. FILTER); an honest answer, not a failure.
  const allowed = notImplemented && response.status === 501 && text.includes('NotImplementedHttpError');
  assert.ok(response.status < 500 || allowed, `${where}: ${response.status} ${text.slice(0, 500)}`);
  if (response.status >= 400) {
    assert.equal(readableProblem(text), undefined, `${where}: ${response.status} ${text.slice(0, 500)}`);
  }
  return text;
}

/** A well-formed N3 Patch and SPARQL Update for `url`, to damage. */
function patches(url: string): FuzzBody[] {
  return [
    { label: 'N3 Patch', contentType: 'text/n3', body: Buffer.from(`@prefix solid: <http://www.w3.org/ns/solid/terms#>.
_:patch a solid:InsertDeletePatch; solid:where { <${url}#it> <http://ex.org/n> ?n }; solid:deletes { <${url}#it> <http://ex.org/n> ?n };
  solid:inserts { <${url}#it> <http://ex.org/n> 2 }.`) },
    { label: 'SPARQL Update', contentType: 'application/sparql-update',
      body: Buffer.from(`DELETE DATA { <${url}#it> <http://ex.org/n> 1 }; INSERT DATA { <${url}#it> <http://ex.org/n> 2 }`) },
  ];
}

/** A damaged or hostile patch body. */
function badPatch(random: SeededRandom, url: string): FuzzBody {
  const patch = random.pick(patches(url));
  if (random.next() < 0.7) {
    const [ label, body ] = mutate(random, patch.body);
    return { ...patch, label: `${patch.label}, ${label}`, body };
  }
  const depth = random.int(1_000, 20_000);
  return random.pick<FuzzBody>([
    { label: `SPARQL Update with groups nested ${depth} deep`, contentType: 'application/sparql-update',
      body: Buffer.from(`INSERT { <${url}#it> <http://ex.org/n> 3 } WHERE ${'{ '.repeat(depth)}${' }'.repeat(depth)}`) },
    { label: `SPARQL Update with an expression nested ${depth} deep`, contentType: 'application/sparql-update',
      body: Buffer.from(`INSERT { <${url}#it> <http://ex.org/n> 3 } WHERE { FILTER(${'('.repeat(depth)}1${')'.repeat(depth)}) }`) },
    { label: `N3 Patch with formulas nested ${depth} deep`, contentType: 'text/n3',
      body: Buffer.from(`_:p <http://www.w3.org/ns/solid/terms#inserts> ${'{ <a> <b> '.repeat(depth)}<c>${' }'.repeat(depth)}.`) },
    { ...hostileDocument(random, url), contentType: random.pick([ 'text/n3', 'application/sparql-update' ]) },
    { label: 'binary garbage', contentType: random.pick([ 'text/n3', 'application/sparql-update' ]), body: random.bytes(random.int(1, 5_000)) },
  ]);
}

// Every way bad RDF enters a pod: PUT and POST into a constrained container (`catalog/`) and a free one, PATCH (N3 Patch,
// SPARQL Update), an app's POST to a member's inbox, the FMP's JSON routes, and archive import and restore. Whatever
// the body, the FMP answers a 4xx a person can read, or accepts it whole; a refused write leaves the pod as it was.
describe('Fuzzing every write path of a running FMP', function(this: Mocha.Suite): void {
  this.timeout(1_200_000);
  const seed = fuzzSeed();
  let server: TestServer;
  let owner: TestMember;
  let stranger: TestMember;
  let product: Buffer;

  async function send(member: TestMember, url: string, method: string, { body, contentType }: Pick<FuzzBody, 'body' | 'contentType'>):
  Promise<Response> {
    return member.fetch(url, { method, headers: { 'content-type': contentType }, body: new Uint8Array(body),
      signal: AbortSignal.timeout(120_000) });
  }

  before(async(): Promise<void> => {
    server = await getSharedServer();
    owner = await createTestMember(server.baseUrl, uniqueName('fuzzed'));
    stranger = await createTestMember(server.baseUrl, uniqueName('fuzzer'));
    product = Buffer.from(quadsToTurtle(productToQuads(`${owner.pod}catalog/carrots`, generateProducts(1)[0])));
    for (const [ path, body ] of [[ 'catalog/carrots', product ], [ 'notes/memo', Buffer.from('<#it> <http://ex.org/n> 1 .') ]] as const) {
      assert.equal((await send(owner, `${owner.pod}${path}`, 'PUT', { body, contentType: TURTLE })).status, 201, path);
    }
  });

  it(`answers every bad PUT, POST and PATCH with a readable 4xx and keeps the resource as it was (seed ${seed}).`,
    async(): Promise<void> => {
      const random = new SeededRandom(seed);
      const cases = fuzzCases(400);
      const statuses = new Map<number, number>();
      for (let index = 0; index < cases; index += 1) {
        const path = random.pick([ 'catalog/carrots', 'notes/memo' ]);
        const url = `${owner.pod}${path}`;
        const container = url.slice(0, url.lastIndexOf('/') + 1);
        const way = random.pick([ 'PUT', 'PUT', 'POST', 'PATCH', 'INBOX' ] as const);
        const bad = way === 'PATCH' ? badPatch(random, url) : badRdfBody(random, url, path === 'catalog/carrots' ? product :
          Buffer.from('<#it> <http://ex.org/n> 1 .'));
        const where = `case ${index}: ${way} ${way === 'INBOX' ? 'inbox/' : path} with ${bad.label} as ${bad.contentType} ` +
          `(replay with FMP_FUZZ_SEED=${seed})`;
        // What must not change if the write is refused.
        const watched = way === 'INBOX' ? `${owner.pod}inbox/` : way === 'POST' ? container : url;
        const before = await (await owner.fetch(watched, { headers: { accept: TURTLE }})).text();
        const response = way === 'INBOX' ? await send(stranger, `${owner.pod}inbox/`, 'POST', bad) :
          await send(owner, way === 'POST' ? container : url, way, bad);
        await checkAnswer(response, where, way === 'PATCH' && bad.contentType === 'application/sparql-update');
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 400) {
          const after = await (await owner.fetch(watched, { headers: { accept: TURTLE }})).text();
          assert.equal(after, before, `${where}: refused with ${response.status}, but ${watched} changed`);
        } else if (way === 'PUT') {
          // Accepted whole (a damage can leave a body well-formed); the next cases start from a good resource again.
          await send(owner, url, 'PUT', { body: path === 'catalog/carrots' ? product : Buffer.from('<#it> <http://ex.org/n> 1 .'),
            contentType: TURTLE });
        }
      }
      const refused = [ ...statuses ].filter(([ status ]): boolean => status >= 400).reduce((sum, [ , count ]): number => sum + count, 0);
      assert.ok(refused > cases / 2, `most bad writes are refused: ${JSON.stringify(Object.fromEntries(statuses))}`);
      assert.equal((await fetch(new URL('.fmp/health', server.baseUrl))).status, 200, 'the FMP still answers');
    });

  it(`answers bad JSON on the consent API and the FMP inbox with a readable 4xx and makes nothing (seed ${seed}).`,
    async(): Promise<void> => {
      const random = new SeededRandom(seed + 1);
      const grants = new URL(`.fmp/consent/${owner.name}/grants`, server.baseUrl).href;
      const good = Buffer.from(JSON.stringify({ grantee: { webId: stranger.webId }, scope: [ 'catalog/' ], modes: [ 'read' ],
        purpose: 'fuzz', duration: '1h' }));
      const listGrants = async(): Promise<string> => (await owner.fetch(grants)).text();
      const before = await listGrants();
      const cases = fuzzCases(300);
      let made = 0;
      for (let index = 0; index < cases; index += 1) {
        const [ label, body ] = random.next() < 0.8 ? mutate(random, good) :
          [ 'hostile JSON', hostileDocument(random, grants).body ] as const;
        const target = random.next() < 0.7 ? 'grants' : 'inbox';
        const where = `case ${index}: ${target} with ${label} (replay with FMP_FUZZ_SEED=${seed})`;
        const response = target === 'grants' ?
          await send(owner, grants, 'POST', { body, contentType: random.pick([ 'application/json', 'text/plain', 'application/ld+json' ]) }) :
          await fetch(new URL('.fmp/inbox', server.baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' },
            body: new Uint8Array(body), signal: AbortSignal.timeout(120_000) });
        await checkAnswer(response, where);
        made += target === 'grants' && response.ok ? 1 : 0;
      }
      const after = JSON.parse(await listGrants()) as { grants: unknown[] };
      assert.equal(after.grants.length, (JSON.parse(before) as { grants: unknown[] }).grants.length + made,
        'every grant listed was answered 201');
    });

  it(`refuses damaged archives on import and restore with a readable 4xx and leaves both pods as they were (seed ${seed}).`,
    async(): Promise<void> => {
      const random = new SeededRandom(seed + 2);
      // A pod of its own, small: the other cases left the owner's with what they were allowed to add.
      const restoree = await createTestMember(server.baseUrl, uniqueName('fuzz-restore'));
      const ownProduct = Buffer.from(quadsToTurtle(productToQuads(`${restoree.pod}catalog/carrots`, generateProducts(1)[0])));
      for (const [ path, body ] of [[ 'catalog/carrots', ownProduct ], [ 'notes/memo', Buffer.from('<#it> <http://ex.org/n> 1 .') ]] as const) {
        assert.equal((await send(restoree, `${restoree.pod}${path}`, 'PUT', { body, contentType: TURTLE })).status, 201, path);
      }
      const exported = await restoree.fetch(new URL(`.fmp/export/${restoree.name}`, server.baseUrl));
      assert.equal(exported.status, 200);
      const archive = Buffer.from(await exported.arrayBuffer());
      let importee = await createTestMember(server.baseUrl, uniqueName('fuzz-import'));
      let importeeBefore = await fingerprint(importee);
      let restoreeBefore = await fingerprint(restoree);
      const cases = fuzzCases(60);
      const statuses = new Map<number, number>();
      for (let index = 0; index < cases; index += 1) {
        const [ label, damaged ] = await damagedArchive(random, archive);
        const restore = index % 2 === 1;
        const member = restore ? restoree : importee;
        const where = `case ${index}: ${restore ? 'restore' : 'import'} of an archive with ${label} (replay with FMP_FUZZ_SEED=${seed})`;
        const response = await send(member, new URL(`.fmp/${restore ? 'restore' : 'import'}/${member.name}`, server.baseUrl).href, 'POST',
          { body: damaged, contentType: 'application/x-tar' });
        await checkAnswer(response, where);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 400) {
          assert.deepEqual(await fingerprint(member), restore ? restoreeBefore : importeeBefore, `${where}: refused, yet the pod changed`);
        } else if (restore) {
          restoreeBefore = await fingerprint(restoree);
        } else {
          // Imported whole: the next import needs an empty pod again.
          importee = await createTestMember(server.baseUrl, uniqueName('fuzz-import'));
          importeeBefore = await fingerprint(importee);
        }
      }
      const refused = [ ...statuses ].filter(([ status ]): boolean => status >= 400).reduce((sum, [ , count ]): number => sum + count, 0);
      assert.ok(refused > cases * 0.7, `most damaged archives are refused: ${JSON.stringify(Object.fromEntries(statuses))}`);
    });
});
