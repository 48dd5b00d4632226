import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsentApi } from '../../src/client/ConsentApi';
import { runFmp } from '../harness/cli';
import { createTestMember } from '../harness/members';
import type { CookieJar } from '../harness/webAppSignIn';
import { signInToWebApp } from '../harness/webAppSignIn';
import { fixed, HARDENING_OFF, median, runPool, startServerProcess } from './benchUtil';

const RENDERS = Number(process.env.FMP_BENCH_RENDERS ?? 30);
const ACCESS_GRANTS = 200;

interface Render { total: number; server: number; bytes: number }

/** One page as a signed-in member's browser asks for it: wall time, the app's own Server-Timing, and its size. */
async function render(jar: CookieJar, url: string): Promise<Render> {
  const start = process.hrtime.bigint();
  const response = await jar.fetch(url);
  const body = await response.arrayBuffer();
  const total = Number(process.hrtime.bigint() - start) / 1e6;
  if (response.status !== 200) {
    throw new Error(`GET ${url} answered ${response.status}`);
  }
  const server = Number(/app;dur=([\d.]+)/u.exec(response.headers.get('server-timing') ?? '')?.[1] ?? Number.NaN);
  return { total, server, bytes: body.byteLength };
}

/** Medians of RENDERS renders of each page, interleaved with the baseline so all see the same machine state. */
async function measure(jar: CookieJar, baseline: () => Promise<number>, urls: string[]): Promise<{ base: number; pages: Render[] }> {
  const base: number[] = [];
  const pages = urls.map((): Render[] => []);
  for (let index = 0; index < RENDERS + 3; index += 1) {
    const time = await baseline();
    const rendered = [];
    for (const url of urls) {
      rendered.push(await render(jar, url));
    }
    // The first renders warm caches (grant index, JIT); they are not counted.
    if (index >= 3) {
      base.push(time);
      rendered.forEach((entry, page): number => pages[page].push(entry));
    }
  }
  return {
    base: median(base),
    pages: pages.map((list): Render => ({ total: median(list.map((entry): number => entry.total)),
      server: median(list.map((entry): number => entry.server)), bytes: list[0].bytes })),
  };
}

/**
 * Issue 14: time to first render of the web app's home page (a demo farm: 30 products, a season of harvests) and of
 * its access page with 200 grants (goal: each <= 300 ms server time), and page weight, against a plain authenticated
 * GET of one pod resource in the same run.
 */
export async function benchWebApp(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-webapp-'));
  const server = await startServerProcess(folder, HARDENING_OFF);
  try {
    const member = await createTestMember(server.baseUrl, 'farmer');
    const seeded = await runFmp([ 'demo', 'seed', member.name, '--email', member.email, '--password', member.password, '--server', server.baseUrl ]);
    if (seeded.code !== 0) {
      throw new Error(seeded.stderr);
    }
    const consent = new ConsentApi(server.baseUrl, member.name, member.fetch);
    await runPool(Array.from({ length: ACCESS_GRANTS }, (_, index): number => index), 4, async(index): Promise<void> => {
      await consent.createGrant({ grantee: { webId: `https://agents.example/${index}#me` }, scope: [ `catalog/` ],
        modes: [ 'read' ], purpose: `bench ${index}`, duration: `${(index % 90) + 1}d` });
    });
    const jar = await signInToWebApp(server.baseUrl, member.email, member.password);
    const product = `${member.pod}catalog/`;
    const baseline = async(): Promise<number> => {
      const start = process.hrtime.bigint();
      const response = await member.fetch(product);
      await response.arrayBuffer();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const app = new URL('.fmp/', server.baseUrl).href;
    const { base, pages: [ home, access ] } = await measure(jar, baseline, [ app, `${app}app/access` ]);
    const css = (await (await fetch(`${app}app/static/app.css`)).arrayBuffer()).byteLength;
    const js = (await (await fetch(`${app}app/static/app.js`)).arrayBuffer()).byteLength;
    const firstPage = home.bytes + css + js;
    const line = (label: string, page: Render): string =>
      `${label}: ${fixed(page.server)} ms in the app (goal <= 300 ms) ${page.server <= 300 ? 'MET' : 'NOT MET'}, ` +
      `${fixed(page.total)} ms received; ${fixed(page.total / base, 1)} x the baseline; ${page.bytes} bytes of HTML`;
    process.stdout.write([
      '## Member web app (issue 14)',
      `baseline: authenticated GET of ${product.slice(member.pod.length)} (a container of 30 products): ${fixed(base)} ms (median of ${RENDERS})`,
      line('home (30 products, a season of harvests)', home),
      line(`access page (${ACCESS_GRANTS} grants)`, access),
      `first page weight: ${firstPage} bytes (HTML ${home.bytes} + CSS ${css} + JS ${js}; goal < 100 KB) ${firstPage < 100_000 ? 'MET' : 'NOT MET'}`,
      '',
    ].join('\n'));
    await member.session.logout();
  } finally {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
