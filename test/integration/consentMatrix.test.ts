import type { MatrixServers } from '../harness/accessMatrix';
import { describeAccessMatrix } from '../harness/accessMatrix';
import { getSharedServer, startTestServer } from '../harness/servers';

describeAccessMatrix('Consent grants: the access matrix across two FMPs', async(): Promise<MatrixServers> => {
  const fmpA = await getSharedServer();
  const fmpB = await startTestServer();
  return { fmpA, fmpB, stop: async(): Promise<void> => fmpB.destroy() };
});
