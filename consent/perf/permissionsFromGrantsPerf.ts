// Run with `node dist/consent/perf/permissionsFromGrantsPerf.js`: prints the cost of one permission check
// against 1,000 grants, with the index reused (as the pod server should) and rebuilt per call.
import { GrantIndex } from '../enforcement/GrantIndex';
import { permissionsFromGrants } from '../enforcement/permissionsFromGrants';
import { createGrant } from '../model/createGrant';
import type { Grant } from '../model/Grant';

const POD = 'https://fmp.example/alice/';
const now = new Date('2025-03-01T12:00:00Z');
const grants = Array.from({ length: 1_000 }, (_, index): Grant => createGrant({
  id: `${POD}consent/g${index}`,
  grantor: `${POD}profile/card#me`,
  podRoot: POD,
  grantee: { kind: 'agent', webId: `https://fmp.example/m${index % 100}/profile/card#me` },
  scope: [ `catalog/i${index}/` ],
  modes: [ 'read' ],
  purpose: { text: 'benchmark' },
  validUntil: new Date(now.getTime() + 86_400_000),
}, { now }));
const context = {
  credentials: { agent: { webId: 'https://fmp.example/m50/profile/card#me' } },
  target: `${POD}catalog/i550/x`,
  now,
  podRoot: POD,
};

for (const [ label, source, runs ] of [
  [ 'index reused', new GrantIndex(grants), 50_000 ],
  [ 'index rebuilt per call', grants, 500 ],
] as const) {
  console.time(`${label} × ${runs}`);
  for (let run = 0; run < runs; run += 1) {
    permissionsFromGrants(source, context);
  }
  console.timeEnd(`${label} × ${runs}`);
}
