import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateDemoFarm } from '../../shapes/demo/generateDemoFarm';
import type { DemoResource } from '../../shapes/demo/DemoResource';
import { parseRdf } from '../../shapes/parseRdf';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer } from '../harness/servers';

const TURTLE = { 'content-type': 'text/turtle' };
const JSON_LD = { 'content-type': 'application/ld+json' };
const N3_PATCH = { 'content-type': 'text/n3' };
const CONSTRAINED_BY = 'http://www.w3.org/ns/ldp#constrainedBy';
const PREFIXES = `@prefix dfc-b: <https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#>.
@prefix dfc-m: <https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#>.
@prefix dfc-pt: <https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#>.
`;
const VALID_PRODUCT = `${PREFIXES}
<#product> a dfc-b:SuppliedProduct; dfc-b:name "Carrots"; dfc-b:hasType dfc-pt:carrot; dfc-b:hasQuantity <#q>.
<#q> a dfc-b:QuantitativeValue; dfc-b:value 1; dfc-b:hasUnit dfc-m:Kilogram.
<#item> a dfc-b:CatalogItem; dfc-b:references <#product>; dfc-b:sku "C1"; dfc-b:stockLimitation 4; dfc-b:offeredThrough <#offer>.
<#offer> a dfc-b:Offer; dfc-b:hasPrice <#price>.
<#price> a dfc-b:Price; dfc-b:value 2.5; dfc-b:hasUnit dfc-m:Euro; dfc-b:VATrate 5.5.
`;
/** Two violations: the catalog item's sku is empty, the offer's stock is text that is no number. */
const INVALID_PRODUCT = VALID_PRODUCT.replace('dfc-b:sku "C1"; ', 'dfc-b:sku ""; ').replace('dfc-b:hasPrice <#price>.', 'dfc-b:hasPrice <#price>; dfc-b:stockLimitation "plenty".');
const SKU_MESSAGE = 'A catalog item has at most one dfc-b:sku, non-empty plain text.';
const STOCK_MESSAGE = 'An offer\'s dfc-b:stockLimitation must be a number (a number or numeric text; leave it out for unlimited stock).';
const SKU = 'https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#sku';
/** Breaks in line 3, column 11: a missing object. */
const MALFORMED_TURTLE = '@prefix ex: <http://example.org/>.\n<#a> ex:b "c".\n<#d> ex:e .\n';
const MALFORMED_JSON_LD = '{\n  "@id": "#a",\n  "http://example.org/b": "c",,\n}\n';

const FIXTURES = [ resolve(__dirname, '..', 'fixtures', 'dfc'), resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'dfc') ]
  .find((dir): boolean => existsSync(join(dir, 'SOURCES.md')))!;

/** The message of a CSS error response (JSON), or its text. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return (JSON.parse(text) as { message: string }).message;
  } catch {
    return text;
  }
}

/** Status and body of a GET as the member, to compare before and after a refused write. */
async function snapshot(member: TestMember, url: string): Promise<string> {
  const response = await member.fetch(url, { headers: { accept: 'text/turtle' } });
  return `${response.status}\n${await response.text()}`;
}

async function put(member: TestMember, url: string, body: string, headers = TURTLE): Promise<Response> {
  return member.fetch(url, { method: 'PUT', headers: { ...headers, accept: 'application/json' }, body });
}

describe('Shape enforcement in the pod server', (): void => {
  let server: TestServer;
  let member: TestMember;

  before(async(): Promise<void> => {
    server = await getSharedServer();
    member = await createTestMember(server.baseUrl, uniqueName('shapes'));
  });

  describe('discoverability', (): void => {
    it('serves the shapes of each kind as Turtle at /.fmp/shapes/<kind>.', async(): Promise<void> => {
      const response = await fetch(new URL('.fmp/shapes/catalog', server.baseUrl));
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/turtle/u);
      const turtle = await response.text();
      assert.match(turtle, /fmpsh:SuppliedProductShape a sh:NodeShape/u);
      assert.match(turtle, /fmpsh:PriceShape/u, 'the catalog shapes include the shared price shapes');
      assert.equal((await fetch(new URL('.fmp/shapes/profile', server.baseUrl))).status, 200);
      assert.equal((await fetch(new URL('.fmp/shapes/settings', server.baseUrl))).status, 404);
    });

    it('marks each constrained container with ldp:constrainedBy, in the Link header and the body.', async(): Promise<void> => {
      for (const kind of [ 'catalog', 'land', 'logs', 'orders', 'profile' ]) {
        const response = await member.fetch(`${member.pod}${kind}/`, { headers: { accept: 'text/turtle' } });
        const shapes = `${server.baseUrl}.fmp/shapes/${kind}`;
        assert.ok(response.headers.get('link')?.includes(`<${shapes}>; rel="${CONSTRAINED_BY}"`),
          `${kind}/ lacks the Link header: ${response.headers.get('link')}`);
        const quads = await parseRdf(await response.text(), 'text/turtle', `${member.pod}${kind}/`);
        assert.ok(quads.some((quad): boolean => quad.predicate.value === CONSTRAINED_BY && quad.object.value === shapes),
          `${kind}/ body lacks ldp:constrainedBy <${shapes}>`);
      }
      const settings = await member.fetch(`${member.pod}settings/`);
      assert.ok(!settings.headers.get('link')?.includes(CONSTRAINED_BY), 'settings/ is not constrained');
    });
  });

  describe('accepts valid data', (): void => {
    it('keeps sign-up working: the WebID profile in profile/ is seeded and public.', async(): Promise<void> => {
      const response = await fetch(member.webId);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /foaf:PersonalProfileDocument/u);
    });

    it('takes demo data of every kind into its container.', async(): Promise<void> => {
      const byKind = new Map<string, DemoResource>();
      for (const resource of generateDemoFarm(member.pod)) {
        byKind.set(resource.kind, byKind.get(resource.kind) ?? resource);
      }
      assert.equal(byKind.size, 5);
      for (const resource of byKind.values()) {
        const response = await put(member, `${member.pod}${resource.path}`, resource.turtle);
        assert.equal(response.status, 201, `${resource.path}: ${await errorMessage(response)}`);
      }
    });

    it('takes OFN\'s DFC JSON-LD documents (DFC context resolved locally) into catalog/ and profile/.', async(): Promise<void> => {
      for (const [ file, kind ] of [
        [ 'ofn-enterprises.json', 'profile' ], [ 'ofn-catalog-items.json', 'catalog' ], [ 'ofn-supplied-products.json', 'catalog' ],
        [ 'ofn-supplied-product.json', 'catalog' ], [ 'ofn-offer.json', 'catalog' ],
      ]) {
        const url = `${member.pod}${kind}/${file.replace('.json', '')}`;
        const response = await put(member, url, readFileSync(join(FIXTURES, file), 'utf8'), JSON_LD);
        assert.equal(response.status, 201, `${file}: ${await errorMessage(response)}`);
        const read = await member.fetch(url, { headers: { accept: 'text/turtle' } });
        assert.equal(read.status, 200);
        assert.match(await read.text(), /DFC_BusinessOntology/u);
      }
    });

    it('still lets the owner change a constrained container\'s .meta.', async(): Promise<void> => {
      const response = await member.fetch(`${member.pod}catalog/.meta`, {
        method: 'PATCH',
        headers: N3_PATCH,
        body: `@prefix solid: <http://www.w3.org/ns/solid/terms#>. _:p a solid:InsertDeletePatch;
          solid:inserts { <${member.pod}catalog/> <http://purl.org/dc/terms/description> "What the farm sells". }.`,
      });
      assert.ok(response.ok, `${response.status}: ${await errorMessage(response)}`);
      assert.match(await (await member.fetch(`${member.pod}catalog/`)).text(), /What the farm sells/u);
    });
  });

  describe('refuses data that breaks the shapes, and stores nothing', (): void => {
    const itemUrl = (): string => `${member.pod}catalog/refused-carrots`;

    before(async(): Promise<void> => {
      assert.equal((await put(member, itemUrl(), VALID_PRODUCT)).status, 201);
    });

    /** Checks a refusal: 422, the violation report in the message, and the shapes linked. */
    async function assertRefused(response: Response): Promise<void> {
      assert.equal(response.status, 422);
      assert.ok(response.headers.get('link')?.includes(`<${server.baseUrl}.fmp/shapes/catalog>; rel="${CONSTRAINED_BY}"`),
        `no constrainedBy link: ${response.headers.get('link')}`);
      const message = await errorMessage(response);
      assert.match(message, /breaks the catalog shapes/u);
      assert.ok(message.includes(`#item> <${SKU}>: ${SKU_MESSAGE}`), message);
      assert.ok(message.includes(`#offer> <`) && message.includes(STOCK_MESSAGE), message);
    }

    it('a PUT replacing a valid product.', async(): Promise<void> => {
      const before = await snapshot(member, itemUrl());
      await assertRefused(await put(member, itemUrl(), INVALID_PRODUCT));
      assert.equal(await snapshot(member, itemUrl()), before);
    });

    it('a PUT creating a resource, also in a new container below catalog/ (which is not left behind).', async(): Promise<void> => {
      await assertRefused(await put(member, `${member.pod}catalog/new-carrots`, INVALID_PRODUCT));
      assert.equal((await member.fetch(`${member.pod}catalog/new-carrots`)).status, 404);
      await assertRefused(await put(member, `${member.pod}catalog/2025/carrots`, INVALID_PRODUCT));
      assert.equal((await member.fetch(`${member.pod}catalog/2025/`)).status, 404);
    });

    it('a POST into catalog/.', async(): Promise<void> => {
      const before = await snapshot(member, `${member.pod}catalog/`);
      await assertRefused(await member.fetch(`${member.pod}catalog/`, {
        method: 'POST',
        headers: { ...TURTLE, accept: 'application/json', slug: 'posted' },
        body: INVALID_PRODUCT,
      }));
      assert.equal((await member.fetch(`${member.pod}catalog/posted`)).status, 404);
      assert.equal(await snapshot(member, `${member.pod}catalog/`), before);
    });

    it('a PATCH that would make the product invalid.', async(): Promise<void> => {
      const before = await snapshot(member, itemUrl());
      await assertRefused(await member.fetch(itemUrl(), {
        method: 'PATCH',
        headers: { ...N3_PATCH, accept: 'application/json' },
        body: `@prefix solid: <http://www.w3.org/ns/solid/terms#>. @prefix dfc-b: <${SKU.replace('sku', '')}>.
          _:p a solid:InsertDeletePatch;
            solid:deletes { <#item> dfc-b:sku "C1". };
            solid:inserts { <#item> dfc-b:sku "". <#offer> dfc-b:stockLimitation "plenty". }.`,
      }));
      assert.equal(await snapshot(member, itemUrl()), before);
    });

    it('but accepts a PATCH that keeps it valid.', async(): Promise<void> => {
      const response = await member.fetch(itemUrl(), {
        method: 'PATCH',
        headers: N3_PATCH,
        body: `@prefix solid: <http://www.w3.org/ns/solid/terms#>. @prefix dfc-b: <${SKU.replace('sku', '')}>.
          _:p a solid:InsertDeletePatch; solid:deletes { <#item> dfc-b:sku "C1". }; solid:inserts { <#item> dfc-b:sku "C2". }.`,
      });
      assert.ok(response.ok, `${response.status}: ${await errorMessage(response)}`);
      assert.match(await (await member.fetch(itemUrl())).text(), /"C2"/u);
    });
  });

  describe('refuses malformed RDF anywhere in a pod with 400, line and column, and stores nothing', (): void => {
    for (const [ label, path ] of [
      [ 'in catalog/', 'catalog/broken' ],
      [ 'in settings/', 'settings/broken' ],
      [ 'at the pod root', 'broken' ],
      [ 'in a new container (not left behind)', 'fresh-container/broken' ],
    ]) {
      it(`Turtle ${label}.`, async(): Promise<void> => {
        const response = await put(member, `${member.pod}${path}`, MALFORMED_TURTLE);
        assert.equal(response.status, 400);
        assert.match(await errorMessage(response), /line 3, column 11/u);
        assert.equal((await member.fetch(`${member.pod}${path}`)).status, 404);
        assert.equal((await member.fetch(`${member.pod}fresh-container/`)).status, 404);
      });
    }

    it('JSON-LD, in settings/ and in catalog/.', async(): Promise<void> => {
      for (const path of [ 'settings/broken.jsonld', 'catalog/broken.jsonld' ]) {
        const response = await put(member, `${member.pod}${path}`, MALFORMED_JSON_LD, JSON_LD);
        assert.equal(response.status, 400);
        assert.match(await errorMessage(response), /line 3, column 31/u);
        assert.equal((await member.fetch(`${member.pod}${path}`)).status, 404);
      }
    });

    it('a POST of malformed Turtle into a container.', async(): Promise<void> => {
      const before = await snapshot(member, `${member.pod}settings/`);
      const response = await member.fetch(`${member.pod}settings/`, {
        method: 'POST', headers: { ...TURTLE, accept: 'application/json' }, body: MALFORMED_TURTLE,
      });
      assert.equal(response.status, 400);
      assert.equal(await snapshot(member, `${member.pod}settings/`), before);
    });
  });

  describe('keeps every container\'s description under parallel writers', (): void => {
    const TITLE = 'http://purl.org/dc/terms/title';
    const CONTAINS = 'http://www.w3.org/ns/ldp#contains';
    const STORAGE = 'http://www.w3.org/ns/pim/space#Storage';
    let writer: TestMember;

    before(async(): Promise<void> => {
      writer = await createTestMember(server.baseUrl, uniqueName('parallel'));
    });

    /** PUTs `count` valid products (`<name>-<i>`) at once into `container` (a pod-relative path), each answered 201. */
    async function putInParallel(container: string, count: number, name = 'product'): Promise<string[]> {
      const urls = Array.from({ length: count }, (_, index): string => `${writer.pod}${container}${name}-${index}`);
      const responses = await Promise.all(urls.map(async(url): Promise<Response> => put(writer, url, VALID_PRODUCT)));
      for (const [ index, response ] of responses.entries()) {
        assert.equal(response.status, 201, `${urls[index]}: ${await errorMessage(response)}`);
      }
      return urls;
    }

    /** Reads a container as its owner: the Link header and the triples of its body. */
    async function readContainer(url: string): Promise<{ link: string; triples: { predicate: string; object: string }[] }> {
      const response = await writer.fetch(url, { headers: { accept: 'text/turtle' } });
      assert.equal(response.status, 200);
      const quads = await parseRdf(await response.text(), 'text/turtle', url);
      return {
        link: response.headers.get('link') ?? '',
        triples: quads.filter((quad): boolean => quad.subject.value === url)
          .map((quad): { predicate: string; object: string } => ({ predicate: quad.predicate.value, object: quad.object.value })),
      };
    }

    function has(triples: { predicate: string; object: string }[], predicate: string, object: string): boolean {
      return triples.some((triple): boolean => triple.predicate === predicate && triple.object === object);
    }

    it('50 PUTs into catalog/ at once: all stored, all listed, and catalog/ still says it is constrained.', async(): Promise<void> => {
      const urls = await putInParallel('catalog/', 50);
      const { link, triples } = await readContainer(`${writer.pod}catalog/`);
      const shapes = `${server.baseUrl}.fmp/shapes/catalog`;
      assert.ok(link.includes(`<${shapes}>; rel="${CONSTRAINED_BY}"`), `catalog/ lacks the Link header: ${link}`);
      assert.ok(has(triples, CONSTRAINED_BY, shapes), 'catalog/ body lacks ldp:constrainedBy');
      assert.ok(has(triples, TITLE, 'catalog'), 'catalog/ body lacks dc:title "catalog"');
      for (const url of urls) {
        assert.ok(has(triples, CONTAINS, url), `catalog/ does not list ${url}`);
      }
    });

    it('50 PUTs at once creating a new container below catalog/: it and catalog/ say they are constrained.', async(): Promise<void> => {
      const urls = await putInParallel('catalog/winter/', 50);
      const shapes = `${server.baseUrl}.fmp/shapes/catalog`;
      const winter = await readContainer(`${writer.pod}catalog/winter/`);
      assert.ok(winter.link.includes(`<${shapes}>; rel="${CONSTRAINED_BY}"`), `catalog/winter/ lacks the Link header: ${winter.link}`);
      assert.ok(has(winter.triples, CONSTRAINED_BY, shapes), 'catalog/winter/ body lacks ldp:constrainedBy');
      assert.equal(urls.filter((url): boolean => has(winter.triples, CONTAINS, url)).length, 50);
      const catalog = await readContainer(`${writer.pod}catalog/`);
      assert.ok(has(catalog.triples, TITLE, 'catalog') && has(catalog.triples, CONSTRAINED_BY, shapes),
        'catalog/ lost its description');
      assert.ok(has(catalog.triples, CONTAINS, `${writer.pod}catalog/winter/`));
    });

    it('50 PUTs at once creating new containers at the pod root: the root stays a pim:Storage.', async(): Promise<void> => {
      const urls = Array.from({ length: 50 }, (_, index): string => `${writer.pod}notes-${index % 5}/note-${index}`);
      const responses = await Promise.all(urls.map(async(url): Promise<Response> => put(writer, url, '<#a> <#b> "c".')));
      assert.deepEqual(responses.map((response): number => response.status), urls.map((): number => 201));
      const root = await readContainer(writer.pod);
      assert.ok(root.link.includes(`<${STORAGE}>; rel="type"`), `the root lacks its pim:Storage type: ${root.link}`);
      assert.ok(has(root.triples, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', STORAGE));
    });

    it('keeps a description the owner added to catalog/.meta.', async(): Promise<void> => {
      const response = await writer.fetch(`${writer.pod}catalog/.meta`, {
        method: 'PATCH',
        headers: N3_PATCH,
        body: `@prefix solid: <http://www.w3.org/ns/solid/terms#>. _:p a solid:InsertDeletePatch;
          solid:inserts { <${writer.pod}catalog/> <http://purl.org/dc/terms/description> "What the farm sells". }.`,
      });
      assert.ok(response.ok, `${response.status}: ${await errorMessage(response)}`);
      // CSS rewrites catalog/.meta for every child: 4 rounds of 50 lost the description every time we tried without the fix.
      for (const round of [ 1, 2, 3, 4 ]) {
        await putInParallel('catalog/', 50, `described-${round}`);
      }
      const { triples } = await readContainer(`${writer.pod}catalog/`);
      assert.ok(has(triples, 'http://purl.org/dc/terms/description', 'What the farm sells'), 'the owner\'s description was lost');
    });
  });

  it('does not shape-validate data outside the constrained containers.', async(): Promise<void> => {
    for (const path of [ 'settings/not-a-catalog', 'drafts/not-a-catalog' ]) {
      const response = await put(member, `${member.pod}${path}`, INVALID_PRODUCT);
      assert.equal(response.status, 201, `${path}: ${await errorMessage(response)}`);
    }
  });
});

describe('fmp demo', (): void => {
  let server: TestServer;
  let member: TestMember;

  before(async(): Promise<void> => {
    server = await getSharedServer();
    member = await createTestMember(server.baseUrl, uniqueName('demo'));
  });

  it('seed fills a pod with the demo farm, which the server accepts.', async(): Promise<void> => {
    const expected = generateDemoFarm(member.pod);
    const result = await runFmp([ 'demo', 'seed', member.name, '--email', member.email, '--password', member.password,
      '--server', server.baseUrl, '--json' ]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stderr.includes(`${expected.length}/${expected.length}`), result.stderr);
    const summary = JSON.parse(result.stdout) as { pod: string; written: number; containers: Record<string, number> };
    assert.equal(summary.pod, member.pod);
    assert.equal(summary.written, expected.length);
    assert.equal(summary.containers.catalog, 30);
    const listing = await (await member.fetch(`${member.pod}logs/`, { headers: { accept: 'text/turtle' } })).text();
    assert.ok(listing.includes('harvest-1-w28'), listing);
    assert.equal((await member.fetch(`${member.pod}profile/enterprise`)).status, 200);
    for (const container of [ 'catalog/', 'land/', 'logs/', 'orders/' ]) {
      const link = (await member.fetch(`${member.pod}${container}`, { method: 'HEAD' })).headers.get('link') ?? '';
      assert.match(link, /constrainedBy/u, `${container} kept its ldp:constrainedBy through the seeding`);
    }
  });

  it('products writes N generated products into catalog/.', async(): Promise<void> => {
    const result = await runFmp([ 'demo', 'products', member.name, '--count', '40', '--email', member.email,
      '--password', member.password, '--server', server.baseUrl ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /40 products/u);
  });

  it('reports a refused login as one line.', async(): Promise<void> => {
    const result = await runFmp([ 'demo', 'seed', member.name, '--email', member.email, '--password', 'wrong',
      '--server', server.baseUrl ]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), 'fmp: the e-mail or password is wrong');
  });
});
