import { readFile } from 'node:fs/promises';
import { ConsentApi } from '../../src/client/ConsentApi';
import type { ClusterShape, TestCluster } from '../harness/cluster';
import { startTestCluster } from '../harness/cluster';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import { startTestRedis } from '../harness/redisServer';
import { fixed, median, runPool } from './benchUtil';

/** Requests per kind and server in each of the rounds (`FMP_BENCH_REQUESTS`). */
const REQUESTS = Number(process.env.FMP_BENCH_REQUESTS ?? 400);
const ROUNDS = 3;
const CONCURRENCY = 16;
const REVOCATIONS = Number(process.env.FMP_BENCH_REVOCATIONS ?? 30);
const TURTLE = { 'content-type': 'text/turtle' };

interface Subject {
  label: string;
  cluster: TestCluster;
  member: TestMember;
  /** One document per concurrent client, so writes measure the server, not one resource's lock. */
  documents: string[];
}

async function prepare(label: string, cluster: TestCluster): Promise<Subject> {
  const member = await createTestMember(cluster.baseUrl, uniqueName('bench'));
  const documents = Array.from({ length: CONCURRENCY }, (unused, index): string => `${member.pod}notes/note-${index}`);
  for (const url of documents) {
    await request(member, url, 'PUT');
  }
  return { label, cluster, member, documents };
}

async function request(member: TestMember, url: string, method: 'GET' | 'PUT'): Promise<void> {
  const response = await member.fetch(url, method === 'PUT' ?
    { method, headers: TURTLE, body: '<#note> <http://schema.org/text> "An ordinary note, rewritten again and again.".' } :
    {});
  await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(`${method} ${url} answered ${response.status}`);
  }
}

/** CPU seconds the processes `pids` used so far (Linux's /proc, in clock ticks of 1/100 s). */
async function cpuSecondsOf(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch((): string => '');
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100;
}

/** This process's CPU seconds so far: the bench client, which signs a DPoP proof per request, and the proxy. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Seconds for `REQUESTS` authenticated requests, `CONCURRENCY` at a time. */
async function timeRequests(subject: Subject, method: 'GET' | 'PUT'): Promise<number> {
  const start = performance.now();
  await runPool(Array.from({ length: REQUESTS }, (unused, index): number => index), CONCURRENCY, async(index): Promise<void> =>
    request(subject.member, subject.documents[index % CONCURRENCY], method));
  return (performance.now() - start) / 1000;
}

/**
 * On a two-process FMP: how often a grant revoked through one process is refused on the very next request (which
 * the proxy sends to the other process), and how long the revocation itself takes, against one process.
 */
async function measureRevocation(subject: Subject, grantee: TestMember): Promise<{ refusedNext: number; crossed: number;
  revokeMs: number; }> {
  const consent = new ConsentApi(subject.cluster.baseUrl, subject.member.name, subject.member.fetch);
  const item = subject.documents[0];
  let refusedNext = 0;
  let crossed = 0;
  const revokeTimes: number[] = [];
  for (let round = 0; round < REVOCATIONS; round += 1) {
    const { grant } = await consent.createGrant({ grantee: { webId: grantee.webId }, scope: [ 'notes/' ], modes: [ 'read' ],
      purpose: 'bench', duration: '1h' });
    const read = await grantee.fetch(item);
    await read.arrayBuffer();
    if (read.status !== 200) {
      throw new Error(`the grant did not count at once (${read.status})`);
    }
    const start = performance.now();
    await consent.revokeGrant(grant.id);
    revokeTimes.push(performance.now() - start);
    const revokedOn = subject.cluster.proxy.history.at(-1);
    const next = await grantee.fetch(item);
    await next.arrayBuffer();
    if (subject.cluster.proxy.history.at(-1) !== revokedOn) {
      crossed += 1;
    }
    if (next.status === 403) {
      refusedNext += 1;
    }
  }
  return { refusedNext, crossed, revokeMs: median(revokeTimes) };
}

/** `npm run bench -- cluster`: one FMP process against two (and against CSS's `--workers 2`), on one Redis. */
export async function benchCluster(): Promise<void> {
  const redis = await startTestRedis();
  const shapes: [string, ClusterShape][] = [
    [ '1 process', { processes: 1 }],
    [ '2 processes', { processes: 2 }],
    [ '--workers 2', { workers: 2 }],
  ];
  const clusters: TestCluster[] = [];
  try {
    const subjects: Subject[] = [];
    for (const [ label, shape ] of shapes) {
      const cluster = await startTestCluster(redis, shape, [ '--rate-limits', 'off', '--snapshot-interval', '0' ]);
      clusters.push(cluster);
      subjects.push(await prepare(label, cluster));
    }
    const seconds = new Map<string, { GET: number; PUT: number }>(subjects.map((subject): [string, { GET: number; PUT: number }] =>
      [ subject.label, { GET: 0, PUT: 0 }]));
    const cpu = new Map<string, { servers: number; client: number }>(subjects.map((subject): [string, { servers: number;
      client: number; }] => [ subject.label, { servers: 0, client: 0 }]));
    // Warm-up, then rounds that take turns, so each setup sees the same machine.
    for (const subject of subjects) {
      await timeRequests(subject, 'GET');
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const subject of subjects) {
        const pids = await subject.cluster.pids();
        const [ serversBefore, clientBefore ] = [ await cpuSecondsOf(pids), ownCpuSeconds() ];
        for (const method of [ 'GET', 'PUT' ] as const) {
          seconds.get(subject.label)![method] += await timeRequests(subject, method);
        }
        cpu.get(subject.label)!.servers += await cpuSecondsOf(pids) - serversBefore;
        cpu.get(subject.label)!.client += ownCpuSeconds() - clientBefore;
      }
    }
    const total = REQUESTS * ROUNDS;
    process.stdout.write(`\n## More than one FMP process (issue 15): authenticated requests, ${CONCURRENCY} at a time, ` +
      `${total} per kind and setup, on one Redis, behind one proxy\n`);
    const baseline = seconds.get('1 process')!;
    for (const subject of subjects) {
      const measured = seconds.get(subject.label)!;
      const ratio = (method: 'GET' | 'PUT'): string => fixed(baseline[method] / measured[method]);
      const used = cpu.get(subject.label)!;
      const wall = measured.GET + measured.PUT;
      process.stdout.write(`${subject.label}: GET ${fixed(total / measured.GET, 1)}/s, PUT ${fixed(total / measured.PUT, 1)}/s` +
        `${subject.label === '1 process' ? ' (baseline)' : ` (throughput × ${ratio('GET')} GET, × ${ratio('PUT')} PUT)`}; ` +
        `CPU per request: FMP processes ${fixed(used.servers * 1000 / (2 * total), 1)} ms, bench client and proxy ` +
        `${fixed(used.client * 1000 / (2 * total), 1)} ms; cores busy ${fixed((used.servers + used.client) / wall)} of 2\n`);
    }
    const grantee = await createTestMember(subjects[1].cluster.baseUrl, uniqueName('grantee'));
    const two = await measureRevocation(subjects[1], grantee);
    const oneGrantee = await createTestMember(subjects[0].cluster.baseUrl, uniqueName('grantee'));
    const one = await measureRevocation(subjects[0], oneGrantee);
    process.stdout.write(`Revocation across processes: the very next request was refused ${two.refusedNext}/${REVOCATIONS} ` +
      `times (${two.crossed} of them on the other process; goal: all); revoke took ${fixed(two.revokeMs, 1)} ms median on 2 ` +
      `processes, ${fixed(one.revokeMs, 1)} ms on 1 (ratio ${fixed(two.revokeMs / one.revokeMs)})\n`);
    process.stdout.write('(This machine has 2 cores, shared by the FMP processes, Redis, the proxy and the bench client that ' +
      'signs a DPoP proof for every request.)\n');
  } finally {
    for (const cluster of clusters) {
      await cluster.destroy();
    }
    await redis.stop();
  }
}
