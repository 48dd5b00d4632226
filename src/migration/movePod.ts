import type { MoveActivity } from '../../consent';
import { findOutboundRefusal, getOutboundPolicy, OutboundGuard } from '../../consent';
import { AccountApi } from '../client/AccountApi';
import type { GrantJson } from '../client/ConsentApi';
import { ConsentApi, lastSegment } from '../client/ConsentApi';
import { FmpClientError } from '../client/FmpClientError';
import type { ForwardingStarted, MoveRecordJson } from '../client/MoveApi';
import { MoveApi } from '../client/MoveApi';
import type { ImportStatus, TransferProgress } from '../client/PortabilityApi';
import { PortabilityApi } from '../client/PortabilityApi';
import { fetchServer, readErrorMessage } from '../client/serverFetch';
import type { MemberContext } from '../cli/MemberLogin';
import { getPodUrl } from '../cli/memberNames';
import { findInbox } from '../federation/findInbox';
import type { MoveJournal } from './MoveJournal';

/** The member whose pod moves, signed in at the old FMP (the CLI's login, or the web app's session). */
export type MoveSource = Pick<MemberContext, 'name' | 'pod' | 'webId'> & { session: { fetch: typeof fetch } };

/** Where a pod moves to: the other FMP, the member name there, and the login to use or create. */
export interface MoveTarget {
  server: string;
  name: string;
  email: string;
  password: string;
}

/** How a move is carried out: logins to both FMPs, the delivery journal, and where progress goes. */
export interface MoveSteps {
  /** Logs in as the member on the target once its account and pod exist. */
  logInToTarget: () => Promise<MemberContext>;
  journal: MoveJournal;
  /** One line per step. */
  onStep: (text: string) => void;
  /** Transfer progress of the copy. */
  onTransfer: (progress: TransferProgress) => void;
  /** How long to wait for an import the target is still committing (from a run that was killed). */
  importWaitMs?: number;
  /**
   * Where grantees' profiles and inboxes may be: they are named by others, so not at private addresses. Default: the
   * policy an FMP at the old server's URL has by default (private addresses allowed only on loopback).
   */
  outbound?: OutboundGuard;
}

/** What a move did. */
export interface MoveReport {
  from: { pod: string; webId: string };
  to: { pod: string; webId: string; server: string };
  createdTarget: boolean;
  copied: 'now' | 'earlier';
  resources?: number;
  forwardUntil: string;
  grants: { id: string; grantee: GrantJson['grantee']; scope: string[]; modes: string[]; validUntil: string; note?: string }[];
  /** Grants revoked at the old FMP after the copy was made, now revoked at the target too. */
  revokedAtTarget: string[];
  notified: { grantee: string; inbox?: string; result: 'delivered' | 'delivered earlier' | 'no inbox' | 'failed'; error?: string }[];
  activity: string;
}

const LINK_PATCH = (from: string, to: string): string => `@prefix solid: <http://www.w3.org/ns/solid/terms#>.
@prefix owl: <http://www.w3.org/2002/07/owl#>.
@prefix as: <https://www.w3.org/ns/activitystreams#>.
_:link a solid:InsertDeletePatch;
  solid:inserts { <${to}> owl:sameAs <${from}>; as:alsoKnownAs <${from}>. }.
`;

/**
 * Moves `source`'s pod to another FMP. Every step first looks at what both FMPs already hold, so a run that was
 * killed at any point is completed by running it again:
 * 1. the target account and pod are created unless they exist;
 * 2. the old pod is made read-only (nothing written during the copy is lost);
 * 3. the old FMP's export streams into the target's import (one request each way), unless the target already
 *    imported this pod; the target checks every entry against the manifest before committing;
 * 4. the new WebID claims the old one (`owl:sameAs`, `as:alsoKnownAs`);
 * 5. the old FMP checks that claim, marks the old profile as moved, forwards every old URL (308) and signs a Move;
 * 6. the grants, now enforced and signed by the target, are listed, and every grantee with an inbox gets the Move.
 */
export async function movePod(source: MoveSource, sourceServer: string, target: MoveTarget, steps: MoveSteps): Promise<MoveReport> {
  const moveApi = new MoveApi(sourceServer, source.name, source.session.fetch);
  let state = await moveApi.getMove();
  if (state.state === 'moved' && !(state as MoveRecordJson).toPod.startsWith(target.server)) {
    throw new FmpClientError(`${source.pod} already moved to ${(state as MoveRecordJson).toPod}`);
  }
  steps.onStep(`1/6 target: ${target.name} on ${target.server}`);
  const createdTarget = await ensureTargetPod(target);
  const destination = await steps.logInToTarget();
  try {
    let copied: MoveReport['copied'] = 'earlier';
    let resources: number | undefined;
    if (state.state !== 'moved') {
      steps.onStep(`2/6 making ${source.pod} read-only while it is copied`);
      await moveApi.prepare();
      const targetPortability = new PortabilityApi(target.server, target.name, destination.session.fetch);
      const status = await waitForImport(targetPortability, steps.importWaitMs ?? 600_000, steps.onStep);
      if (status.state === 'done' && status.sourcePod === source.pod) {
        steps.onStep(`3/6 ${destination.pod} already holds the copy (imported ${status.finishedAt})`);
        resources = status.resources;
      } else {
        steps.onStep(`3/6 copying ${source.pod} to ${destination.pod}`);
        const summary = await targetPortability.importExportOf(new PortabilityApi(sourceServer, source.name, source.session.fetch),
          steps.onTransfer);
        steps.onStep(`3/6 copied ${summary.resources} resources (${summary.entries} entries, checked against the manifest)`);
        copied = 'now';
        resources = summary.resources;
      }
      steps.onStep(`4/6 ${destination.webId} now names ${source.webId}`);
      await linkNewProfile(destination, source.webId);
      steps.onStep(`5/6 ${source.pod} forwards to ${destination.pod}`);
    }
    const started = await moveApi.startForwarding(destination.webId, destination.pod);
    state = started;
    const consent = new ConsentApi(target.server, target.name, destination.session.fetch);
    const live = (await consent.listGrants()).filter((grant): boolean => grant.state === 'active' || grant.state === 'pending');
    const revokedAtTarget = await revokeAtTarget(started.revokedGrants ?? [], live, consent);
    if (revokedAtTarget.length > 0) {
      steps.onStep(`5/6 revoked ${revokedAtTarget.length} grant(s) at ${target.server} that were revoked at the old FMP during the copy`);
    }
    const grants = await describeMovedGrants(live.filter((grant): boolean => !revokedAtTarget.includes(grant.id)), target.server);
    steps.onStep(`6/6 telling ${new Set(started.grantees.map((live): string => granteeIdOf(live.grantee))).size} grantee(s)`);
    const notified = await notifyGrantees(started, source, steps.journal, steps.outbound ?? new OutboundGuard(getOutboundPolicy(sourceServer)));
    return {
      from: { pod: source.pod, webId: source.webId },
      to: { pod: destination.pod, webId: destination.webId, server: target.server },
      createdTarget,
      copied,
      resources,
      forwardUntil: started.forwardUntil,
      grants,
      revokedAtTarget,
      notified,
      activity: started.activity.id,
    };
  } finally {
    await destination.close();
  }
}

/** Creates the target account (with the member's login) and pod unless they exist; true if anything was created. */
async function ensureTargetPod(target: MoveTarget): Promise<boolean> {
  const account = new AccountApi(target.server);
  try {
    await account.logIn(target.email, target.password);
  } catch (error: unknown) {
    if (!(error instanceof FmpClientError) || (error.status !== 401 && error.status !== 403)) {
      throw error;
    }
    await account.createAccount();
    await account.addPasswordLogin(target.email, target.password);
    await account.createPod(target.name);
    return true;
  }
  if (!(await account.listPods()).pods.includes(getPodUrl(target.server, target.name))) {
    await account.createPod(target.name);
    return true;
  }
  return false;
}

/** The target's import status, once no import is running there (one from a killed run may still be committing). */
async function waitForImport(api: PortabilityApi, waitMs: number, onStep: (text: string) => void): Promise<ImportStatus> {
  const until = Date.now() + waitMs;
  let status = await api.getImportStatus();
  if (status.running) {
    onStep(`3/6 waiting for ${status.pod} to finish an import an earlier run started`);
  }
  while (status.running) {
    if (Date.now() > until) {
      throw new FmpClientError(`the target is still importing into ${status.pod}; run the move again later`);
    }
    await new Promise((resolve): void => {
      setTimeout(resolve, 1000);
    });
    status = await api.getImportStatus();
  }
  return status;
}

/** Adds `owl:sameAs` and `as:alsoKnownAs` the old WebID to the new profile (an N3 Patch; adding twice changes nothing). */
async function linkNewProfile(destination: MemberContext, oldWebId: string): Promise<void> {
  const response = await fetchServer(destination.webId.split('#')[0], {
    method: 'PATCH',
    headers: { 'content-type': 'text/n3' },
    body: LINK_PATCH(oldWebId, destination.webId),
  }, destination.session.fetch);
  if (!response.ok) {
    throw new FmpClientError(`cannot link the new profile to the old WebID (${response.status}): ${await readErrorMessage(response)}`,
      response.status);
  }
}

/**
 * Revokes, among the target's `live` grants, those the old FMP lists as `revoked` (matched by their last IRI segment,
 * which the move keeps): a grant revoked during the copy stays revoked. Returns their ids.
 */
async function revokeAtTarget(revoked: string[], live: GrantJson[], consent: ConsentApi): Promise<string[]> {
  const ids = new Set(revoked.map(lastSegment));
  const stale = live.filter((grant): boolean => ids.has(lastSegment(grant.id)));
  for (const grant of stale) {
    await consent.revokeGrant(grant.id);
  }
  return stale.map((grant): string => grant.id);
}

/** The target's live grants as it now holds and signs them, with a note where a grantee cannot use one there yet. */
async function describeMovedGrants(live: GrantJson[], server: string): Promise<MoveReport['grants']> {
  const peers = await readPeerIssuers(server);
  return live.map((grant): MoveReport['grants'][number] => ({
    id: grant.id,
    grantee: grant.grantee,
    scope: grant.scope,
    modes: grant.modes,
    validUntil: grant.validUntil,
    ...grant.grantee.kind === 'peer' && !peers.has(grant.grantee.issuer!.replace(/\/+$/u, '')) ?
      { note: `${grant.grantee.issuer} is not a peer of ${server}; the grant works once its operator adds it (fmp peer add)` } :
      {},
  }));
}

async function readPeerIssuers(server: string): Promise<Set<string>> {
  const response = await fetchServer(new URL('.fmp/peers', server).href, { headers: { accept: 'application/json' }});
  const { peers } = await response.json() as { peers: { issuer: string }[] };
  return new Set(peers.map((peer): string => peer.issuer.replace(/\/+$/u, '')));
}

function granteeIdOf(grantee: GrantJson['grantee']): string {
  return grantee.webId ?? grantee.issuer ?? grantee.clientId ?? 'unknown';
}

/** Sends the signed Move to the inbox of every grantee with a live grant, once each (the journal survives reruns). */
async function notifyGrantees(started: ForwardingStarted, source: MoveSource, journal: MoveJournal,
  outbound: OutboundGuard): Promise<MoveReport['notified']> {
  const results: MoveReport['notified'] = [];
  const seen = new Set<string>();
  for (const { grantee } of started.grantees) {
    const id = granteeIdOf(grantee);
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    const inbox = await findInbox(grantee, outbound.fetch).catch((): undefined => undefined);
    if (!inbox) {
      results.push({ grantee: id, result: 'no inbox' });
    } else if (await journal.wasDelivered(started.activity.id, inbox)) {
      results.push({ grantee: id, inbox, result: 'delivered earlier' });
    } else {
      const error = await deliver(inbox, started.activity, source.session.fetch, outbound);
      if (error) {
        results.push({ grantee: id, inbox, result: 'failed', error });
      } else {
        await journal.recordDelivery(started.activity.id, inbox);
        results.push({ grantee: id, inbox, result: 'delivered' });
      }
    }
  }
  return results;
}

/**
 * POSTs the activity as JSON-LD (an LDN notification); the error text if the inbox refused it or may not be reached.
 * The member's authenticated fetch cannot take the guard's connections, so the inbox and every redirect are checked
 * with the guard just before they are asked.
 */
async function deliver(inbox: string, activity: MoveActivity, fetchFn: typeof fetch, outbound: OutboundGuard): Promise<string | undefined> {
  try {
    let url = inbox;
    for (let hops = 0; hops <= 5; hops += 1) {
      await outbound.check(url, 'inbox');
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: JSON.stringify(activity),
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url).href;
        continue;
      }
      return response.ok ? undefined : `${response.status} ${await readErrorMessage(response)}`;
    }
    return `${inbox} redirects too often`;
  } catch (error: unknown) {
    return findOutboundRefusal(error)?.message ?? (error as Error).message;
  }
}
