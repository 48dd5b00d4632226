import { strict as assert } from 'node:assert';
import { AccountApi } from '../../src/client/AccountApi';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer } from '../harness/servers';

const NOTIFY = 'http://www.w3.org/ns/solid/notifications#';

describe('The two CSS 7.2 holes', (): void => {
  let server: TestServer;
  let owner: TestMember;
  let stranger: TestMember;

  before(async(): Promise<void> => {
    server = await getSharedServer();
    owner = await createTestMember(server.baseUrl, uniqueName('subscriber'));
    stranger = await createTestMember(server.baseUrl, uniqueName('intruder'));
  });

  describe('deleting a notification channel', (): void => {
    async function subscribe(type: string): Promise<string> {
      const response = await owner.fetch(new URL(`.notifications/${type}/`, server.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: JSON.stringify({
          '@context': [ 'https://www.w3.org/ns/solid/notification/v1' ],
          type: `${NOTIFY}${type}`,
          topic: `${owner.pod}catalog/`,
          ...type === 'WebhookChannel2023' ? { sendTo: 'http://localhost:9/hook' } : {},
        }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json() as { id: string }).id;
    }

    for (const type of [ 'WebhookChannel2023', 'WebSocketChannel2023' ]) {
      it(`${type}: refuses another member (403) and anonymous (401); lets the creator delete it.`, async(): Promise<void> => {
        const channel = await subscribe(type);
        const byStranger = await stranger.fetch(channel, { method: 'DELETE' });
        assert.equal(byStranger.status, 403);
        assert.match(await byStranger.text(), /Only the agent that created this channel/u);
        assert.equal((await fetch(channel, { method: 'DELETE' })).status, 401);
        assert.equal((await owner.fetch(channel, { method: 'DELETE' })).status, 205);
        assert.equal((await owner.fetch(channel, { method: 'DELETE' })).status, 404, 'it is gone');
      });
    }

    it('answers 404 for a channel that does not exist.', async(): Promise<void> => {
      const missing = new URL('.notifications/WebhookChannel2023/no-such-channel', server.baseUrl);
      assert.equal((await stranger.fetch(missing, { method: 'DELETE' })).status, 404);
    });
  });

  describe('pod creation', (): void => {
    async function newAccount(): Promise<{ token: string; podUrl: string }> {
      const account = new AccountApi(server.baseUrl);
      await account.createAccount();
      const name = uniqueName('applicant');
      await account.addPasswordLogin(`${name}@example.org`, 'secret');
      const controls = await account.getControls();
      return { token: account.accountToken!, podUrl: controls.account.pod! };
    }

    async function createPod(body: unknown): Promise<Response> {
      const { token, podUrl } = await newAccount();
      return fetch(podUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `CSS-Account-Token ${token}` },
        body: JSON.stringify(body),
      });
    }

    it('refuses an extra setting that CSS would write unescaped into the root ACL.', async(): Promise<void> => {
      const name = uniqueName('evil');
      const attack = 'x>; acl:mode acl:Read. <#public> a acl:Authorization; acl:agentClass <http://xmlns.com/foaf/0.1/Agent>; acl:accessTo <./';
      const response = await createPod({ name, settings: { email: attack } });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /Unknown pod settings: email/u);
      assert.notEqual((await fetch(new URL(`${name}/profile/card`, server.baseUrl))).status, 200, 'no pod was made');
      assert.equal((await fetch(new URL(`${name}/`, server.baseUrl))).status, 401);
    });

    it('refuses a WebID setting that would break out of its IRI.', async(): Promise<void> => {
      const response = await createPod({ name: uniqueName('evil'), settings: { webId: 'https://a.example/#me> a <#x' } });
      assert.equal(response.status, 400);
    });

    it('still creates a pod from a plain request.', async(): Promise<void> => {
      const name = uniqueName('plain');
      const response = await createPod({ name });
      assert.equal(response.status, 200);
      assert.equal((await fetch(new URL(`${name}/profile/card`, server.baseUrl))).status, 200);
    });
  });
});
