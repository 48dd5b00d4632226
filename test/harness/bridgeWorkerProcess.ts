import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/server/FmpServer';

/** Runs `fmp bridge worker` in its own process (so a test can SIGKILL it) for the FMP at `server`. */
export function spawnBridgeWorker(server: string, folder: string, port: number, extraArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [ join(PROJECT_ROOT, 'bin', 'fmp.js'), 'bridge', 'worker', '--server', server,
    '--data', folder, '--port', String(port), '--log-level', 'warn', ...extraArgs ], { stdio: [ 'ignore', 'ignore', 'pipe' ]});
  child.stderr!.on('data', (): void => undefined);
  return child;
}
