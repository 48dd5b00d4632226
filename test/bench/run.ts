import { benchBridges } from './bridges.bench';
import { benchCluster } from './cluster.bench';
import { benchConsent } from './consent.bench';
import { benchHardening } from './hardening.bench';
import { benchPortability } from './portability.bench';
import { benchQuota } from './quota.bench';
import { benchSignup } from './signup.bench';
import { benchStartup } from './startup.bench';
import { benchMove } from './move.bench';
import { benchOutbox } from './outbox.bench';
import { benchOfn } from './ofn.bench';
import { benchShopify } from './shopify.bench';
import { benchFarmos } from './farmos.bench';
import { benchValidation } from './validation.bench';
import { benchWebApp } from './webapp.bench';

/** `npm run bench`: every benchmark, each printing ratios against a baseline measured in the same run. */
async function main(): Promise<void> {
  const only = process.argv[2];
  const benches: Record<string, () => Promise<void>> = {
    signup: benchSignup,
    consent: benchConsent,
    validation: benchValidation,
    portability: benchPortability,
    move: benchMove,
    shopify: benchShopify,
    bridges: benchBridges,
    outbox: benchOutbox,
    farmos: benchFarmos,
    ofn: benchOfn,
    startup: benchStartup,
    hardening: benchHardening,
    quota: benchQuota,
    webapp: benchWebApp,
    cluster: benchCluster,
  };
  for (const [ name, bench ] of Object.entries(benches)) {
    if (!only || only === name) {
      await bench();
    }
  }
}

main().catch((error: Error): void => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
}).finally((): void => {
  // Everything is measured and printed; a timer some bench's server or fake left behind must not keep the run alive.
  process.exit();
});
