// Seeded generators of bad input for the fuzz tests: the same seed gives the same cases, so a failure can be replayed
// with `FMP_FUZZ_SEED=<seed> npm test`.

/** A seeded pseudo-random source (mulberry32: small, fast, good enough to pick mutations). */
export class SeededRandom {
  private state: number;

  public constructor(public readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  public next(): number {
    this.state = (this.state + 0x6D2B79F5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One of `items`. */
  public pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** `length` random bytes. */
  public bytes(length: number): Buffer {
    const buffer = Buffer.alloc(length);
    for (let index = 0; index < length; index += 1) {
      buffer[index] = this.int(0, 255);
    }
    return buffer;
  }
}

/** The fuzz seed: `FMP_FUZZ_SEED` when set (to replay a failure), else a fixed one, so CI runs the same cases. */
export function fuzzSeed(): number {
  const fromEnvironment = Number(process.env.FMP_FUZZ_SEED);
  return Number.isInteger(fromEnvironment) ? fromEnvironment : 20_261_202;
}

/** How many cases to run: `FMP_FUZZ_SCALE` multiplies the default (e.g. 10 for a long run before a release). */
export function fuzzCases(defaultCount: number): number {
  const scale = Number(process.env.FMP_FUZZ_SCALE);
  return Math.max(1, Math.round(defaultCount * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** One generated body: what it is (for the failure message), its bytes and the media type it is sent as. */
export interface FuzzBody {
  label: string;
  body: Buffer;
  contentType: string;
}

/** Ways to damage a well-formed document: each returns the damaged bytes and a name for the report. */
const MUTATIONS: readonly ((random: SeededRandom, text: Buffer) => [string, Buffer])[] = [
  (random, text): [string, Buffer] => {
    const at = random.int(0, Math.max(0, text.length - 1));
    return [ `truncated at ${at}`, text.subarray(0, at) ];
  },
  (random, text): [string, Buffer] => {
    const copy = Buffer.from(text);
    const flips = random.int(1, 8);
    for (let flip = 0; flip < flips && copy.length > 0; flip += 1) {
      copy[random.int(0, copy.length - 1)] = random.int(0, 255);
    }
    return [ `${flips} byte(s) changed`, copy ];
  },
  (random, text): [string, Buffer] => {
    const at = random.int(0, text.length);
    return [ `garbage inserted at ${at}`, Buffer.concat([ text.subarray(0, at), random.bytes(random.int(1, 64)), text.subarray(at) ]) ];
  },
  (random, text): [string, Buffer] => {
    const at = random.int(0, text.length);
    const token = random.pick([ '"', '<', '>', '{', '}', '[', ']', '(', ')', '.', ';', ',', '@prefix', '"""', '\\', '\0',
      '\uFEFF', '\uD800', '^^', '@', '_:', '#', '\r\n' ]);
    return [ `${JSON.stringify(token)} inserted at ${at}`, Buffer.concat([ text.subarray(0, at), Buffer.from(token), text.subarray(at) ]) ];
  },
  (random, text): [string, Buffer] => {
    const from = random.int(0, text.length);
    const to = random.int(from, Math.min(text.length, from + 200));
    return [ `bytes ${from}-${to} removed`, Buffer.concat([ text.subarray(0, from), text.subarray(to) ]) ];
  },
];

/** `text` damaged by one seeded mutation. */
export function mutate(random: SeededRandom, text: Buffer): [string, Buffer] {
  return random.pick(MUTATIONS)(random, text);
}

/** Documents built to strain a parser rather than to be wrong in one place. */
export function hostileDocument(random: SeededRandom, subject: string): FuzzBody {
  const depth = random.int(1_000, 20_000);
  const count = random.int(1_000, 20_000);
  const kinds: (() => FuzzBody)[] = [
    (): FuzzBody => ({ label: `Turtle blank nodes nested ${depth} deep`, contentType: 'text/turtle',
      body: Buffer.from(`<${subject}> <http://ex.org/p> ${'[ <http://ex.org/p> '.repeat(depth)}1${' ]'.repeat(depth)} .`) }),
    (): FuzzBody => ({ label: `Turtle list nested ${depth} deep`, contentType: 'text/turtle',
      body: Buffer.from(`<${subject}> <http://ex.org/p> ${'( '.repeat(depth)}1${' )'.repeat(depth)} .`) }),
    (): FuzzBody => ({ label: `Turtle opened ${depth} blank nodes and never closed them`, contentType: 'text/turtle',
      body: Buffer.from(`<${subject}> <http://ex.org/p> ${'[ <http://ex.org/p> '.repeat(depth)}`) }),
    (): FuzzBody => ({ label: `JSON-LD objects nested ${depth} deep`, contentType: 'application/ld+json',
      body: Buffer.from(`${'{"@id":"#a","http://ex.org/p":'.repeat(depth)}1${'}'.repeat(depth)}`) }),
    (): FuzzBody => ({ label: `JSON-LD arrays nested ${depth} deep`, contentType: 'application/ld+json',
      body: Buffer.from(`{"@id":"#a","http://ex.org/p":${'['.repeat(depth)}1${']'.repeat(depth)}}`) }),
    (): FuzzBody => ({ label: `JSON-LD contexts nested ${Math.min(depth, 5_000)} deep`, contentType: 'application/ld+json',
      body: Buffer.from(`${'{"@context":{"p":"http://ex.org/p"},"p":'.repeat(Math.min(depth, 5_000))}1${'}'.repeat(Math.min(depth, 5_000))}`) }),
    (): FuzzBody => ({ label: `${count} blank nodes`, contentType: 'text/turtle',
      body: Buffer.from(Array.from({ length: count }, (_, index): string => `_:b${index} <http://ex.org/p> _:b${index + 1} .`).join('\n')) }),
    (): FuzzBody => ({ label: `${count} anonymous blank nodes on one subject`, contentType: 'text/turtle',
      body: Buffer.from(`<${subject}> <http://ex.org/p> ${Array.from({ length: count }, (): string => '[]').join(', ')} .`) }),
    (): FuzzBody => {
      const size = random.int(100_000, 1_500_000);
      return { label: `a ${size}-character literal`, contentType: 'text/turtle',
        body: Buffer.from(`<${subject}> <http://ex.org/p> "${'x'.repeat(size)}" .`) };
    },
    (): FuzzBody => {
      const size = random.int(100_000, 1_500_000);
      return { label: `a ${size}-character IRI`, contentType: 'text/turtle',
        body: Buffer.from(`<${subject}> <http://ex.org/p> <http://ex.org/${'y'.repeat(size)}> .`) };
    },
    (): FuzzBody => ({ label: `${count} prefixes`, contentType: 'text/turtle',
      body: Buffer.from(Array.from({ length: count }, (_, index): string => `@prefix p${index}: <http://ex.org/${index}#> .`).join('\n')) }),
    (): FuzzBody => ({ label: 'binary garbage as Turtle', contentType: 'text/turtle', body: random.bytes(random.int(1, 20_000)) }),
    (): FuzzBody => ({ label: 'binary garbage as JSON-LD', contentType: 'application/ld+json', body: random.bytes(random.int(1, 20_000)) }),
    (): FuzzBody => ({ label: 'binary garbage as N-Triples', contentType: 'application/n-triples', body: random.bytes(random.int(1, 20_000)) }),
    (): FuzzBody => ({ label: 'JSON-LD with a remote context', contentType: 'application/ld+json',
      body: Buffer.from(`{"@context":"http://127.0.0.1:1/context.jsonld","@id":"#a","p":1}`) }),
    (): FuzzBody => ({ label: 'JSON-LD with a non-object root', contentType: 'application/ld+json',
      body: Buffer.from(random.pick([ '1', '"text"', 'null', 'true', '[1,2]', '[[[]]]', '{"@graph":1}', '{"@context":1}', '{"@id":1}',
        '{"@type":{"x":1}}', '{"@context":{"@vocab":1}}', '{"@context":{"p":{"@id":"@type"}},"p":1}', '{"@id":"#a","@reverse":1}',
        '{"@context":{"p":{"@container":"@list"}},"p":{"@list":{"@list":1}}}', '{"@context":[null,{"a":{"@reverse":"b"}}],"a":1}' ])) }),
    (): FuzzBody => ({ label: 'Turtle with invalid IRIs and escapes', contentType: 'text/turtle',
      body: Buffer.from(random.pick([ `<http://ex ample.org/> <http://ex.org/p> 1 .`, `<${subject}> <http://ex.org/p> "\\uD800" .`,
        `<${subject}> <http://ex.org/p> "\\u0000" .`, `<${subject}> <http://ex.org/p> <\\u0020> .`,
        `<${subject}> <http://ex.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#decimal>^^<x> .`,
        `@base <javascript:alert(1)> . <> <p> 1 .`, `<${subject}> <http://ex.org/p> "a"@${'x'.repeat(10_000)} .`,
        `@prefix : <../../../../../../> . :a :b :c .`, `<${subject}> <http://ex.org/p> """${'"'.repeat(2)}`,
        `<${subject}> a <http://ex.org/T> ; ; ; .` ])) }),
  ];
  return random.pick(kinds)();
}

/**
 * One bad RDF body for a resource at `subject`, built from `seed` (a well-formed Turtle document): a seeded mutation of
 * it, a hostile document, or the seed sent under a wrong media type.
 */
export function badRdfBody(random: SeededRandom, subject: string, seed: Buffer): FuzzBody {
  const choice = random.next();
  if (choice < 0.55) {
    const [ label, body ] = mutate(random, seed);
    return { label: `Turtle, ${label}`, body, contentType: random.pick([ 'text/turtle', 'text/turtle; charset=utf-8' ]) };
  }
  if (choice < 0.9) {
    return hostileDocument(random, subject);
  }
  const contentType = random.pick([ 'application/ld+json', 'application/n-triples', 'application/n-quads', 'text/turtle; charset=utf-16',
    'text/turtle;;;', 'application/ld+json; profile=x', 'TEXT/TURTLE' ]);
  return { label: `Turtle sent as ${contentType}`, body: seed, contentType };
}

/** Whether an error message is one a person can read: one line or a few, no stack frames, no `[object Object]`. */
export function readableProblem(message: string): string | undefined {
  const text = message.trim();
  if (text.length === 0) {
    return 'the message is empty';
  }
  if (/\n\s+at .+:\d+:\d+\)?/u.test(text)) {
    return 'the message holds a stack trace';
  }
  if (text.includes('[object Object]')) {
    return 'the message says [object Object]';
  }
  if (text.length > 20_000) {
    return `the message is ${text.length} characters long`;
  }
  return undefined;
}
