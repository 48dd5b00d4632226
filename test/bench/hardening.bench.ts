import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialsExtractor, HttpHandlerInput, HttpRequest } from '@solid/community-server';
import { MemoryRateCounterStore } from '../../pod-server/ratelimit/MemoryRateCounterStore';
import { SystemClock } from '../../pod-server/ratelimit/Clock';
import { RateLimitHttpHandler } from '../../pod-server/ratelimit/RateLimitHttpHandler';
import { RateLimitSettings } from '../../pod-server/ratelimit/RateLimitSettings';
import { WindowLimiter } from '../../pod-server/ratelimit/WindowLimiter';
import { RATE_LIMIT_DEFAULTS } from '../../src/server/FmpServer';
import type { TestMember } from '../harness/members';
import { createTestMember } from '../harness/members';
import type { ServerProcess } from './benchUtil';
import { fixed, HARDENING_OFF, median, startServerProcess } from './benchUtil';

/** Requests of each kind per server (`FMP_BENCH_REQUESTS`). */
const REQUESTS = Number(process.env.FMP_BENCH_REQUESTS ?? 600);
const WARMUP = 30;
const GOAL = 1.05;
const TURTLE = { 'content-type': 'text/turtle' };
const BODY = '<#note> <http://schema.org/text> "An ordinary note, rewritten again and again.".';

/** One server's member and the document they read and write. */
interface Subject {
  member: TestMember;
  url: string;
}

/** Signs a member up and writes the document they will read and write. */
async function signUpSubject(server: ServerProcess): Promise<Subject> {
  const member = await createTestMember(server.baseUrl, 'bench');
  const url = `${member.pod}notes/note`;
  await timeRequest({ member, url }, 'PUT');
  return { member, url };
}

/** Milliseconds of one request by the subject's owner; fails on anything but success. */
async function timeRequest(subject: Subject, method: 'GET' | 'PUT'): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await subject.member.fetch(subject.url, method === 'PUT' ? { method, headers: TURTLE, body: BODY } : {});
  await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(`${method} ${subject.url} answered ${response.status}`);
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Median milliseconds of `method` on each server, one request to each in turn (the order swapped every time), so
 * both see the same machine: other processes' load shifts within seconds.
 */
async function compare(hardened: Subject, baseline: Subject, method: 'GET' | 'PUT'): Promise<{ hardened: number; baseline: number }> {
  for (let index = 0; index < WARMUP; index += 1) {
    await timeRequest(hardened, method);
    await timeRequest(baseline, method);
  }
  const times = { hardened: [] as number[], baseline: [] as number[] };
  for (let index = 0; index < REQUESTS; index += 1) {
    if (index % 2 === 0) {
      times.hardened.push(await timeRequest(hardened, method));
      times.baseline.push(await timeRequest(baseline, method));
    } else {
      times.baseline.push(await timeRequest(baseline, method));
      times.hardened.push(await timeRequest(hardened, method));
    }
  }
  return { hardened: median(times.hardened), baseline: median(times.baseline) };
}

/** The rate limiter's own check of an ordinary PUT, in this process, in microseconds: what it adds, for scale. */
async function timeLimiterCheck(): Promise<number> {
  const clock = new SystemClock();
  const defaults = RATE_LIMIT_DEFAULTS;
  const settings = new RateLimitSettings(defaults.rateLimits, defaults.rateLimitSignups, defaults.rateLimitLogins,
    defaults.rateLimitLoginFailures, defaults.rateLimitLoginDelay, defaults.rateLimitLoginMaxDelay, defaults.rateLimitConsent,
    defaults.rateLimitInbox, defaults.trustProxy);
  const handler = new RateLimitHttpHandler('http://localhost:3000/', settings,
    new WindowLimiter(new MemoryRateCounterStore(clock), clock), {} as CredentialsExtractor);
  const request = { method: 'PUT', url: '/member/notes/note', headers: {}, socket: {}} as unknown as HttpRequest;
  const input = { request } as HttpHandlerInput;
  const rounds = 20_000;
  const start = process.hrtime.bigint();
  for (let index = 0; index < rounds; index += 1) {
    // CSS's idiom: a handler that passes throws NotImplementedHttpError, which is most of the cost.
    await handler.canHandle(input).catch((): void => undefined);
  }
  return Number(process.hrtime.bigint() - start) / 1e3 / rounds;
}

/**
 * Issue 16: what the hardening costs an ordinary authenticated GET and PUT by a pod's owner, as the ratio of the
 * median on a server with the defaults to the same server started with {@link HARDENING_OFF}, both in this run.
 */
export async function benchHardening(): Promise<void> {
  const folders = await Promise.all([ 'hardened', 'baseline' ].map(async(name): Promise<string> =>
    mkdtemp(join(tmpdir(), `fmp-bench-hardening-${name}-`))));
  const servers: ServerProcess[] = [];
  try {
    servers.push(await startServerProcess(folders[0]), await startServerProcess(folders[1], HARDENING_OFF));
    const hardened = await signUpSubject(servers[0]);
    const baseline = await signUpSubject(servers[1]);
    const gets = await compare(hardened, baseline, 'GET');
    const puts = await compare(hardened, baseline, 'PUT');
    await Promise.all([ hardened, baseline ].map(async({ member }): Promise<void> => member.session.logout()));
    const check = await timeLimiterCheck();

    const line = (method: string, result: { hardened: number; baseline: number }): string[] => {
      const ratio = result.hardened / result.baseline;
      return [
        `median ${method}, hardening off (${formatOptions(HARDENING_OFF)}): ${fixed(result.baseline)} ms`,
        `median ${method}, defaults:${' '.repeat(formatOptions(HARDENING_OFF).length + 17)}${fixed(result.hardened)} ms`,
        `ratio ${method} defaults / off: ${fixed(ratio, 3)} (goal <= ${GOAL}) ${ratio <= GOAL ? 'MET' : 'NOT MET'}`,
      ];
    };
    process.stdout.write([
      `## Hardening (issue 16): an owner's GET and PUT, ${REQUESTS} each per server, alternating`,
      ...line('GET', gets),
      ...line('PUT', puts),
      `the rate limiter's check of an ordinary PUT alone, in process: ${fixed(check, 2)} µs (run twice per request)`,
      '',
    ].join('\n'));
  } finally {
    await Promise.all(servers.map(async(server): Promise<void> => server.stop()));
    await Promise.all(folders.map(async(folder): Promise<void> => rm(folder, { recursive: true, force: true })));
  }
}

function formatOptions(options: Record<string, string | number>): string {
  return Object.entries(options).map(([ name, value ]): string => `--${name} ${value}`).join(' ');
}
