import { startTestServer } from './harness/servers';
import { createTestMember } from './harness/members';
import { generateProductResources } from '../shapes/demo/generateDemoFarm';
import { runPool, startServerProcess } from './bench/benchUtil';
import { mkdtempSync } from 'node:fs';

async function main(): Promise<void> {
  const server = process.env.INPROC ? await startTestServer() : await startServerProcess(mkdtempSync('/tmp/s401-'));
  const member = await createTestMember(server.baseUrl, 'naive');
  const card = member.webId.split('#')[0];
  let stop = false;
  const statuses = new Map<string, number>();
  const poll = (async(): Promise<void> => {
    while (!stop) {
      const r = await fetch(card, { headers: { accept: 'text/turtle' } });
      const body = await r.text();
      const key = `${r.status} ${r.headers.get('content-type')} ${body.includes('oidcIssuer')}`;
      if (!statuses.has(key)) console.log('profile', key, r.status !== 200 ? body.slice(0, 500) : '');
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  })();
  const fails = new Map<number, number>();
  await runPool(generateProductResources(member.pod, 1500), 4, async({ path, turtle }) => {
    const r = await member.fetch(`${member.pod}${path}`, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: turtle });
    const t = await r.text();
    if (!r.ok) { if (!fails.has(r.status)) console.log('PUT', r.status, t.slice(0, 300), r.headers.get('www-authenticate')); fails.set(r.status, (fails.get(r.status) ?? 0) + 1); }
  });
  stop = true; await poll;
  console.log(statuses, fails);
  await member.session.logout();
  await server.stop();
  process.exit(0);
}
void main();
