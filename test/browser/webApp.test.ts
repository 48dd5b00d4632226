import { strict as assert } from 'node:assert';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AccountApi } from '../../src/client/AccountApi';
import { ClientCredentialsSession } from '../../src/client/ClientCredentialsSession';
import { getProduct } from '../../shapes/access/products';
import { ARTIFACTS, capture as captureIn, launchChromium, WIDTHS } from '../harness/browser';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer, startTestServer } from '../harness/servers';

const TURTLE = { 'content-type': 'text/turtle' };

/**
 * The member web app in a real Chromium (headless, through playwright-core), against a real FMP: sign up and sign in
 * through the FMP's own identity provider, and every flow a member has. Each page is checked with axe-core and
 * photographed at phone and desktop width (test-artifacts/screenshots/).
 */
describe('The member web app in a browser', function(): void {
  this.timeout(300_000);
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const name = uniqueName('web');
  const email = `${name}@example.org`;
  const password = `pw-${name}-long`;
  let pod: string;
  let memberSession: ClientCredentialsSession;
  let requester: TestMember;
  const home = (): string => new URL('.fmp/', server.baseUrl).href;

  async function capture(label: string): Promise<void> {
    await captureIn(page, label);
  }

  async function flash(): Promise<string> {
    return (await page.locator('.flash').first().textContent() ?? '').trim();
  }

  before(async(): Promise<void> => {
    server = await getSharedServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: WIDTHS.desktop, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    requester = await createTestMember(server.baseUrl, uniqueName('asker'));
  });

  after(async(): Promise<void> => {
    await browser?.close();
  });

  it('the server\'s root page points to the web app; the sign-in page asks for nothing but a sign-in or a sign-up.', async(): Promise<void> => {
    await page.goto(server.baseUrl);
    await page.getByRole('link', { name: /member web app/u }).click();
    assert.equal(page.url(), home());
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');
    const response = await fetch(home());
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/u);
    assert.match(response.headers.get('set-cookie') ?? '', /^fmp_app=[\w-]{43}; Path=\/\.fmp\/; HttpOnly; SameSite=Lax$/u);
    assert.ok(Buffer.byteLength(await response.text()) < 100_000, 'the first page is light');
    await capture('sign-in');
  });

  it('signs up a member with the checks of fmp member create, then signs in through the FMP\'s login page.', async(): Promise<void> => {
    await page.goto(home());
    await page.getByLabel(/Farm or member name/u).fill('Not A Name');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    // The browser's own pattern check would stop the form; the server's check is the one that counts.
    await page.locator('#name').evaluate((input: HTMLInputElement): void => input.removeAttribute('pattern'));
    await page.getByRole('button', { name: 'Create my pod' }).click();
    assert.match(await flash(), /"Not A Name" is not a valid member name/u);
    assert.equal(await page.getByLabel('E-mail').inputValue(), email, 'what was typed is kept');
    await page.getByLabel(/Farm or member name/u).fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create my pod' }).click();
    assert.match(await flash(), new RegExp(`Your pod "${name}" is ready`, 'u'));

    await page.getByRole('link', { name: 'Sign in with this FMP' }).click();
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL(home());
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'My data');
    assert.match(await page.locator('.who').textContent() ?? '', new RegExp(name, 'u'));

    pod = new URL(`${name}/`, server.baseUrl).href;
    const account = new AccountApi(server.baseUrl);
    await account.logIn(email, password);
    const credential = await account.createClientCredentials('browser-test', `${pod}profile/card#me`);
    memberSession = new ClientCredentialsSession({ clientId: credential.id, clientSecret: credential.secret, issuer: server.baseUrl });
  });

  it('shows the pod, the catalog and the harvests; a price edited inline is saved to the pod.', async(): Promise<void> => {
    const seeded = await runFmp([ 'demo', 'seed', name, '--email', email, '--password', password, '--server', server.baseUrl ]);
    assert.equal(seeded.code, 0, seeded.stderr);
    await page.goto(home());
    const catalogRow = page.locator('table').first().getByRole('row').filter({ hasText: 'catalog/' });
    assert.match(await catalogRow.textContent() ?? '', /catalog\/\s*30/u);
    assert.equal(await page.locator('svg.chart polyline').count() > 0, true, 'a line per crop');
    await capture('home');

    const product = (await page.locator('form[id^="save-"]').first().getAttribute('id'))!.slice('save-'.length);
    const before = (await getProduct(pod, product, { fetch: memberSession.fetch }))!;
    await page.locator(`#save-${product}-price`).fill('7.25');
    await page.locator(`#save-${product}-stock`).fill('12');
    await page.locator(`#save-${product}`).getByRole('button').click();
    assert.match(await flash(), new RegExp(`Saved ${before.name}`, 'u'));
    const after = (await getProduct(pod, product, { fetch: memberSession.fetch }))!;
    assert.equal(after.price.value, 7.25);
    assert.equal(after.stock, 12);
    assert.equal(after.name, before.name, 'nothing else changed');

    await page.locator(`#save-${product}-price`).fill('-3');
    await page.locator(`#save-${product}-price`).evaluate((input: HTMLInputElement): void => input.removeAttribute('min'));
    await page.locator(`#save-${product}`).getByRole('button').click();
    assert.match(await flash(), /Give a price of 0 or more/u);
    assert.equal((await getProduct(pod, product, { fetch: memberSession.fetch }))!.price.value, 7.25, 'a bad price loses nothing');
  });

  it('approves an access request for less time and sees the grant; a revoke ends it at once.', async(): Promise<void> => {
    const put = await memberSession.fetch(`${pod}shared/notes`, { method: 'PUT', headers: TURTLE, body: '<#n> <http://schema.org/text> "hi".' });
    assert.ok(put.ok);
    const asked = await requester.fetch(`${pod}inbox/`, { method: 'POST', headers: TURTLE, body: `
      @prefix gc: <https://w3id.org/GConsent#>. @prefix acl: <http://www.w3.org/ns/auth/acl#>.
      @prefix dcterms: <http://purl.org/dc/terms/>. @prefix time: <http://www.w3.org/2006/time#>.
      @prefix xsd: <http://www.w3.org/2001/XMLSchema#>. @prefix fmp: <https://w3id.org/fmp-vault/ns#>.
      <> a gc:Consent, fmp:AccessRequest; gc:hasStatus gc:ConsentStatusRequested;
        gc:isConsentForDataSubject <${pod}profile/card#me>; gc:isProvidedTo <${requester.webId}>;
        gc:forPersonalData <${pod}shared/>; acl:mode acl:Read;
        dcterms:description "Show your notes in the co-op newsletter";
        time:hasXSDDuration "P30D"^^xsd:duration; dcterms:created "${new Date().toISOString()}"^^xsd:dateTime.` });
    assert.equal(asked.status, 201);
    assert.equal((await requester.fetch(`${pod}shared/notes`)).status, 403, 'no access before approval');

    await page.getByRole('link', { name: 'Inbox' }).click();
    assert.match(await page.locator('main').textContent() ?? '', /Access request[\s\S]*Show your notes/u);
    await capture('inbox');

    await page.getByRole('link', { name: 'Requests' }).click();
    const request = page.locator('section.request').filter({ hasText: requester.webId });
    assert.match(await request.textContent() ?? '', /Show your notes in the co-op newsletter/u);
    await capture('requests');
    await request.getByLabel('Approve for').selectOption('1d');
    await request.getByRole('button', { name: 'Approve' }).click();
    assert.match(await flash(), new RegExp(`Approved: ${requester.webId}`, 'u'));
    assert.equal((await requester.fetch(`${pod}shared/notes`)).status, 200, 'the grant works');

    await page.getByRole('link', { name: 'Who has access' }).click();
    const row = page.locator('table.grants tr').filter({ hasText: requester.webId });
    assert.match(await row.textContent() ?? '', /shared\/[\s\S]*read[\s\S]*Show your notes[\s\S]*expires in (23 hours|1 day)/u);
    // The audit log already shows the grantee's read, and the row when it was last used.
    assert.match(await row.textContent() ?? '', /just now|\d+ minutes? ago/u);
    await capture('access');
    await row.getByRole('button', { name: /Revoke/u }).click();
    assert.match(await flash(), /Revoked/u);
    assert.equal((await requester.fetch(`${pod}shared/notes`)).status, 403, 'the grantee is refused right after');
    assert.equal(await page.locator('table.grants tr').filter({ hasText: requester.webId }).count(), 0);
  });

  it('gives every member of the FMP, or everyone, access, with a plain warning for public grants; refuses inbox/.', async(): Promise<void> => {
    await page.goto(`${home()}app/access`);
    await page.getByLabel('To whom').selectOption('public');
    await page.getByLabel(/Folders or items/u).fill('inbox/');
    await page.getByLabel(/Why/u).fill('farm website');
    await page.getByRole('button', { name: 'Give access' }).click();
    assert.match(await flash(), /may not cover inbox\//u);
    assert.equal((await fetch(`${pod}shared/notes`)).status, 401);

    await page.getByLabel('To whom').selectOption('public');
    await page.getByLabel(/Folders or items/u).fill('shared/');
    await page.getByLabel(/Why/u).fill('farm website');
    await page.getByRole('button', { name: 'Give access' }).click();
    assert.match(await flash(), /Access given to everyone[\s\S]*anyone on the internet can read this/u);
    assert.match(await page.locator('table.grants').textContent() ?? '', /Public: anyone on the internet can read this/u);
    assert.equal((await fetch(`${pod}shared/notes`)).status, 200, 'anonymous reads it');
    await capture('access-public');
    await page.locator('table.grants tr').filter({ hasText: 'everyone' }).getByRole('button', { name: /Revoke/u }).click();
    assert.equal((await fetch(`${pod}shared/notes`)).status, 401, 'and no more after the revoke');
  });

  it('refuses a form post without the session\'s CSRF token.', async(): Promise<void> => {
    const forged = await page.request.post(`${home()}app/snapshots`, { form: { _csrf: 'guess' }});
    assert.equal(forged.status(), 403);
    const noToken = await page.request.post(`${home()}app/grants`, { form: { kind: 'public', scope: 'shared/', modes: 'read', duration: '1d', purpose: 'x' }});
    assert.equal(noToken.status(), 403);
    assert.equal((await fetch(`${pod}shared/notes`)).status, 401, 'no grant was made');
  });

  it('takes a snapshot and restores it after a confirmation.', async(): Promise<void> => {
    await page.goto(`${home()}app/undo`);
    await page.getByRole('button', { name: 'Take a snapshot now' }).click();
    assert.match(await flash(), /Snapshot taken/u);
    assert.equal(await page.locator('table.snapshots tbody tr').count(), 1);
    await capture('undo');
    const changed = await memberSession.fetch(`${pod}shared/notes`, { method: 'PUT', headers: TURTLE, body: '<#n> <http://schema.org/text> "bad app".' });
    assert.ok(changed.ok);
    const extra = await memberSession.fetch(`${pod}shared/added`, { method: 'PUT', headers: TURTLE, body: '<#n> <http://schema.org/text> "x".' });
    assert.ok(extra.ok);

    await page.getByRole('link', { name: /Restore/u }).first().click();
    assert.match(await page.getByRole('heading', { level: 1 }).textContent() ?? '', /Restore the snapshot of/u);
    await capture('restore-confirm');
    await page.getByRole('button', { name: 'Yes, restore' }).click();
    assert.match(await flash(), /Restored: 1 removed, 1 put back/u);
    assert.match(await (await memberSession.fetch(`${pod}shared/notes`)).text(), /"hi"/u);
    assert.equal((await memberSession.fetch(`${pod}shared/added`)).status, 404);
  });

  it('shows the bridges page.', async(): Promise<void> => {
    await page.goto(`${home()}app/bridges`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Shops and apps');
    await capture('bridges');
  });

  it('downloads an export of the whole pod.', async(): Promise<void> => {
    await page.goto(`${home()}app/move`);
    await capture('move');
    const [ download ] = await Promise.all([ page.waitForEvent('download'), page.getByRole('link', { name: 'Download my pod' }).click() ]);
    assert.match(download.suggestedFilename(), new RegExp(`^${name}-\\d{4}-\\d\\d-\\d\\d\\.tar$`, 'u'));
    const file = join(ARTIFACTS, '..', `${name}.tar`);
    await download.saveAs(file);
    const archive = await readFile(file);
    assert.ok((await stat(file)).size > 10_000);
    assert.equal(archive.subarray(257, 262).toString(), 'ustar', 'a tar archive');
    assert.ok(archive.includes(Buffer.from('shared/notes')), 'with the pod\'s resources');
  });

  it('moves the pod to a second FMP, with its progress and the result.', async(): Promise<void> => {
    const other = await startTestServer();
    try {
      await page.goto(`${home()}app/move`);
      await page.getByLabel('Address of the other FMP').fill(other.baseUrl);
      await page.getByLabel(/E-mail there/u).fill(email);
      await page.getByLabel(/Your password there/u).fill(password);
      await page.getByLabel(/I understand/u).check();
      await page.getByRole('button', { name: 'Move my pod' }).click();
      await page.getByText(/^Moved\. Your pod now lives at/u).waitFor({ timeout: 120_000 });
      await capture('move-done');
      const newPod = new URL(`${name}/`, other.baseUrl).href;
      assert.match(await page.locator('main').textContent() ?? '', new RegExp(newPod.replace(/[./]/gu, '\\$&'), 'u'));
      const old = await fetch(`${pod}shared/notes`, { redirect: 'manual' });
      assert.equal(old.status, 308);
      assert.equal(old.headers.get('location'), `${newPod}shared/notes`);
    } finally {
      await other.destroy();
    }
  });
});
