import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiskSpace } from '../../pod-server/operator/DataFolderSpace';
import { PROJECT_ROOT } from '../../src/server/FmpServer';
import { getFreePort } from '../harness/freePort';

/** Starts the server command as `npm start` does, collecting what it prints. */
function startServerCommand(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, [ join(PROJECT_ROOT, 'dist', 'src', 'server', 'main.js'), ...args ], {
    env: { ...process.env, FMP_LOG_LEVEL: 'error' },
  });
  child.stdout.on('data', (chunk: Buffer): void => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer): void => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve): void => {
    child.on('exit', (code): void => resolve(code));
  });
  return { child, output: (): string => output, exited };
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) {
      throw new Error('timed out');
    }
    await new Promise((resolve): void => {
      setTimeout(resolve, 100);
    });
  }
}

describe('The server command (npm start)', (): void => {
  let folder: string;

  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-start-'));
  });

  after(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  it('says where it listens and how to add a member, serves, and stops cleanly on Ctrl-C.', async(): Promise<void> => {
    const port = await getFreePort();
    const server = startServerCommand([ '--port', String(port), '--data', folder ]);
    await waitFor((): boolean => server.output().includes('Stop with Ctrl-C'), 30_000);
    assert.match(server.output(), new RegExp(`listening at http://localhost:${port}/`, 'u'));
    assert.match(server.output(), /npx fmp member create <name> --email/u);
    assert.equal((await fetch(`http://localhost:${port}/.fmp/health`)).status, 200);
    // The member web app runs with it, and both the start-up message and the root page point to it.
    assert.match(server.output(), new RegExp(`Members sign in and manage their data at http://localhost:${port}/\\.fmp/`, 'u'));
    assert.match(await (await fetch(`http://localhost:${port}/`)).text(), /<a href="\.\/\.fmp\/">Sign in or sign up/u);
    const app = await fetch(`http://localhost:${port}/.fmp/`);
    assert.equal(app.status, 200);
    assert.match(await app.text(), /Sign in with this FMP/u);
    assert.ok((await stat(join(folder, 'pods'))).isDirectory(), 'pods live in <data>/pods');
    server.child.kill('SIGINT');
    assert.equal(await server.exited, 0);
    await assert.rejects(fetch(`http://localhost:${port}/.fmp/health`), 'nothing listens any more');
  });

  it('takes its settings from the environment too.', async(): Promise<void> => {
    const port = await getFreePort();
    const fromEnv = spawn(process.execPath, [ join(PROJECT_ROOT, 'dist', 'src', 'server', 'main.js') ], {
      env: { ...process.env, FMP_PORT: String(port), FMP_DATA: folder, FMP_LOG_LEVEL: 'error' },
    });
    let output = '';
    fromEnv.stdout.on('data', (chunk: Buffer): void => {
      output += chunk.toString();
    });
    const exited = new Promise((resolve): void => {
      fromEnv.on('exit', resolve);
    });
    await waitFor((): boolean => output.includes('Stop with Ctrl-C'), 30_000);
    assert.match(output, new RegExp(`listening at http://localhost:${port}/`, 'u'));
    fromEnv.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('says so in one line when the port is taken.', async(): Promise<void> => {
    const blocker = createServer();
    const port = await getFreePort();
    await new Promise<void>((resolve): void => {
      blocker.listen(port, resolve);
    });
    const server = startServerCommand([ '--port', String(port), '--data', folder ]);
    const code = await server.exited;
    blocker.close();
    assert.equal(code, 1);
    assert.match(server.output(), new RegExp(`^fmp-server: port ${port} is already in use`, 'mu'));
  });

  it('reports the data disk as low in /.fmp/health when --disk-low is above what is free.', async(): Promise<void> => {
    const port = await getFreePort();
    const server = startServerCommand([ '--port', String(port), '--data', folder, '--disk-low', '100%' ]);
    let health: { status: string; disk: DiskSpace };
    try {
      await waitFor((): boolean => server.output().includes('Stop with Ctrl-C'), 30_000);
      health = await (await fetch(`http://localhost:${port}/.fmp/health`)).json() as { status: string; disk: DiskSpace };
    } finally {
      server.child.kill('SIGINT');
    }
    assert.equal(await server.exited, 0);
    const stats = await statfs(folder);
    assert.equal(health.disk.lowBelowBytes, stats.blocks * stats.bsize, 'the threshold is all of the disk');
    assert.ok(health.disk.freeBytes < health.disk.lowBelowBytes);
    assert.equal(health.disk.low, true);
    assert.equal(health.status, 'disk-low');
  });

  it('refuses a disk threshold that is neither bytes nor a percentage, from the option or the environment.', async(): Promise<void> => {
    const fromOption = startServerCommand([ '--disk-low', 'lots' ]);
    assert.notEqual(await fromOption.exited, 0);
    assert.match(fromOption.output(), /Invalid disk threshold "lots": use a number of bytes \(e\.g\. 2000000000\) or a share of the disk/u);
    const fromEnv = spawn(process.execPath, [ join(PROJECT_ROOT, 'dist', 'src', 'server', 'main.js'), '--port', String(await getFreePort()) ], {
      env: { ...process.env, FMP_DISK_LOW: '150%', FMP_DATA: folder },
    });
    let stderr = '';
    fromEnv.stderr.on('data', (chunk: Buffer): void => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve): void => {
      fromEnv.on('exit', resolve);
    });
    assert.equal(code, 1);
    assert.match(stderr, /^fmp-server: Invalid disk threshold "150%"/u);
  });

  it('refuses more than one worker without Redis, and a Redis setting that is not a URL, in one line.', async(): Promise<void> => {
    const workers = startServerCommand([ '--workers', '2' ]);
    assert.equal(await workers.exited, 1);
    assert.match(workers.output(), /^fmp-server: --workers 2 needs --redis: processes that share no Redis would each keep their own grants, locks and schedules[^\n]*\n$/mu);
    const redis = startServerCommand([ '--redis', '127.0.0.1:6379' ]);
    assert.equal(await redis.exited, 1);
    assert.match(redis.output(), /^fmp-server: --redis must be a redis:\/\/ or rediss:\/\/ URL, e\.g\. redis:\/\/127\.0\.0\.1:6379, not "127\.0\.0\.1:6379"\n$/mu);
  });

  it('refuses a port that is not a number.', async(): Promise<void> => {
    const server = startServerCommand([ '--port', 'eighty' ]);
    assert.notEqual(await server.exited, 0);
    assert.match(server.output(), /a port is a whole number/u);
  });
});
