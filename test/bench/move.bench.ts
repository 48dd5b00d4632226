import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Parser } from 'n3';
import { generateProductResources } from '../../shapes/demo/generateDemoFarm';
import type { TestMember } from '../harness/members';
import { createTestMember } from '../harness/members';
import { fixed, runPool, startServerProcess } from './benchUtil';

const WRITERS = 8;
const RESOURCES = Number(process.env.FMP_BENCH_RESOURCES ?? 10_000);
const LDP_CONTAINS = 'http://www.w3.org/ns/ldp#contains';

/** Copies a pod the naive way: list each container, GET each document, PUT it on the target, `parallel` at a time. */
async function naiveCopy(from: TestMember, to: TestMember, parallel: number): Promise<number> {
  const documents: string[] = [];
  const pending = [ from.pod ];
  while (pending.length > 0) {
    const container = pending.pop()!;
    const response = await from.fetch(container, { headers: { accept: 'text/turtle' }});
    const quads = new Parser({ baseIRI: container }).parse(await response.text());
    for (const quad of quads) {
      if (quad.predicate.value === LDP_CONTAINS) {
        (quad.object.value.endsWith('/') ? pending : documents).push(quad.object.value);
      }
    }
  }
  let copied = 0;
  await runPool(documents, parallel, async(url): Promise<void> => {
    const source = await from.fetch(url);
    const body = Buffer.from(await source.arrayBuffer());
    const target = `${to.pod}${url.slice(from.pod.length)}`;
    const put = await to.fetch(target, { method: 'PUT', headers: { 'content-type': source.headers.get('content-type')! }, body });
    await put.arrayBuffer();
    copied += put.ok ? 1 : 0;
  });
  return copied;
}

/** Export piped into import. */
async function bulkCopy(from: TestMember, to: TestMember): Promise<string> {
  const exported = await from.fetch(new URL(`.fmp/export/${from.name}`, from.pod).href.replace(`${from.name}/.fmp`, '.fmp'));
  const imported = await to.fetch(new URL(`.fmp/import/${to.name}`, new URL('/', to.pod)).href, {
    method: 'POST', headers: { 'content-type': 'application/x-tar' },
    body: Readable.toWeb(Readable.fromWeb(exported.body as never)) as ReadableStream, duplex: 'half',
  } as RequestInit);
  return `${imported.status} ${await imported.text()}`;
}

/** Issue 6: moving a generated pod between two FMPs, against a naive per-resource copy in the same run. */
export async function benchMove(): Promise<void> {
  const folders = [ await mkdtemp(join(tmpdir(), 'fmp-bench-move-a-')), await mkdtemp(join(tmpdir(), 'fmp-bench-move-b-')) ];
  const source = await startServerProcess(folders[0]);
  const target = await startServerProcess(folders[1]);
  try {
    const member = await createTestMember(source.baseUrl, 'mover');
    await runPool(generateProductResources(member.pod, RESOURCES), WRITERS, async({ path, turtle }): Promise<void> => {
      const response = await member.fetch(`${member.pod}${path}`, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: turtle });
      await response.arrayBuffer();
    });
    const naiveTarget = await createTestMember(target.baseUrl, 'naive');
    let start = Date.now();
    const copied = await naiveCopy(member, naiveTarget, 4);
    const naiveSeconds = (Date.now() - start) / 1000;
    const bulkTarget = await createTestMember(target.baseUrl, 'bulk');
    start = Date.now();
    const result = await bulkCopy(member, bulkTarget);
    const bulkSeconds = (Date.now() - start) / 1000;
    process.stdout.write(`naive ${copied} in ${fixed(naiveSeconds, 1)} s; bulk ${fixed(bulkSeconds, 1)} s: ${result}\n`);
  } finally {
    await source.stop();
    await target.stop();
    await Promise.all(folders.map(async(folder): Promise<void> => rm(folder, { recursive: true, force: true })));
  }
}
