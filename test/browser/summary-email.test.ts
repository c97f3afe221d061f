import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSchoolSummary } from '../../shared/domain/summary-email/school-summary';
import { renderTrustSummary } from '../../shared/domain/summary-email/trust-summary';
import { fixture } from './summary-fixture';

/**
 * The leaders' summary rendered in headless Chromium at a phone and a desktop width: no
 * horizontal scrolling, readable contrast, semantic headings, no scripts or network, and
 * screenshots for the docs (docs/screenshots/). Skips, saying why, without Debian's Chromium
 * (CI installs it with apt: `apt-get install chromium`).
 */
const executablePath = '/usr/bin/chromium';

// The project compiles without the DOM library (it is server code); these run inside the page.
interface PageElement {
  childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
  parentElement: PageElement | null;
  textContent: string | null;
  nextElementSibling: PageElement | null;
  getClientRects(): ArrayLike<unknown>;
  getBoundingClientRect(): { width: number };
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: { documentElement: PageElement & { scrollWidth: number; lang: string }; body: PageElement & { scrollWidth: number } } & Pick<
  PageElement,
  'querySelector' | 'querySelectorAll'
>;
declare const window: { innerWidth: number };
declare const Node: { TEXT_NODE: number };
declare function getComputedStyle(element: PageElement): { color: string; backgroundColor: string };
const screenshots = join(import.meta.dirname, '../../docs/screenshots');

const { figures, pupils, schoolName } = fixture();
const school = renderSchoolSummary({ schoolName, trustName: 'Oak Valley Academy Trust', timezone: 'Europe/London', figures, pupils });
const trust = renderTrustSummary({
  trustName: 'Oak Valley Academy Trust',
  week: figures.week,
  schools: [
    { name: schoolName, figures },
    fixture({ seed: 11, pupils: 120, schoolId: 'oak-primary', schoolName: 'Oak Primary School' }),
    fixture({ seed: 5, pupils: 90, schoolId: 'st-aidans', schoolName: 'St Aidan’s Church of England Junior and Infant School' }),
  ].map((school) => ('schoolName' in school ? { name: school.schoolName, figures: school.figures } : school)),
});

let browser: Browser;

async function open(html: string, width: number): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  const requests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('data:') && request.url() !== 'about:blank') requests.push(request.url());
  });
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests };
}

const overflow = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, bodyScrollWidth: document.body.scrollWidth }));

/** WCAG contrast of every visible piece of text against the background it is drawn on. */
const lowContrast = (page: Page) =>
  page.evaluate(() => {
    const parse = (colour: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (/rgba?\(([^)]+)\)/.exec(colour)?.[1] ?? '0,0,0,0').split(',').map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const channel = (value: number) => {
        const v = value / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: PageElement | null) => {
      for (let node = element; node; node = node.parentElement) {
        const colour = parse(getComputedStyle(node).backgroundColor);
        if (colour.a > 0) return colour;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const failures: { text: string; ratio: number }[] = [];
    let checked = 0;
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const ownText = Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '');
      if (!ownText || element.getClientRects().length === 0 || element.closest('[aria-hidden="true"]')) continue;
      checked++;
      const [fg, bg] = [luminance(parse(getComputedStyle(element).color)), luminance(background(element))];
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < 4.5) failures.push({ text: (element.textContent ?? '').trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100 });
    }
    return { checked, failures };
  });

describe('the summary email in headless Chromium', () => {
  beforeAll(async () => {
    // A missing browser fails the run (CI installs it): it is never a silent skip.
    if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install chromium`);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await mkdir(screenshots, { recursive: true });
  });
  afterAll(() => browser?.close());

  for (const [name, width] of [
    ['phone', 375],
    ['desktop', 1280],
  ] as const) {
    it(`fits a ${name} (${width}px) without horizontal scrolling; screenshot docs/screenshots/summary-${name}.png`, async () => {
      const { page, requests } = await open(school.html, width);
      const size = await overflow(page);
      expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
      expect(size.bodyScrollWidth).toBeLessThanOrEqual(size.innerWidth);
      // The column is fluid up to 600px, and centred on a desktop.
      const column = await page.evaluate(() => {
        return document.querySelector('table[role="presentation"] table[role="presentation"]')!.getBoundingClientRect().width;
      });
      expect(column).toBeLessThanOrEqual(600);
      if (width === 375) expect(column).toBeGreaterThan(340);
      expect(requests).toEqual([]); // no images, fonts or trackers to load
      await page.screenshot({ path: join(screenshots, `summary-${name}.png`), fullPage: true });
      await page.close();
    });
  }

  it('has text contrast of at least 4.5:1 everywhere, at both widths', async () => {
    for (const width of [375, 1280]) {
      const { page } = await open(school.html, width);
      const { checked, failures } = await lowContrast(page);
      expect(checked).toBeGreaterThan(100);
      expect(failures).toEqual([]);
      await page.close();
    }
  });

  it('is structured for screen readers: one h1, h2 sections, labelled charts, no scripts or SVG', async () => {
    const { page } = await open(school.html, 375);
    const structure = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: Array.from(document.querySelectorAll('h1')).map((h) => h.textContent),
      h2: Array.from(document.querySelectorAll('h2')).map((h) => h.textContent),
      scripts: document.querySelectorAll('script, svg, img, iframe, link[rel="stylesheet"]').length,
      // Every bar sits in a row with a visible label (row header) and a visible value.
      bars: Array.from(document.querySelectorAll('td[aria-hidden="true"]')).map((bar) => {
        const row = bar.closest('tr')!;
        return {
          label: row.querySelector('th[scope="row"]')?.textContent?.trim() ?? '',
          value: bar.nextElementSibling?.textContent?.trim() ?? '',
          caption: bar.closest('table')?.querySelector('caption')?.textContent ?? '',
        };
      }),
    }));
    expect(structure.lang).toBe('en-GB');
    expect(structure.h1).toEqual(['Riverside Academy']);
    expect(structure.h2).toEqual([
      'At a glance',
      'Attendance',
      'Pupils to look at',
      'Incidents',
      'Restrictive interventions',
      'Interventions',
      'Did it help?',
      'Restorative sessions',
      'Notifications',
    ]);
    expect(structure.scripts).toBe(0);
    expect(structure.bars.length).toBeGreaterThan(10);
    for (const bar of structure.bars) {
      expect(bar.label, JSON.stringify(bar)).not.toBe('');
      expect(bar.value, JSON.stringify(bar)).not.toBe('');
      expect(bar.caption, JSON.stringify(bar)).not.toBe('');
    }
    await page.close();
  });

  it('the trust summary fits a phone too; screenshot docs/screenshots/trust-summary-phone.png', async () => {
    const { page } = await open(trust.html, 375);
    const size = await overflow(page);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
    expect((await lowContrast(page)).failures).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'trust-summary-phone.png'), fullPage: true });
    await page.close();
  });
});
