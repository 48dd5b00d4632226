import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountApi } from '../../src/client/AccountApi';
import { createTestMember } from '../harness/members';
import { fixed, HARDENING_OFF, median, runPool, startServerProcess, timeEach } from './benchUtil';

const MEMBERS = Number(process.env.FMP_BENCH_MEMBERS ?? 1000);
const GETS = 300;
const PARALLEL_SIGNUPS = 4;

/** Issue 3: sign-up throughput, authenticated GET latency with 1 and with MEMBERS pods, server memory. */
export async function benchSignup(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-signup-'));
  // A thousand from one address would trip the rate limits, which are not what this measures.
  const server = await startServerProcess(folder, HARDENING_OFF);
  try {
    const probe = await createTestMember(server.baseUrl, 'probe');
    const resource = `${probe.pod}catalog/bench`;
    await probe.fetch(resource, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: '<#a> <#b> "c".' });
    const get = async(): Promise<void> => {
      const response = await probe.fetch(resource);
      await response.arrayBuffer();
      if (response.status !== 200) {
        throw new Error(`GET answered ${response.status}`);
      }
    };
    const memoryAtOne = await server.residentMiB();
    const latencyAtOne = median(await timeEach(GETS, get, 100));

    const names = Array.from({ length: MEMBERS - 1 }, (_, index): string => `member-${index}`);
    const start = Date.now();
    await runPool(names, PARALLEL_SIGNUPS, async(name): Promise<void> => {
      const account = new AccountApi(server.baseUrl);
      await account.createAccount();
      await account.addPasswordLogin(`${name}@bench.example`, 'bench-password');
      await account.createPod(name);
    });
    const signupSeconds = (Date.now() - start) / 1000;

    const latencyAtMany = median(await timeEach(GETS, get, 100));
    const memoryAtMany = await server.residentMiB();
    await probe.session.logout();

    const ratio = latencyAtMany / latencyAtOne;
    process.stdout.write([
      `## Sign-up and pod scale (issue 3), ${MEMBERS} members`,
      `sign-up throughput (account + password + pod, ${PARALLEL_SIGNUPS} in parallel): ${fixed((MEMBERS - 1) / signupSeconds)} members/s (${fixed(signupSeconds, 1)} s for ${MEMBERS - 1})`,
      `median authenticated GET, 1 pod:        ${fixed(latencyAtOne)} ms`,
      `median authenticated GET, ${MEMBERS} pods: ${fixed(latencyAtMany)} ms`,
      `ratio ${MEMBERS} pods / 1 pod: ${fixed(ratio, 3)} (goal <= 1.10) ${ratio <= 1.1 ? 'MET' : 'NOT MET'}`,
      `server resident memory: ${fixed(memoryAtOne, 0)} MiB at 1 member, ${fixed(memoryAtMany, 0)} MiB at ${MEMBERS} members`,
      '',
    ].join('\n'));
  } finally {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
