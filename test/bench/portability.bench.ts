import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestMember } from '../harness/members';
import { fixed, startServerProcess, importGeneratedProducts } from './benchUtil';

const RESOURCES = Number(process.env.FMP_BENCH_RESOURCES ?? 10_000);
const GOAL_SECONDS = 15;

/** Issue 6: exporting a generated pod of RESOURCES products (~1 KB each), time and the server's peak memory. */
export async function benchPortability(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-portability-'));
  const server = await startServerProcess(folder);
  try {
    const member = await createTestMember(server.baseUrl, 'bench');
    const writeSeconds = await importGeneratedProducts(member, server.baseUrl, RESOURCES);

    const before = await server.residentMiB();
    let peak = before;
    const sampler = setInterval((): void => {
      server.residentMiB().then((now): void => {
        peak = Math.max(peak, now);
      }, (): void => undefined);
    }, 50);
    const start = Date.now();
    const response = await member.fetch(new URL('.fmp/export/bench', server.baseUrl));
    if (!response.ok || !response.body) {
      throw new Error(`export answered ${response.status}`);
    }
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
    }
    const seconds = (Date.now() - start) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, await server.residentMiB());
    await member.session.logout();

    process.stdout.write([
      `## Pod export (issue 6), ${RESOURCES} generated products`,
      `imported ${RESOURCES} generated products into the pod in ${fixed(writeSeconds, 1)} s`,
      `export: ${fixed(seconds, 2)} s for ${fixed(bytes / 1e6, 1)} MB (${response.headers.get('x-fmp-resource-count')} resources) ` +
        `(goal <= ${GOAL_SECONDS} s) ${seconds <= GOAL_SECONDS ? 'MET' : 'NOT MET'}`,
      `server RSS before export: ${fixed(before, 1)} MiB; peak during export: ${fixed(peak, 1)} MiB (+${fixed(peak - before, 1)} MiB)`,
      '',
    ].join('\n'));
  } finally {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
