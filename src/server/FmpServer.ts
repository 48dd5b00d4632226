import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { App } from '@solid/community-server';
import { AppRunner } from '@solid/community-server';
import { getPodsFolder, getStateFolder } from './dataFolders';

/** Where the project's root is, from `dist/src/server/` or `src/server/`. */
export const PROJECT_ROOT = resolve(__dirname, __dirname.includes(`${join('dist', 'src')}`) ? '../../..' : '../..');

export interface FmpServerOptions {
  /** Port to listen on. */
  port: number;
  /** Folder holding pods and server state. */
  dataFolder: string;
  /** Public base URL; defaults to `http://localhost:<port>/`. */
  baseUrl?: string;
  /** CSS log level: error, warn, info, verbose, debug. */
  logLevel?: string;
  /** Longest consent grant, e.g. `90d`. */
  maxGrantDuration?: string;
  /** How often the server snapshots every pod, e.g. `1d` (default); `0` turns scheduled snapshots off. */
  snapshotInterval?: string;
  /** How many scheduled snapshots are kept per member (default 7). */
  snapshotsKept?: number;
  /** Most bytes of snapshots a member may store (default 1 GB). */
  snapshotQuotaBytes?: number;
  /** How long a moved pod's old URLs keep answering 308 to the new ones, e.g. `180d` (default). */
  forwardingPeriod?: string;
  /** Most bytes one pod may take (default 1 GB); 0 for no quota. */
  podQuotaBytes?: number;
}

/** A running FMP pod server. */
export interface FmpServer {
  baseUrl: string;
  dataFolder: string;
  stop: () => Promise<void>;
}

/** The version in package.json. */
export function getFmpVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(PROJECT_ROOT, 'package.json')) as { version: string }).version;
}

/** Builds the FMP's CSS from `pod-server/config/fmp.json` (and `config/quota/`) and starts it. */
export async function startFmpServer(options: FmpServerOptions): Promise<FmpServer> {
  const baseUrl = options.baseUrl ?? `http://localhost:${options.port}/`;
  const dataFolder = resolve(options.dataFolder);
  const podQuotaBytes = options.podQuotaBytes ?? 1_000_000_000;
  await mkdir(getPodsFolder(dataFolder), { recursive: true });
  await mkdir(getStateFolder(dataFolder), { recursive: true, mode: 0o700 });
  const app: App = await new AppRunner().create({
    // Without a quota, CSS's file backend stays as it is: no quota check, no size tracking, no cost.
    config: [ join(PROJECT_ROOT, 'pod-server', 'config', 'fmp.json'),
      join(PROJECT_ROOT, 'pod-server', 'config', 'quota', podQuotaBytes > 0 ? 'pod-quota.json' : 'none.json') ],
    loaderProperties: {
      mainModulePath: PROJECT_ROOT,
      // Components.js warns about every npm package it cannot read as a module; only errors matter here.
      logLevel: 'error',
      typeChecking: false,
    },
    shorthand: {
      port: options.port,
      baseUrl,
      rootFilePath: getPodsFolder(dataFolder),
      loggingLevel: options.logLevel ?? 'warn',
    },
    variableBindings: {
      'urn:fmp:variable:podTemplateFolder': join(PROJECT_ROOT, 'pod-server', 'templates', 'pod'),
      'urn:fmp:variable:version': getFmpVersion(),
      'urn:fmp:variable:stateFolder': getStateFolder(dataFolder),
      'urn:fmp:variable:dfcContextFile': join(PROJECT_ROOT, 'shapes', 'dfc', 'context_1.16.0.json'),
      'urn:fmp:variable:maxGrantDuration': options.maxGrantDuration ?? '90d',
      'urn:fmp:variable:snapshotInterval': options.snapshotInterval ?? '1d',
      'urn:fmp:variable:snapshotsKept': options.snapshotsKept ?? 7,
      'urn:fmp:variable:snapshotQuotaBytes': options.snapshotQuotaBytes ?? 1_000_000_000,
      'urn:fmp:variable:forwardingPeriod': options.forwardingPeriod ?? '180d',
      'urn:fmp:variable:podQuotaBytes': podQuotaBytes,
    },
  });
  await app.start();
  return { baseUrl, dataFolder, stop: async(): Promise<void> => app.stop() };
}
