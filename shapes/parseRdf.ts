import type { Quad } from '@rdfjs/types';
import { JsonLdParser } from 'jsonld-streaming-parser';
import { Parser } from 'n3';
import type { IJsonLdContext } from 'jsonld-context-parser';
import { DfcDocumentLoader, RemoteContextRefusedError } from './DfcDocumentLoader';
import { RdfSyntaxError, UnsupportedContentTypeError } from './RdfSyntaxError';

/** The N3.js format name for each media type it reads. */
const N3_FORMATS: Readonly<Record<string, string>> = Object.freeze({
  'text/turtle': 'text/turtle',
  'application/n-triples': 'application/n-triples',
  'application/n-quads': 'application/n-quads',
});

const JSON_LD = 'application/ld+json';
/**
 * How deep a JSON-LD document may nest, and how many contexts it may hold. The JSON-LD parser's time grows faster than
 * the nesting (a 150 KB document nested 5,000 deep took it 30 s) and it does not yield while it works, so one such write
 * would stall the whole server; real documents (DFC, schema.org, ActivityStreams) nest a handful of levels and hold one
 * context, maybe a few scoped ones.
 */
export const MAX_JSON_LD_DEPTH = 64;
export const MAX_JSON_LD_CONTEXTS = 32;
/** JSON-LD is fed to the parser in slices of this many characters, with a turn of the event loop between them. */
const JSON_LD_SLICE = 16_384;

/** One loader for all parses, so the DFC context file is read once per process. */
let sharedDocumentLoader: DfcDocumentLoader | undefined;

/** The media types {@link parseRdf} accepts. */
export const RDF_CONTENT_TYPES: readonly string[] = Object.freeze([ ...Object.keys(N3_FORMATS), JSON_LD ]);

/**
 * Parses an RDF body into quads.
 *
 * Reads Turtle, N-Triples, N-Quads and JSON-LD. JSON-LD may name the DFC 1.16.0 context, which is
 * served from a local copy; any other remote context is refused, so parsing never uses the network.
 *
 * @param body - The document text.
 * @param contentType - Its media type; parameters such as `; charset=utf-8` are ignored.
 * @param baseIri - The IRI relative IRIs resolve against (normally the resource URL).
 * @returns The quads, in document order.
 * @throws {@link RdfSyntaxError} with 1-based `line` and `column` when the body is malformed.
 * @throws {@link UnsupportedContentTypeError} for any other media type.
 */
export async function parseRdf(body: string, contentType: string, baseIri: string): Promise<Quad[]> {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType in N3_FORMATS) {
    return parseWithN3(body, mediaType, baseIri);
  }
  if (mediaType === JSON_LD) {
    return parseJsonLd(body, baseIri);
  }
  throw new UnsupportedContentTypeError(mediaType);
}

/** N3.js token positions: `line` is 1-based, `start` is a 0-based offset in the line. */
interface N3Token { line: number; start: number; end: number }
interface N3ErrorContext { token?: N3Token; line?: number; previousToken?: N3Token }

function parseWithN3(body: string, format: string, baseIri: string): Quad[] {
  try {
    return new Parser({ format: N3_FORMATS[format], baseIRI: baseIri }).parse(body);
  } catch (error: unknown) {
    const context = (error as { context?: N3ErrorContext }).context ?? {};
    const line = context.line;
    const column = line === undefined ? undefined : findN3Column(body, line, context, (error as Error).message);
    const where = line === undefined ? '' : ` (line ${line}, column ${column})`;
    throw new RdfSyntaxError(`${(error as Error).message}${where}`, format, line, column, { cause: error });
  }
}

/**
 * Works out a 1-based column. Parser errors carry the offending token; lexer errors only carry the
 * previous token, so the column is where the quoted unexpected text appears after it.
 */
function findN3Column(body: string, line: number, context: N3ErrorContext, message: string): number {
  if (context.token && context.token.line === line) {
    return context.token.start + 1;
  }
  const text = body.split(/\r\n|\r|\n/)[line - 1] ?? '';
  const from = context.previousToken?.line === line ? context.previousToken.end : 0;
  const unexpected = /^Unexpected "(.*)" on line/u.exec(message)?.[1];
  const index = unexpected ? text.indexOf(unexpected.slice(0, 10), from) : -1;
  if (index >= 0) {
    return index + 1;
  }
  // Fall back to the first non-blank character after the previous token.
  const rest = text.slice(from);
  return from + (rest.length - rest.trimStart().length) + 1;
}

async function parseJsonLd(body: string, baseIri: string): Promise<Quad[]> {
  // JSON.parse first: it reports the exact offset of a JSON syntax error, the streaming parser does not.
  checkJsonLdComplexity(checkJsonSyntax(body));
  const sharedLoader = sharedDocumentLoader ??= new DfcDocumentLoader();
  // Remember a refused context, so the caller gets that error rather than the parser's wrapper.
  let refused: RemoteContextRefusedError | undefined;
  const documentLoader = {
    load: async(url: string): Promise<IJsonLdContext> => sharedLoader.load(url).catch((error: unknown): never => {
      if (error instanceof RemoteContextRefusedError) {
        refused = error;
      }
      throw error;
    }),
  };
  // The parser's own rdf-data-factory terms are used: N3's factory rejects its null-datatype literal calls.
  const parser = new JsonLdParser({ baseIRI: baseIri, documentLoader });
  const parsed = new Promise<Quad[]>((resolve, reject): void => {
    const quads: Quad[] = [];
    parser.on('data', (quad: Quad): number => quads.push(quad));
    parser.on('error', (error: Error): void => {
      // The parser quotes offending values with String(), which says nothing about an object.
      const message = error.message.replaceAll('[object Object]', 'a JSON object');
      reject(refused ?? new RdfSyntaxError(`Invalid JSON-LD: ${message}`, JSON_LD, undefined, undefined, { cause: error }));
    });
    parser.on('end', (): void => resolve(quads));
  });
  // Awaited below, after the last slice; this keeps an early failure from counting as unhandled meanwhile.
  parsed.catch((): void => undefined);
  // In slices, so that other requests are served while a large document is parsed.
  for (let start = 0; start < body.length && !parser.destroyed; start += JSON_LD_SLICE) {
    parser.write(body.slice(start, start + JSON_LD_SLICE));
    await new Promise((resolve): void => {
      setImmediate(resolve);
    });
  }
  parser.end();
  return parsed;
}

/** Refuses JSON nested deeper than {@link MAX_JSON_LD_DEPTH} or holding more than {@link MAX_JSON_LD_CONTEXTS} contexts. */
function checkJsonLdComplexity(document: unknown): void {
  // An explicit stack: a recursive walk would itself overflow on the documents this refuses.
  const stack: [unknown, number][] = [[ document, 1 ]];
  let contexts = 0;
  while (stack.length > 0) {
    const [ value, depth ] = stack.pop()!;
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    if (depth > MAX_JSON_LD_DEPTH) {
      throw new RdfSyntaxError(`The JSON-LD is nested more than ${MAX_JSON_LD_DEPTH} levels deep, more than this server reads.`,
        JSON_LD);
    }
    if (!Array.isArray(value) && '@context' in value) {
      contexts += 1;
      if (contexts > MAX_JSON_LD_CONTEXTS) {
        throw new RdfSyntaxError(`The JSON-LD holds more than ${MAX_JSON_LD_CONTEXTS} contexts, more than this server reads.`,
          JSON_LD);
      }
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      stack.push([ child, depth + 1 ]);
    }
  }
}

/** The parsed JSON, or an {@link RdfSyntaxError} saying where it breaks. */
function checkJsonSyntax(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error: unknown) {
    const message = (error as Error).message;
    // V8 gives an offset for most errors ("... at position 42"), but not for every unexpected token.
    const position = /position (\d+)/u.exec(message) ?? (/end of JSON input/u.test(message) ? [ '', `${body.length}` ] : null);
    if (!position) {
      throw new RdfSyntaxError(`Invalid JSON: ${message}`, JSON_LD, undefined, undefined, { cause: error });
    }
    const { line, column } = toLineAndColumn(body, Number(position[1]));
    throw new RdfSyntaxError(`Invalid JSON: ${message} (line ${line}, column ${column})`, JSON_LD, line, column,
      { cause: error });
  }
}

/** Converts a 0-based character offset into a 1-based line and column. */
function toLineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
