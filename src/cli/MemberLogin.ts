import { AccountApi } from '../client/AccountApi';
import { ClientCredentialsSession } from '../client/ClientCredentialsSession';
import { FmpClientError } from '../client/FmpClientError';
import { getPodUrl } from './memberNames';
import type { StoredLogins } from './StoredLogins';

/** How a member-scoped command may authenticate, from flags or environment. */
export interface MemberAuthOptions {
  server: string;
  email?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
}

/** An authenticated member: a session plus what to clean up after. */
export interface MemberContext {
  name: string;
  pod: string;
  webId: string;
  session: ClientCredentialsSession;
  /** Logs out and removes any credential made just for this command. */
  close: () => Promise<void>;
}

/** Logs in to the account with e-mail and password and finds member `name`'s pod and WebID in it. */
export async function findMemberAccount(server: string, name: string, email: string, password: string):
Promise<{ account: AccountApi; pod: string; webId: string }> {
  const account = new AccountApi(server);
  await account.logIn(email, password);
  const pod = getPodUrl(server, name);
  const { pods, webIds } = await account.listPods();
  if (!pods.includes(pod)) {
    throw new FmpClientError(`the account of ${email} has no pod named ${name} on ${server}`);
  }
  const webId = webIds.find((id): boolean => id.startsWith(pod)) ?? webIds[0];
  if (!webId) {
    throw new FmpClientError(`the account of ${email} has no WebID`);
  }
  return { account, pod, webId };
}

/**
 * Logs in as member `name`: with client credentials if given, else with e-mail and password
 * (through a short-lived client credential, deleted on close), else with the login `fmp login` stored.
 */
export async function logInAsMember(name: string, options: MemberAuthOptions, stored: StoredLogins): Promise<MemberContext> {
  const issuer = options.server;
  if (options.clientId || options.clientSecret) {
    if (!options.clientId || !options.clientSecret) {
      throw new FmpClientError('give both --client-id and --client-secret');
    }
    const session = new ClientCredentialsSession({ clientId: options.clientId, clientSecret: options.clientSecret, issuer });
    return contextOf(name, getPodUrl(issuer, name), await session.getWebId(), session, async(): Promise<void> => session.logout());
  }
  if (options.email || options.password) {
    if (!options.email || !options.password) {
      throw new FmpClientError('give both --email and --password (or FMP_EMAIL and FMP_PASSWORD)');
    }
    const { account, pod, webId } = await findMemberAccount(issuer, name, options.email, options.password);
    const credential = await account.createClientCredentials(`fmp-cli-${Date.now()}`, webId);
    const session = new ClientCredentialsSession({ clientId: credential.id, clientSecret: credential.secret, issuer });
    return contextOf(name, pod, webId, session, async(): Promise<void> => {
      await session.logout();
      if (credential.resource) {
        await account.deleteClientCredentials(credential.resource);
      }
    });
  }
  const login = await stored.get(issuer, name);
  if (!login) {
    throw new FmpClientError(`not logged in as ${name} on ${issuer}: run fmp login ${name}, or give --email and --password`);
  }
  const session = new ClientCredentialsSession({ clientId: login.clientId, clientSecret: login.clientSecret, issuer });
  return contextOf(name, login.pod, login.webId, session, async(): Promise<void> => session.logout());
}

function contextOf(name: string, pod: string, webId: string, session: ClientCredentialsSession,
  close: () => Promise<void>): MemberContext {
  return { name, pod, webId, session, close };
}

/** Logs in as member `name`, runs `work`, and always logs out (and cleans up) after. */
export async function actAsMember<T>(name: string, options: MemberAuthOptions, stored: StoredLogins,
  work: (member: MemberContext) => Promise<T>): Promise<T> {
  const member = await logInAsMember(name, options, stored);
  try {
    return await work(member);
  } finally {
    await member.close();
  }
}
