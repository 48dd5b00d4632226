import { randomBytes } from 'node:crypto';
import { AccountApi } from '../../src/client/AccountApi';
import { ClientCredentialsSession } from '../../src/client/ClientCredentialsSession';

/** A member signed up through the account API, logged in with client credentials. */
export interface TestMember {
  name: string;
  email: string;
  password: string;
  pod: string;
  webId: string;
  clientId: string;
  clientSecret: string;
  session: ClientCredentialsSession;
  /** Authenticated fetch as this member. */
  fetch: typeof fetch;
}

/** A member name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Signs up `name` on `server` (account, password, pod) and logs in with fresh client credentials. */
export async function createTestMember(server: string, name = uniqueName('member')): Promise<TestMember> {
  const email = `${name}@example.org`;
  const password = `pw-${name}`;
  const account = new AccountApi(server);
  await account.createAccount();
  await account.addPasswordLogin(email, password);
  const { pod, webId } = await account.createPod(name);
  const credential = await account.createClientCredentials(`test-${name}`, webId);
  const session = new ClientCredentialsSession({ clientId: credential.id, clientSecret: credential.secret, issuer: server });
  return { name, email, password, pod, webId, clientId: credential.id, clientSecret: credential.secret, session, fetch: session.fetch };
}

/** A second client credential for the same member (another app acting as the same WebID). */
export async function createAnotherClient(server: string, member: TestMember, label = 'other-app'): Promise<ClientCredentialsSession> {
  const account = new AccountApi(server);
  await account.logIn(member.email, member.password);
  const credential = await account.createClientCredentials(label, member.webId);
  return new ClientCredentialsSession({ clientId: credential.id, clientSecret: credential.secret, issuer: server });
}
