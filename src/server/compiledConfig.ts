import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { App, CliResolver } from '@solid/community-server';

/**
 * The FMP's CSS configuration compiled to plain JavaScript, once per build: Components.js then need not read and parse
 * every component and config file (JSON-LD) at each start, which was most of a start's time. `startFmpServer` uses it
 * when it matches the configuration and falls back to CSS's `AppRunner` otherwise.
 */
export interface CompiledConfig {
  /** CSS's resolver of shorthand values (port, base URL, …) into variables, as `AppRunner` uses it. */
  cliResolver: CliResolver;
  /** Builds the app from the variables. */
  createApp: (variables: Record<string, unknown>) => App;
}

/** How a server runs, as far as its configuration is concerned: one process, or several sharing Redis. */
export type ClusterVariant = 'single' | 'redis';

const VARIANTS: readonly ClusterVariant[] = [ 'single', 'redis' ];
const APP = 'urn:solid-server:default:App';
const CLI_RESOLVER = 'urn:solid-server-app-setup:default:CliResolver';

function compiledFolder(projectRoot: string): string {
  return join(projectRoot, 'dist', 'components');
}

/** Every file below `folder` whose name ends in `suffix`, sorted. */
function filesBelow(folder: string, suffix: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...filesBelow(path, suffix));
    } else if (entry.name.endsWith(suffix)) {
      found.push(path);
    }
  }
  return found.sort();
}

/**
 * One SHA-256 over what the compiled configuration follows from: the FMP's config files, its generated components
 * and the installed packages (package-lock.json, which pins CSS and its configs).
 */
export function hashOfConfigInputs(projectRoot: string): string {
  const hash = createHash('sha256');
  // The variants compiled are an input too: a build that adds one compiles again.
  hash.update(`variants:${VARIANTS.join(',')}`);
  const inputs = [
    ...filesBelow(join(projectRoot, 'pod-server', 'config'), '.json'),
    ...[ 'components.jsonld', 'context.jsonld' ].map((file): string => join(compiledFolder(projectRoot), file)),
    join(projectRoot, 'package-lock.json'),
  ];
  for (const path of inputs.filter((file): boolean => existsSync(file))) {
    hash.update(`\0${relative(projectRoot, path)}\0`).update(readFileSync(path));
  }
  return hash.digest('hex');
}

function appFileOf(variant: ClusterVariant): string {
  return variant === 'single' ? 'fmp-app.js' : `fmp-app-${variant}.js`;
}

/**
 * Compiles `pod-server/config/fmp.json` with `config/quota/pod-quota.json` and each of `config/cluster/single.json`
 * and `redis.json` into `dist/components/` (each takes as long as one start did).
 */
export async function compileConfig(projectRoot: string): Promise<void> {
  const folder = compiledFolder(projectRoot);
  for (const variant of VARIANTS) {
    const { resolverSource, appSource } = await compileVariant(projectRoot, variant);
    if (variant === 'single') {
      writeFileSync(join(folder, 'fmp-cli-resolver.js'), resolverSource);
    }
    writeFileSync(join(folder, appFileOf(variant)), appSource);
  }
  writeFileSync(join(folder, 'fmp-app.sha256'), hashOfConfigInputs(projectRoot));
}

async function compileVariant(projectRoot: string, variant: ClusterVariant): Promise<{ resolverSource: string; appSource: string }> {
  // Loaded here, at build time only (Components.js comes with CSS): a build with nothing to compile need not load it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ComponentsManager } = require('componentsjs') as typeof import('componentsjs');
  const { ConstructionStrategyCommonJsString } = require('componentsjs/lib/construction/strategy/ConstructionStrategyCommonJsString') as
    typeof import('componentsjs/lib/construction/strategy/ConstructionStrategyCommonJsString');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const strategy = new ConstructionStrategyCommonJsString({
    asFunction: true,
    req: require,
    // The compiled files live in dist/components/; the FMP's classes are in dist/pod-server/.
    overrideRequireNames: { 'fmp-vault': '../pod-server/index.js' },
  });
  const manager = await ComponentsManager.build({
    mainModulePath: projectRoot,
    constructionStrategy: strategy,
    typeChecking: false,
    logLevel: 'error',
    // With the pod quota, as servers start by default (one without a quota reads its configuration as CSS does).
    configLoader: async(registry): Promise<void> => {
      await registry.register(join(projectRoot, 'pod-server', 'config', 'fmp.json'));
      await registry.register(join(projectRoot, 'pod-server', 'config', 'quota', 'pod-quota.json'));
      await registry.register(join(projectRoot, 'pod-server', 'config', 'cluster', `${variant}.json`));
    },
  });
  // The resolver first, on its own (it shares no instance with the app): it runs before the variables are known.
  const resolver = await manager.instantiate(CLI_RESOLVER) as unknown as string;
  const resolverSource = strategy.serializeDocument(resolver);
  (strategy as unknown as { lines: string[] }).lines = [];
  const app = await manager.instantiate(APP) as unknown as string;
  return { resolverSource, appSource: strategy.serializeDocument(app) };
}

/** The compiled configuration, if the build made one that matches the configuration as it is now. */
export function loadCompiledConfig(projectRoot: string, variant: ClusterVariant = 'single'): CompiledConfig | undefined {
  const folder = compiledFolder(projectRoot);
  const stamp = join(folder, 'fmp-app.sha256');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hashOfConfigInputs(projectRoot)) {
    return undefined;
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const createResolver = require(join(folder, 'fmp-cli-resolver.js')) as (variables: Record<string, unknown>) => CliResolver;
  const createApp = require(join(folder, appFileOf(variant))) as (variables: Record<string, unknown>) => App;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { cliResolver: createResolver({}), createApp };
}
