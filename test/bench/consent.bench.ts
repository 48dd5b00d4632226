import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsentApi } from '../../src/client/ConsentApi';
import type { TestMember } from '../harness/members';
import { createTestMember } from '../harness/members';
import { fixed, HARDENING_OFF, median, runPool, startServerProcess } from './benchUtil';

const GETS = 300;
const GRANTS = Number(process.env.FMP_BENCH_GRANTS ?? 1000);
const TURTLE = { 'content-type': 'text/turtle' };

/** Median latency of GETs by two members, interleaved so both see the same machine state. */
async function compareGets(byGrant: TestMember, byWac: TestMember, url: string): Promise<{ grant: number; wac: number }> {
  const grant: number[] = [];
  const wac: number[] = [];
  const timeGet = async(member: TestMember, into: number[] | undefined): Promise<void> => {
    const start = process.hrtime.bigint();
    const response = await member.fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200) {
      throw new Error(`GET by ${member.name} answered ${response.status}`);
    }
    into?.push(Number(process.hrtime.bigint() - start) / 1e6);
  };
  for (let index = 0; index < 30; index += 1) {
    await timeGet(byGrant, undefined);
    await timeGet(byWac, undefined);
  }
  for (let index = 0; index < GETS; index += 1) {
    await timeGet(byGrant, grant);
    await timeGet(byWac, wac);
  }
  return { grant: median(grant), wac: median(wac) };
}

/** Issue 5: a GET allowed by a consent grant vs the same GET allowed by WAC, with 1 and with GRANTS grants in the pod. */
export async function benchConsent(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-consent-'));
  // A thousand from one address would trip the rate limits, which are not what this measures.
  const server = await startServerProcess(folder, HARDENING_OFF);
  try {
    const [ owner, grantee, wacReader ] = await Promise.all([ 'owner', 'grantee', 'wacreader' ]
      .map(async(name): Promise<TestMember> => createTestMember(server.baseUrl, name)));
    const url = `${owner.pod}shared/item`;
    await owner.fetch(url, { method: 'PUT', headers: TURTLE, body: '<#item> <http://schema.org/name> "Carrots".' });
    await owner.fetch(`${owner.pod}shared/.acl`, { method: 'PUT', headers: TURTLE, body: `
      @prefix acl: <http://www.w3.org/ns/auth/acl#>.
      <#owner> a acl:Authorization; acl:agent <${owner.webId}>; acl:accessTo <./>; acl:default <./>; acl:mode acl:Read, acl:Write, acl:Control.
      <#reader> a acl:Authorization; acl:agent <${wacReader.webId}>; acl:accessTo <./>; acl:default <./>; acl:mode acl:Read.` });
    const consent = new ConsentApi(server.baseUrl, owner.name, owner.fetch);
    await consent.createGrant({ grantee: { webId: grantee.webId }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'bench', duration: '1d' });
    const one = await compareGets(grantee, wacReader, url);

    const start = Date.now();
    await runPool(Array.from({ length: GRANTS - 1 }, (_, index): number => index), 4, async(index): Promise<void> => {
      await consent.createGrant({ grantee: { webId: `https://agents.example/${index}#me` }, scope: [ `shared/${index % 10}/` ],
        modes: [ 'read' ], purpose: 'bench', duration: '1d' });
    });
    const grantSeconds = (Date.now() - start) / 1000;
    const many = await compareGets(grantee, wacReader, url);

    const ratioOne = one.grant / one.wac;
    const ratioMany = many.grant / many.wac;
    process.stdout.write([
      `## Consent grants (issue 5)`,
      `median GET allowed by a grant: ${fixed(one.grant)} ms; allowed by WAC: ${fixed(one.wac)} ms (1 grant in the pod)`,
      `ratio grant / WAC, 1 grant: ${fixed(ratioOne, 3)} (goal <= 1.10) ${ratioOne <= 1.1 ? 'MET' : 'NOT MET'}`,
      `created ${GRANTS - 1} more grants through the API in ${fixed(grantSeconds, 1)} s`,
      `median GET allowed by a grant: ${fixed(many.grant)} ms; allowed by WAC: ${fixed(many.wac)} ms (${GRANTS} grants in the pod)`,
      `ratio grant / WAC, ${GRANTS} grants: ${fixed(ratioMany, 3)} (goal <= 1.20) ${ratioMany <= 1.2 ? 'MET' : 'NOT MET'}`,
      '',
    ].join('\n'));
    await Promise.all([ owner, grantee, wacReader ].map(async(member): Promise<void> => member.session.logout()));
  } finally {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
