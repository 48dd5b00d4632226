import type { Command } from 'commander';
import { FmpClientError } from '../../client/FmpClientError';
import { fetchServer, readErrorMessage } from '../../client/serverFetch';
import { productToQuads } from '../../../shapes/access/productRdf';
import { containerUrl, quadsToTurtle } from '../../../shapes/access/podIo';
import { generateProducts } from '../../../shapes/demo/catalogData';
import { generateDemoFarm } from '../../../shapes/demo/generateDemoFarm';
import { logInAsMember } from '../MemberLogin';
import { addMemberAuthOptions, getMemberAuthOptions } from '../options';
import { printResult } from '../output';
import { StoredLogins } from '../StoredLogins';

/** One document to write: its path in the pod and its Turtle. */
interface Write {
  path: string;
  turtle: string;
}

/** What a demo command wrote. */
interface Summary {
  pod: string;
  written: number;
  containers: Record<string, number>;
  seconds: number;
}

/** `fmp demo seed <member>` and `fmp demo products <member> --count N`. */
export function addDemoCommands(program: Command): void {
  const demo = program.command('demo').description('fill a member\'s pod with demo data (it must pass the pod\'s shapes)');

  addMemberAuthOptions(demo.command('seed <name>')
    .description('write a small demo farm: profile, fields and beds, plantings, a season of logs, 30 products, orders'))
    .action(async(name: string, _options: unknown, command: Command): Promise<void> => {
      const summary = await writeAsMember(name, command, (pod): Write[] =>
        generateDemoFarm(pod).map(({ path, turtle }): Write => ({ path, turtle })));
      const containers = Object.entries(summary.containers).map(([ kind, count ]): string => `${kind} ${count}`).join(', ');
      printResult(summary, getMemberAuthOptions(command).json, (s): string =>
        `Seeded the demo farm into ${s.pod}: ${s.written} resources (${containers}) in ${s.seconds} s.`);
    });

  addMemberAuthOptions(demo.command('products <name>')
    .description('write N generated products into catalog/, for benchmarks'))
    .option('--count <n>', 'how many products', '100')
    .action(async(name: string, options: { count: string }, command: Command): Promise<void> => {
      const count = Number(options.count);
      if (!Number.isInteger(count) || count < 1) {
        throw new FmpClientError(`--count must be a whole number of at least 1, not "${options.count}"`);
      }
      const summary = await writeAsMember(name, command, (pod): Write[] => generateProducts(count).map((product): Write => {
        const url = `${containerUrl(pod, 'catalog')}${product.slug}`;
        return { path: `catalog/${product.slug}`, turtle: quadsToTurtle(productToQuads(url, product)) };
      }));
      printResult(summary, getMemberAuthOptions(command).json, (s): string =>
        `Wrote ${s.written} products into ${s.pod}catalog/ in ${s.seconds} s.`);
    });
}

/** Logs in as the member, writes what `build` makes for the pod, and reports progress on stderr. */
async function writeAsMember(name: string, command: Command, build: (pod: string) => Write[]): Promise<Summary> {
  const options = getMemberAuthOptions(command);
  const member = await logInAsMember(name, options, new StoredLogins());
  try {
    const writes = build(member.pod);
    const start = Date.now();
    const progress = new Progress(writes.length);
    // One writer per container: CSS 7.2 can lose a container's own metadata (e.g. ldp:constrainedBy)
    // when children are created in it concurrently.
    await Promise.all([ ...groupByContainer(writes).values() ].map(async(group): Promise<void> => {
      for (const write of group) {
        await putTurtle(`${member.pod}${write.path}`, write.turtle, member.session.fetch);
        progress.tick();
      }
    }));
    const containers: Record<string, number> = {};
    for (const { path } of writes) {
      const container = path.split('/')[0];
      containers[container] = (containers[container] ?? 0) + 1;
    }
    return { pod: member.pod, written: writes.length, containers, seconds: Math.round((Date.now() - start) / 100) / 10 };
  } finally {
    await member.close();
  }
}

/** The writes grouped by the container they go into, in their original order. */
function groupByContainer(writes: Write[]): Map<string, Write[]> {
  const groups = new Map<string, Write[]>();
  for (const write of writes) {
    const container = write.path.slice(0, write.path.lastIndexOf('/') + 1);
    groups.set(container, [ ...groups.get(container) ?? [], write ]);
  }
  return groups;
}

/** PUTs one Turtle document; a refusal becomes one readable line with the server's reason. */
async function putTurtle(url: string, turtle: string, fetchFn: typeof fetch): Promise<void> {
  const response = await fetchServer(url, {
    method: 'PUT', headers: { 'content-type': 'text/turtle', accept: 'application/json' }, body: turtle,
  }, fetchFn);
  if (!response.ok) {
    const reason = (await readErrorMessage(response)).split('\n').map((line): string => line.trim()).join(' ');
    throw new FmpClientError(`the server refused ${url} (${response.status}): ${reason}`, response.status);
  }
  await response.arrayBuffer();
}

/** `12/144` on stderr: rewritten in place on a terminal, every tenth of the way (and at the end) otherwise. */
class Progress {
  private done = 0;
  private readonly step: number;

  public constructor(private readonly total: number) {
    this.step = Math.max(1, Math.ceil(total / 10));
  }

  public tick(): void {
    this.done += 1;
    const text = `writing ${this.done}/${this.total}`;
    if (process.stderr.isTTY) {
      process.stderr.write(this.done === this.total ? `\r${text}\n` : `\r${text}`);
    } else if (this.done % this.step === 0 || this.done === this.total) {
      process.stderr.write(`${text}\n`);
    }
  }
}
