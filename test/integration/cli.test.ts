import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCredentialsSession } from '../../src/client/ClientCredentialsSession';
import { getOperatorTokenPath } from '../../pod-server/operator/OperatorFiles';
import { getStateFolder } from '../../src/server/dataFolders';
import { runFmp } from '../harness/cli';
import { getFreePort } from '../harness/freePort';
import { uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer } from '../harness/servers';

describe('The fmp CLI', (): void => {
  let server: TestServer;
  let configDir: string;
  const name = uniqueName('greenacres');
  const email = `farm@${name}.example`;
  const password = 'correct horse';

  before(async(): Promise<void> => {
    server = await getSharedServer();
    configDir = await mkdtemp(join(tmpdir(), 'fmp-config-'));
  });

  after(async(): Promise<void> => {
    await rm(configDir, { recursive: true, force: true });
  });

  function fmp(...args: string[]): ReturnType<typeof runFmp> {
    return runFmp([ ...args, '--server', server.baseUrl ], { FMP_CONFIG_DIR: configDir });
  }

  it('member create prints the new member\'s WebID and pod as JSON.', async(): Promise<void> => {
    const result = await fmp('member', 'create', name, '--email', email, '--password', password);
    assert.equal(result.code, 0, result.stderr);
    const created = JSON.parse(result.stdout) as { webId: string; pod: string };
    assert.equal(created.pod, `${server.baseUrl}${name}/`);
    assert.equal(created.webId, `${server.baseUrl}${name}/profile/card#me`);
    assert.equal((await fetch(created.pod)).status, 401, 'the new pod is private');
  });

  describe('refuses, each with its own message and a non-zero exit code,', (): void => {
    it('a duplicate member name.', async(): Promise<void> => {
      const result = await fmp('member', 'create', name, '--email', `other@${name}.example`, '--password', 'x');
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), `fmp: a member named ${name} already exists on ${server.baseUrl}`);
    });

    it('an e-mail that already has an account.', async(): Promise<void> => {
      const result = await fmp('member', 'create', uniqueName('other'), '--email', email, '--password', 'x');
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), `fmp: the e-mail ${email} already belongs to a member of ${server.baseUrl}`);
    });

    it('a malformed e-mail.', async(): Promise<void> => {
      const result = await fmp('member', 'create', uniqueName('other'), '--email', 'not-an-email', '--password', 'x');
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), 'fmp: "not-an-email" is not a valid e-mail address');
    });

    it('a name that cannot be a pod path.', async(): Promise<void> => {
      const result = await fmp('member', 'create', 'Green Acres', '--email', 'g@example.org', '--password', 'x');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^fmp: "Green Acres" is not a valid member name/u);
    });

    it('a server that is not running.', async(): Promise<void> => {
      const port = await getFreePort();
      const result = await runFmp([ 'member', 'create', 'x', '--email', 'x@example.org', '--password', 'x',
        '--server', `http://localhost:${port}/` ]);
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), `fmp: no FMP server answers at http://localhost:${port}/ (is it running? start it with npm start)`);
    });

    it('a wrong password.', async(): Promise<void> => {
      const result = await fmp('whoami', name, '--email', email, '--password', 'wrong');
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), 'fmp: the e-mail or password is wrong');
    });

    it('a member command without any login.', async(): Promise<void> => {
      const result = await runFmp([ 'whoami', name, '--server', server.baseUrl ], { FMP_CONFIG_DIR: join(configDir, 'nobody') });
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`^fmp: not logged in as ${name}`, 'u'));
    });

    it('an unknown command, as a usage error.', async(): Promise<void> => {
      const result = await fmp('no-such-command');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /unknown command/u);
    });
  });

  it('acts for a member with --email/--password or FMP_EMAIL/FMP_PASSWORD.', async(): Promise<void> => {
    const flags = await fmp('whoami', name, '--email', email, '--password', password, '--json');
    assert.equal(flags.code, 0, flags.stderr);
    assert.equal((JSON.parse(flags.stdout) as { webId: string }).webId, `${server.baseUrl}${name}/profile/card#me`);
    const env = await runFmp([ 'whoami', name, '--server', server.baseUrl ], { FMP_EMAIL: email, FMP_PASSWORD: password, FMP_CONFIG_DIR: configDir });
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stdout, new RegExp(`^${name}: `, 'u'));
  });

  it('member token makes client credentials that log in with solid-client-authn-node.', async(): Promise<void> => {
    const result = await fmp('member', 'token', name, '--email', email, '--password', password, '--json');
    assert.equal(result.code, 0, result.stderr);
    const token = JSON.parse(result.stdout) as { clientId: string; clientSecret: string; webId: string; issuer: string };
    const session = new ClientCredentialsSession({ clientId: token.clientId, clientSecret: token.clientSecret, issuer: token.issuer });
    assert.equal(await session.getWebId(), token.webId);
    assert.equal((await session.fetch(`${server.baseUrl}${name}/catalog/`)).status, 200);
    await session.logout();
    const byId = await fmp('whoami', name, '--client-id', token.clientId, '--client-secret', token.clientSecret);
    assert.equal(byId.code, 0, byId.stderr);
  });

  it('login stores a private credential that later commands use without a password.', async(): Promise<void> => {
    const login = await fmp('login', name, '--email', email, '--password', password);
    assert.equal(login.code, 0, login.stderr);
    const file = join(configDir, 'logins.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.ok(!(await readFile(file, 'utf8')).includes(password), 'the password is not stored');
    const whoami = await fmp('whoami', name, '--json');
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal((JSON.parse(whoami.stdout) as { pod: string }).pod, `${server.baseUrl}${name}/`);
  });

  describe('member list', (): void => {
    it('lists members for the operator, from the token in the data folder (mode 0600).', async(): Promise<void> => {
      const tokenFile = getOperatorTokenPath(getStateFolder(server.dataFolder));
      assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
      const result = await runFmp([ 'member', 'list', '--data', server.dataFolder, '--json' ]);
      assert.equal(result.code, 0, result.stderr);
      const members = JSON.parse(result.stdout) as { name: string; email: string; webId: string }[];
      const member = members.find((entry): boolean => entry.name === name);
      assert.deepEqual(member, { name, email, pod: `${server.baseUrl}${name}/`, webId: `${server.baseUrl}${name}/profile/card#me` });
      const table = await runFmp([ 'member', 'list', '--data', server.dataFolder ]);
      assert.match(table.stdout, /^NAME +E-MAIL +WEBID/u);
      assert.match(table.stdout, new RegExp(`^${name} +${email}`, 'mu'));
    });

    it('refuses a data folder without an operator token.', async(): Promise<void> => {
      const empty = await mkdtemp(join(tmpdir(), 'fmp-empty-'));
      const result = await runFmp([ 'member', 'list', '--data', empty ]);
      await rm(empty, { recursive: true, force: true });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^fmp: no operator token in /u);
    });

    it('gives nothing to a request without the operator token, or with a wrong one.', async(): Promise<void> => {
      const url = new URL('.fmp/operator/members', server.baseUrl);
      assert.equal((await fetch(url)).status, 401);
      assert.equal((await fetch(url, { headers: { authorization: 'Bearer not-the-token' } })).status, 401);
    });
  });
});
