import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'n3';
import { actAsMember, logInAsMember } from '../../src/cli/MemberLogin';
import { StoredLogins } from '../../src/cli/StoredLogins';
import type { MoveReport } from '../../src/migration/movePod';
import { movePod } from '../../src/migration/movePod';
import { MoveJournal } from '../../src/migration/MoveJournal';
import type { TestMember } from '../harness/members';
import { createTestMember } from '../harness/members';
import { fixed, runPool, startServerProcess, importGeneratedProducts } from './benchUtil';

const RESOURCES = Number(process.env.FMP_BENCH_RESOURCES ?? 10_000);
const NAIVE_PARALLEL = 4;
// FMP_BENCH_NAIVE=0 skips the naive copy (it takes the better part of an hour for 10,000 documents).
const WITH_NAIVE = process.env.FMP_BENCH_NAIVE !== '0';
const GOAL_SECONDS = 60;
const GOAL_RATIO = 4;
const LDP_CONTAINS = 'http://www.w3.org/ns/ldp#contains';

/**
 * Copies a pod the naive way: list each container, GET each document (but the profile), PUT it on the target,
 * `parallel` at a time.
 */
async function naiveCopy(from: TestMember, to: TestMember, parallel: number): Promise<{ copied: number; failed: Map<number, number> }> {
  const documents: string[] = [];
  const pending = [ from.pod ];
  while (pending.length > 0) {
    const container = pending.pop()!;
    const response = await from.fetch(container, { headers: { accept: 'text/turtle' }});
    const quads = new Parser({ baseIRI: container }).parse(await response.text());
    for (const quad of quads) {
      // The old profile would replace the target's own, whose issuer the target's logins depend on.
      if (quad.predicate.value === LDP_CONTAINS && quad.object.value !== from.webId.split('#')[0]) {
        (quad.object.value.endsWith('/') ? pending : documents).push(quad.object.value);
      }
    }
  }
  let copied = 0;
  const failed = new Map<number, number>();
  await runPool(documents, parallel, async(url): Promise<void> => {
    const source = await from.fetch(url);
    const body = Buffer.from(await source.arrayBuffer());
    const target = `${to.pod}${url.slice(from.pod.length)}`;
    const put = await to.fetch(target, { method: 'PUT', headers: { 'content-type': source.headers.get('content-type')! }, body });
    await put.arrayBuffer();
    if (put.ok) {
      copied += 1;
    } else {
      failed.set(put.status, (failed.get(put.status) ?? 0) + 1);
    }
  });
  return { copied, failed };
}

/** Issue 6: moving a generated pod between two FMPs with fmp move, against a naive per-resource copy in the same run. */
export async function benchMove(): Promise<void> {
  const folders = await Promise.all([ 'a', 'b', 'config' ].map(async(name): Promise<string> => mkdtemp(join(tmpdir(), `fmp-bench-move-${name}-`))));
  const source = await startServerProcess(folders[0]);
  const target = await startServerProcess(folders[1]);
  const members: TestMember[] = [];
  try {
    const member = await createTestMember(source.baseUrl, 'mover');
    members.push(member);
    const writeSeconds = await importGeneratedProducts(member, source.baseUrl, RESOURCES);

    let start = Date.now();
    let naive: Awaited<ReturnType<typeof naiveCopy>> | undefined;
    if (WITH_NAIVE) {
      const naiveTarget = await createTestMember(target.baseUrl, 'naive');
      members.push(naiveTarget);
      naive = await naiveCopy(member, naiveTarget, NAIVE_PARALLEL);
    }
    const naiveSeconds = (Date.now() - start) / 1000;

    const stored = new StoredLogins(folders[2]);
    const auth = { server: source.baseUrl, email: member.email, password: member.password };
    start = Date.now();
    const report = await actAsMember(member.name, auth, stored, async(context): Promise<MoveReport> => movePod(context, source.baseUrl,
      { server: target.baseUrl, name: 'moved', email: member.email, password: member.password }, {
        logInToTarget: async() => logInAsMember('moved', { server: target.baseUrl, email: member.email, password: member.password }, stored),
        journal: new MoveJournal(folders[2]),
        onStep: (): void => undefined,
        onTransfer: (): void => undefined,
      }));
    const moveSeconds = (Date.now() - start) / 1000;
    const ratio = naiveSeconds / moveSeconds;
    const failures = [ ...naive?.failed ?? [] ].map(([ status, count ]): string => `${count} × ${status}`).join(', ');
    process.stdout.write([
      `## Moving a pod between two FMPs (issue 6), ${RESOURCES} generated products`,
      `imported ${RESOURCES} generated products into the pod in ${fixed(writeSeconds, 1)} s`,
      naive ?
        `naive copy (list containers, GET + PUT each document, ${NAIVE_PARALLEL} at a time): ${fixed(naiveSeconds, 1)} s, ` +
        `${naive.copied} documents copied${failures ? ` (${failures} refused)` : ''}; grants, ACLs and metadata not copied` :
        'naive copy skipped (FMP_BENCH_NAIVE=0)',
      `fmp move (account, export streamed into import, forwarding, grants, Move): ${fixed(moveSeconds, 1)} s, ` +
        `${report.resources} resources (goal <= ${GOAL_SECONDS} s) ${moveSeconds <= GOAL_SECONDS ? 'MET' : 'NOT MET'}`,
      naive ? `ratio naive / move: ${fixed(ratio, 2)} (goal >= ${GOAL_RATIO}) ${ratio >= GOAL_RATIO ? 'MET' : 'NOT MET'}` : '',
      '',
    ].join('\n'));
  } finally {
    await Promise.all(members.map(async(member): Promise<void> => member.session.logout()));
    await source.stop();
    await target.stop();
    await Promise.all(folders.map(async(folder): Promise<void> => rm(folder, { recursive: true, force: true })));
  }
}
