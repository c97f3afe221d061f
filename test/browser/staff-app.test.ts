import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupSource } from '../../events/bus';
import { isoWeekOf } from '../../shared/domain/calendar';
import { staffRoster } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';
import { staffHelpers, staffPassword, type StaffHelpers } from '../support/staff';

/**
 * The staff app in the machine's Chromium against the real local stack: sign-in (and its
 * new-password and MFA steps), search, chronology, a restorative session recorded by
 * keyboard alone, the parents' emails, and axe-core on every page at phone and desktop
 * widths. Chromium is required (CI installs it): this never skips.
 */
const executablePath = '/usr/bin/chromium';

// The project compiles without the DOM library (server code); these run inside the page.
declare const document: {
  activeElement: { matches(selector: string): boolean; classList: { contains(name: string): boolean } } | null;
  querySelector(selector: string): { selectedOptions: ArrayLike<{ textContent: string | null }> } | null;
  documentElement: { scrollWidth: number };
};
declare const window: { innerWidth: number };
const screenshots = join(import.meta.dirname, '../../docs/screenshots');
const appDir = join(import.meta.dirname, '../../app/dist');
const widths = [375, 1280] as const;

let stack: TestStack;
let staff: StaffHelpers;
let browser: Browser;
const findings: string[] = [];

beforeAll(async () => {
  await build({ configFile: join(import.meta.dirname, '../../app/vite.config.ts'), logLevel: 'warn' });
  stack = await startTestStack({ appDir });
  staff = await staffHelpers(stack);
  const secret = await stack.addSchool({ schoolId: 'oak', name: 'Oak Primary' });
  await stack.post('oak', secret, {
    events: [...staffRoster()],
  });
  await staff.add('a@oak.example.org', 'staff', 'oak');
  await staff.add('head@oak.example.org', 'leader', 'oak');
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(screenshots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

/** Presses Tab until the element matching `selector` has focus (keyboard only, as a person would). */
async function tabTo(page: Page, selector: string, limit = 80) {
  for (let presses = 0; presses < limit; presses++) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function typeInto(page: Page, selector: string, text: string) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** A select changed with the arrow keys until it shows `label`. */
async function choose(page: Page, selector: string, label: string) {
  await tabTo(page, selector);
  for (let presses = 0; presses < 20; presses++) {
    if ((await page.evaluate((wanted) => document.querySelector(wanted)?.selectedOptions[0]?.textContent, selector)) === label) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${selector} has no option ${label}`);
}

/** axe-core at both widths; a serious or critical violation is recorded with the page's name. */
async function audit(page: Page, name: string) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    const results = await new AxeBuilder({ page }).analyze();
    for (const violation of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      findings.push(`${name} @${width}: ${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) findings.push(`${name} @${width}: scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: join(screenshots, `app-${name}-${width === 375 ? 'phone' : 'desktop'}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function signInByKeyboard(page: Page, email: string, password = staffPassword) {
  await page.goto(`${stack.url}/app/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await typeInto(page, '#email', email);
  await typeInto(page, '#password', password);
  await page.keyboard.press('Enter');
}

/** Each test its own browser context (cookies, storage): nothing carries over between users. */
async function openPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  return context.newPage();
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

describe('staff app in Chromium', () => {
  it('sign in, find a pupil, record a restorative session for two pupils by keyboard; it shows on both chronologies and the parents are emailed', async () => {
    const page = await openPage(1280);
    await page.goto(`${stack.url}/app/`);
    await heading(page, 'Sign in');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await audit(page, 'sign-in');

    await signInByKeyboard(page, 'a@oak.example.org');
    await heading(page, 'Find a pupil');
    await typeInto(page, '#q', 'taylor');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Alex Taylor' }).waitFor();
    await audit(page, 'search');
    await tabTo(page, 'a[href="#/pupils/P001"]');
    await page.keyboard.press('Enter');
    await heading(page, 'Chronology: Alex Taylor');

    await tabTo(page, 'a[href^="#/record/restorative.session.recorded"]');
    await page.keyboard.press('Enter');
    await heading(page, 'Record: restorative session');
    // A failed submit first: the error summary takes focus and nothing is lost.
    await typeInto(page, '#f-data-sessionId', 'RS-APP-1');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    // The app moves focus in a task after rendering (setTimeout), so wait for it rather than read it once.
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary') === true, undefined, { timeout: 5_000 });
    expect(await page.inputValue('#f-data-sessionId')).toBe('RS-APP-1');
    await audit(page, 'record-errors');

    await typeInto(page, '#f-data-date', new Date().toISOString().slice(0, 10));
    await choose(page, '#f-data-format', 'Mini conference');
    await typeInto(page, '#f-data-participants-0-pupilId', 'P001');
    await choose(page, '#f-data-participants-0-role', 'Responsible');
    await tabTo(page, '#f-data-participants-add');
    await page.keyboard.press('Enter');
    await typeInto(page, '#f-data-participants-1-pupilId', 'P002');
    await choose(page, '#f-data-participants-1-role', 'Harmed');
    await tabTo(page, '#f-data-agreementReached');
    await page.keyboard.press('Space');
    await typeInto(page, '#f-data-summaryForParents', 'Alex and Jordan talked it through <b>calmly</b> and agreed to sit apart.');
    await typeInto(page, '#f-data-notes', 'Staff only: <script>alert(1)</script>');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByText('Restorative session saved.').waitFor();
    await audit(page, 'record');

    for (const [pupilId, name] of [
      ['P001', 'Alex Taylor'],
      ['P002', 'Jordan Smith'],
    ]) {
      await page.goto(`${stack.url}/app/#/pupils/${pupilId}`);
      await heading(page, `Chronology: ${name}`);
      const entry = page.locator('li.entry.restorative-session-recorded');
      await entry.first().waitFor();
      // Shown as text, never as markup.
      expect(await entry.first().textContent()).toContain('<script>alert(1)</script>');
      expect(await page.locator('li.entry b').count()).toBe(0);
      if (pupilId === 'P001') await audit(page, 'chronology');
    }
    await stack.flush();
    const mails = await stack.outbox();
    for (const parent of ['sam.taylor@example.org', 'kim.smith@example.org']) {
      const mail = mails.find((m) => m.to.includes(parent) && m.text.includes('talked it through'));
      expect(mail, parent).toBeDefined();
      expect(mail!.html).toContain('&lt;b&gt;calmly&lt;/b&gt;');
      expect(mail!.text + mail!.html).not.toContain('Staff only');
    }

    // The v2 statutory record's form, generated from its schema like every other.
    await page.goto(`${stack.url}/app/#/record/restrictive.intervention.recorded?pupil=P001`);
    await heading(page, 'Record: restrictive intervention');
    await choose(page, '#f-data-parentReport-variant', 'Withhold');
    await page.locator('#f-data-parentReport-reason').waitFor();
    await audit(page, 'record-restrictive');
    await page.goto(`${stack.url}/app/#/caseload`);
    await heading(page, 'My caseload');
    await audit(page, 'caseload');
    await page.goto(`${stack.url}/app/#/follow-ups`);
    await heading(page, 'Follow-ups due');
    await audit(page, 'follow-ups');
    await page.context().close();
  }, 180_000);

  it('a leader sees the weekly figures as charts', async () => {
    const week = isoWeekOf(new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10));
    await stack.invoke('rollup-school', { source: rollupSource, 'detail-type': 'rollup.requested', detail: { schoolId: 'oak', week, sendEmail: false } });
    const page = await openPage(1280);
    await signInByKeyboard(page, 'head@oak.example.org');
    await heading(page, 'Find a pupil');
    await tabTo(page, 'a[href="#/figures"]');
    await page.keyboard.press('Enter');
    await heading(page, 'Weekly figures');
    await page.getByRole('rowheader', { name: week }).first().waitFor();
    await audit(page, 'figures');
    await page.context().close();
  }, 60_000);

  it('first sign-in with a temporary password from the invitation email asks for a new password', async () => {
    await staff.target.schools.get('oak');
    const { addStaff } = await import('../../infra/cli/staff');
    await addStaff({ email: 'new@oak.example.org', role: 'staff', school: 'oak' }, staff.target);
    const invitation = (await stack.outbox()).find((mail) => mail.to.includes('new@oak.example.org'))!;
    const temporary = /temporary password (\S+)/.exec(invitation.text)![1]!;
    const page = await openPage(375);
    await signInByKeyboard(page, 'new@oak.example.org', temporary);
    await heading(page, 'Choose a new password');
    await typeInto(page, '#new-password', 'short');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await audit(page, 'new-password');
    await page.fill('#new-password', '');
    await typeInto(page, '#new-password', 'A-much-better-Passw0rd');
    await page.keyboard.press('Enter');
    await heading(page, 'Find a pupil');
    await page.context().close();
  }, 60_000);

  it('MFA set-up and MFA code steps, against a stand-in for Cognito (cognito-local has no MFA_SETUP)', async () => {
    const real = await staff.token('a@oak.example.org');
    const seen: string[] = [];
    const page = await openPage(1280);
    let signIns = 0;
    await page.route(`${stack.cognito.endpoint}/`, async (route) => {
      const action = String(route.request().headers()['x-amz-target']).split('.')[1]!;
      const body = JSON.parse(route.request().postData() ?? '{}');
      seen.push(action);
      const reply = (json: unknown) => route.fulfill({ status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(json) });
      if (action === 'InitiateAuth') return reply({ ChallengeName: signIns++ === 0 ? 'MFA_SETUP' : 'SOFTWARE_TOKEN_MFA', Session: 's1' });
      if (action === 'AssociateSoftwareToken') return reply({ SecretCode: 'JBSWY3DPEHPK3PXP', Session: 's2' });
      if (action === 'VerifySoftwareToken') return reply(body.UserCode === '123456' ? { Status: 'SUCCESS', Session: 's3' } : { Status: 'ERROR' });
      if (action === 'RespondToAuthChallenge' && (body.ChallengeName === 'MFA_SETUP' || body.ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE === '654321')) {
        return reply({ AuthenticationResult: { AccessToken: real, ExpiresIn: 900 } });
      }
      return route.fulfill({
        status: 400,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({ __type: 'CodeMismatchException', message: 'Invalid code received for user' }),
      });
    });
    await signInByKeyboard(page, 'a@oak.example.org');
    await heading(page, 'Set up an authenticator app');
    await page.getByText('JBSWY3DPEHPK3PXP').waitFor();
    await audit(page, 'mfa-setup');
    await typeInto(page, '#code', '123456');
    await page.keyboard.press('Enter');
    await heading(page, 'Find a pupil');
    expect(seen).toEqual(['InitiateAuth', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'RespondToAuthChallenge']);

    await tabTo(page, 'button.link');
    await page.keyboard.press('Enter');
    await typeInto(page, '#email', 'a@oak.example.org');
    await typeInto(page, '#password', staffPassword);
    await page.keyboard.press('Enter');
    await heading(page, 'Enter your authenticator code');
    await typeInto(page, '#code', '000000');
    await page.keyboard.press('Enter');
    await page.getByText('Invalid code received').first().waitFor();
    await page.fill('#code', '');
    await typeInto(page, '#code', '654321');
    await page.keyboard.press('Enter');
    await heading(page, 'Find a pupil');
    await page.context().close();
  }, 60_000);

  it('axe-core found no serious or critical violation on any page, at 375 and 1280 px', () => {
    expect(findings).toEqual([]);
  });
});
