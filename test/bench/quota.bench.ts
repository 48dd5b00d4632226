import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtensionBasedMapper, FileSizeReporter } from '@solid/community-server';
import { PodSizeReporter } from '../../pod-server/storage/quota/PodSizeReporter';
import { LocalPodSizeTotals } from '../../pod-server/cluster/LocalPodSizeTotals';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { productToQuads } from '../../shapes/access/productRdf';
import { generateProducts } from '../../shapes/demo/catalogData';
import type { TestMember } from '../harness/members';
import { createTestMember } from '../harness/members';
import type { ServerProcess } from './benchUtil';
import type { ServerProcessOptions } from './benchUtil';
import { fixed, importGeneratedProducts, median, startServerProcess, timeEach } from './benchUtil';

const RESOURCES = Number(process.env.FMP_BENCH_RESOURCES ?? 10_000);
/** PUTs per kind and server per block; short blocks alternate between the servers, so drift (other load) hits both alike. */
const PUTS_PER_BLOCK = 5;
const BLOCKS = 16;
const GOAL = 1.05;

interface Subject {
  name: string;
  server: ServerProcess;
  folder: string;
  member: TestMember;
  created: number;
}

/**
 * Issue 16: what the pod quota costs a write, in a pod of RESOURCES products. Median PUT latency on a server with the
 * default quota (1 GB) ÷ the same on one with `--pod-quota 0`, both running now: overwriting a product in `catalog/`
 * (beside all the others), creating one there, and creating a small document in a folder of its own. Then, in
 * process, what measuring that pod costs: CSS's `FileSizeReporter` (which CSS's `QuotaValidator` calls at the start,
 * for every chunk and at the end of every write) and the FMP's walk, done once per pod and server start.
 */
export async function benchQuota(): Promise<void> {
  const subjects: Subject[] = [];
  try {
    for (const [ name, options ] of [[ 'quota', {}], [ 'none', { 'pod-quota': 0 }]] as [string, ServerProcessOptions][]) {
      const folder = await mkdtemp(join(tmpdir(), `fmp-bench-quota-${name}-`));
      const server = await startServerProcess(folder, options);
      const member = await createTestMember(server.baseUrl, 'bench');
      subjects.push({ name, server, folder, member, created: 0 });
      await importGeneratedProducts(member, server.baseUrl, RESOURCES);
    }
    const [ product ] = generateProducts(1);
    const turtle = (url: string): string => quadsToTurtle(productToQuads(url, product) as Parameters<typeof quadsToTurtle>[0]);
    const put = async(member: TestMember, url: string, body: string): Promise<void> => {
      const response = await member.fetch(url, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body });
      await response.arrayBuffer();
      if (!response.ok) {
        throw new Error(`PUT ${url} answered ${response.status}`);
      }
    };
    const kinds = {
      overwrite: (subject: Subject) => async(): Promise<void> =>
        put(subject.member, `${subject.member.pod}catalog/bench-product`, turtle(`${subject.member.pod}catalog/bench-product`)),
      create: (subject: Subject) => async(): Promise<void> => {
        subject.created += 1;
        const url = `${subject.member.pod}catalog/bench-new-${subject.created}`;
        await put(subject.member, url, turtle(url));
      },
      small: (subject: Subject) => async(): Promise<void> => {
        subject.created += 1;
        await put(subject.member, `${subject.member.pod}notes/note-${subject.created}`, `<#n> <#p> "${subject.created}".`);
      },
    };
    const times: Record<string, Record<string, number[]>> = {};
    for (let block = 0; block < BLOCKS; block += 1) {
      for (const [ kind, action ] of Object.entries(kinds)) {
        for (const subject of subjects) {
          times[kind] ??= {};
          (times[kind][subject.name] ??= []).push(...await timeEach(PUTS_PER_BLOCK, action(subject), block === 0 ? 3 : 0));
        }
      }
    }
    for (const subject of subjects) {
      await subject.member.session.logout();
    }

    // Measuring the pod, in process, as each reporter does.
    const [ quota ] = subjects;
    const pods = join(quota.folder, 'pods');
    const mapper = new ExtensionBasedMapper(quota.server.baseUrl, pods);
    const pod = { path: quota.member.pod };
    const css = median(await timeEach(3, async(): Promise<void> => {
      await new FileSizeReporter(mapper, pods).getSize(pod);
    }, 1));
    const walk = median(await timeEach(3, async(): Promise<void> => {
      await new PodSizeReporter(mapper, new LocalPodSizeTotals()).getSize(pod);
    }, 1));

    const lines = [ `## Pod quota (issue 16), a pod of ${RESOURCES} products, ${BLOCKS * PUTS_PER_BLOCK} PUTs per kind and server` ];
    for (const [ kind, label ] of [[ 'overwrite', 'overwrite a product in catalog/ (10,000 siblings)' ],
      [ 'create', 'create a product in catalog/' ], [ 'small', 'create a small document in notes/' ]]) {
      const limited = median(times[kind].quota);
      const none = median(times[kind].none);
      const ratio = limited / none;
      lines.push(`${label}: ${fixed(limited)} ms with the 1 GB quota, ${fixed(none)} ms with --pod-quota 0; ` +
        `ratio ${fixed(ratio, 3)} (goal <= ${GOAL}) ${ratio <= GOAL ? 'MET' : 'NOT MET'}`);
    }
    lines.push(`measuring the pod once: CSS's FileSizeReporter ${fixed(css)} ms (CSS's QuotaValidator: at least 3 per write), ` +
      `the FMP's PodSizeReporter ${fixed(walk)} ms (once per pod and server start, then kept)`, '');
    process.stdout.write(lines.join('\n'));
  } finally {
    for (const subject of subjects) {
      await subject.server.stop();
      await rm(subject.folder, { recursive: true, force: true });
    }
  }
}
