import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/server/FmpServer';

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `fmp <args>` (bin/fmp.js) as a user would, in a child process. */
export async function runFmp(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  // The caller's own FMP settings must not leak into a test run.
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [ 'FMP_SERVER', 'FMP_EMAIL', 'FMP_PASSWORD', 'FMP_CLIENT_ID', 'FMP_CLIENT_SECRET', 'FMP_DATA',
    'FMP_OUTBOUND_PRIVATE', 'FMP_OUTBOUND_ALLOW_HOSTS' ]) {
    delete childEnv[name];
  }
  return new Promise((resolve): void => {
    execFile(process.execPath, [ join(PROJECT_ROOT, 'bin', 'fmp.js'), ...args ], {
      env: { ...childEnv, ...env },
      timeout: 60_000,
    }, (error, stdout, stderr): void => {
      const code = error ? typeof error.code === 'number' ? error.code : 1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
