import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productToQuads } from '../../shapes/access/productRdf';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { generateProducts } from '../../shapes/demo/catalogData';
import { parseRdf } from '../../shapes/parseRdf';
import { validateDataset } from '../../shapes/validateDataset';
import { createTestMember } from '../harness/members';
import { fixed, median, startServerProcess, timeEach } from './benchUtil';

/** PUTs per container per block; blocks alternate between the two containers so drift hits both alike. */
const PUTS_PER_BLOCK = 50;
const BLOCKS = 6;
const GOAL = 1.25;

/** Issue 4: median PUT latency of a valid product into catalog/ (parsed and SHACL-validated) ÷ into an unconstrained container (parsed only). */
export async function benchValidation(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-validation-'));
  const server = await startServerProcess(folder);
  try {
    const member = await createTestMember(server.baseUrl, 'bench');
    const constrained = `${member.pod}catalog/bench-product`;
    const unconstrained = `${member.pod}bench/bench-product`;
    // The very same body for both: a DFC product, catalog item, offer and price (31 triples).
    const body = quadsToTurtle(productToQuads(constrained, generateProducts(1)[0]));
    const put = (url: string) => async(): Promise<void> => {
      const response = await member.fetch(url, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body });
      await response.arrayBuffer();
      if (!response.ok) {
        throw new Error(`PUT ${url} answered ${response.status}`);
      }
    };
    const times = { constrained: [] as number[], unconstrained: [] as number[] };
    for (let block = 0; block < BLOCKS; block += 1) {
      const warmup = block === 0 ? 20 : 0;
      times.unconstrained.push(...await timeEach(PUTS_PER_BLOCK, put(unconstrained), warmup));
      times.constrained.push(...await timeEach(PUTS_PER_BLOCK, put(constrained), warmup));
    }
    await member.session.logout();

    // The validation step alone, in this process, for scale.
    const quads = await parseRdf(body, 'text/turtle', constrained);
    const validation = median(await timeEach(200, async(): Promise<void> => {
      validateDataset('catalog', quads);
    }));

    const baseline = median(times.unconstrained);
    const checked = median(times.constrained);
    const ratio = checked / baseline;
    process.stdout.write([
      `## Shape validation (issue 4), ${BLOCKS * PUTS_PER_BLOCK} PUTs per container`,
      `median PUT of a valid product, unconstrained bench/ (parsed only): ${fixed(baseline)} ms`,
      `median PUT of the same product, catalog/ (parsed + SHACL):       ${fixed(checked)} ms`,
      `validateDataset('catalog', product) alone, in process:           ${fixed(validation)} ms`,
      `ratio catalog/ / unconstrained: ${fixed(ratio, 3)} (goal <= ${GOAL}) ${ratio <= GOAL ? 'MET' : 'NOT MET'}`,
      '',
    ].join('\n'));
  } finally {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
