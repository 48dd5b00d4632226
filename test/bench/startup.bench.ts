import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/server/FmpServer';
import { getFreePort } from '../harness/freePort';
import { fixed, median } from './benchUtil';

const RUNS = Number(process.env.FMP_BENCH_STARTS ?? 3);
const GOAL_SECONDS = 6;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Seconds from spawning `command` (a server on `port`) to the first 200 of `GET /.fmp/health`; then stops it. */
async function secondsToFirstAnswer(command: string, args: string[], port: number, env: NodeJS.ProcessEnv = {}): Promise<number> {
  const start = process.hrtime.bigint();
  // Its own process group, so that stopping `npm start` stops the server npm started too.
  const child = spawn(command, args, { cwd: PROJECT_ROOT, detached: true, stdio: 'ignore', env: { ...process.env, ...env }});
  const exited = new Promise<void>((resolve): void => {
    child.once('exit', (): void => resolve());
  });
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const answered = await fetch(`http://localhost:${port}/.fmp/health`).then((response): boolean => response.ok, (): boolean => false);
      if (answered) {
        return Number(process.hrtime.bigint() - start) / 1e9;
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`${command} ${args.join(' ')} never answered (exit code ${child.exitCode})`);
      }
      await new Promise((resolve): void => {
        setTimeout(resolve, 50);
      });
    }
  } finally {
    process.kill(-child.pid!, 'SIGINT');
    await exited;
  }
}

/** The median of `RUNS` starts, each with a fresh data folder and port. */
async function medianStart(label: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-start-'));
    const port = await getFreePort();
    try {
      times.push(await secondsToFirstAnswer(command, [ ...args, '--port', String(port), '--data', folder, '--log-level', 'error' ],
        port, env));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
  process.stderr.write(`${label}: ${times.map((time): string => fixed(time, 1)).join(', ')} s\n`);
  return median(times);
}

/** Issue 16: `npm start` on a built tree to the first answer of `/.fmp/health`, against starting the built server directly. */
export async function benchStartup(): Promise<void> {
  const main = join('dist', 'src', 'server', 'main.js');
  const direct = await medianStart('node main.js', process.execPath, [ main ]);
  const npmStart = await medianStart('npm start', NPM, [ 'start', '--silent', '--' ]);
  const uncompiled = await medianStart('node main.js, configuration read at start', process.execPath, [ main ],
    { FMP_COMPILED_CONFIG: '0' });
  process.stdout.write([
    `## npm start on a built tree (issue 16), median of ${RUNS} starts, seconds to the first answer of GET /.fmp/health`,
    `node dist/src/server/main.js (baseline):            ${fixed(direct, 1)} s`,
    `npm start (incremental build first, then the same): ${fixed(npmStart, 1)} s (ratio ${fixed(npmStart / direct)})`,
    `node dist/src/server/main.js, CSS configuration read and parsed at start (as before): ${fixed(uncompiled, 1)} s`,
    `npm start within ${GOAL_SECONDS} s: ${npmStart <= GOAL_SECONDS ? 'MET' : 'NOT MET'}`,
    '',
  ].join('\n'));
}
