import { strict as assert } from 'node:assert';
import { DFC_CONTEXT_URLS, RemoteContextRefusedError } from '../../../shapes/DfcDocumentLoader';
import { parseRdf } from '../../../shapes/parseRdf';
import { RdfSyntaxError, UnsupportedContentTypeError } from '../../../shapes/RdfSyntaxError';
import { caught, readFixture } from './fixtures';

const DFC_B = 'https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#';

describe('parseRdf', (): void => {
  const realFetch = globalThis.fetch;
  let fetchCalls = 0;
  // Any network use fails the test: JSON-LD contexts must come from the local copy.
  beforeEach((): void => {
    fetchCalls = 0;
    globalThis.fetch = async(): Promise<Response> => {
      fetchCalls += 1;
      throw new Error('network used');
    };
  });
  afterEach((): void => {
    globalThis.fetch = realFetch;
  });

  it('parses Turtle, N-Triples and N-Quads against the base IRI', async(): Promise<void> => {
    const base = 'https://pod.example/catalog/x';
    assert.equal((await parseRdf('<#a> <#b> "c".', 'text/turtle; charset=utf-8', base))[0].subject.value, `${base}#a`);
    assert.equal((await parseRdf('<http://a> <http://b> "c" .\n', 'application/n-triples', base)).length, 1);
    assert.equal((await parseRdf('<http://a> <http://b> "c" <http://g> .\n', 'application/n-quads', base))[0].graph.value, 'http://g');
  });

  it('gives line and column of a Turtle parser error', async(): Promise<void> => {
    const error = await caught(async(): Promise<unknown> => parseRdf('<a> <b> <c> .\n   <a> <b> .\n', 'text/turtle', 'http://x/'));
    assert.ok(RdfSyntaxError.isInstance(error));
    assert.equal(error.line, 2);
    assert.equal(error.column, 12);
    assert.match(error.message, /line 2, column 12/u);
  });

  it('gives line and column of a Turtle lexer error', async(): Promise<void> => {
    const error = await caught(async(): Promise<unknown> => parseRdf('<a> <b> <c> .\n<a> <b> "open .\n', 'text/turtle', 'http://x/'));
    assert.ok(RdfSyntaxError.isInstance(error));
    assert.deepEqual([ error.line, error.column ], [ 2, 9 ]);
  });

  it('gives the line of an N-Triples error', async(): Promise<void> => {
    const error = await caught(async(): Promise<unknown> => parseRdf('<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n', 'application/n-triples', 'http://x/'));
    assert.ok(RdfSyntaxError.isInstance(error));
    assert.equal(error.line, 2);
  });

  it('resolves the DFC context offline under both of its URLs', async(): Promise<void> => {
    for (const url of DFC_CONTEXT_URLS) {
      const body = JSON.stringify({ '@context': url, '@id': 'http://x/p', '@type': 'dfc-b:SuppliedProduct', 'dfc-b:hasType': 'dfc-pt:carrot' });
      const quads = await parseRdf(body, 'application/ld+json', 'http://x/');
      assert.deepEqual(quads.map((quad): string => quad.object.value).sort(), [
        `${DFC_B}SuppliedProduct`,
        'https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#carrot',
      ]);
    }
    assert.equal(fetchCalls, 0);
  });

  it('parses a real OFN document offline, with @id coercions from the context', async(): Promise<void> => {
    const quads = await parseRdf(readFixture('ofn-catalog-items.json'), 'application/ld+json', 'http://test.host/');
    const references = quads.find((quad): boolean => quad.predicate.value === `${DFC_B}references`);
    assert.equal(references?.object.termType, 'NamedNode');
    assert.equal(fetchCalls, 0);
  });

  it('reads ActivityStreams JSON-LD, as inbox messages use it, offline', async(): Promise<void> => {
    const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: 'http://x/n', type: 'Announce', summary: 'Hi' });
    const quads = await parseRdf(body, 'application/ld+json', 'http://x/');
    assert.ok(quads.some((quad): boolean => quad.object.value === 'https://www.w3.org/ns/activitystreams#Announce'));
    assert.equal(fetchCalls, 0);
  });

  it('refuses any other remote context without fetching it', async(): Promise<void> => {
    const error = await caught(async(): Promise<unknown> =>
      parseRdf('{"@context": "https://example.org/context.jsonld", "@id": "http://x/a"}', 'application/ld+json', 'http://x/'));
    assert.ok(error instanceof RemoteContextRefusedError);
    assert.ok(RdfSyntaxError.isInstance(error));
    assert.equal(error.url, 'https://example.org/context.jsonld');
    assert.equal(fetchCalls, 0);
  });

  it('gives line and column of malformed JSON', async(): Promise<void> => {
    const error = await caught(async(): Promise<unknown> => parseRdf('{\n  "@id": "http://x/a"\n  "b": 1 }', 'application/ld+json', 'http://x/'));
    assert.ok(RdfSyntaxError.isInstance(error));
    assert.deepEqual([ error.line, error.column ], [ 3, 3 ]);
  });

  it('refuses media types it does not read', async(): Promise<void> => {
    const error = await caught(async(): Promise<unknown> => parseRdf('<x/>', 'application/rdf+xml', 'http://x/'));
    assert.ok(UnsupportedContentTypeError.isInstance(error));
  });
});
