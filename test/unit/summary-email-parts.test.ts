import { describe, expect, it } from 'vitest';
import { renderSchoolSummary } from '../../shared/domain/summary-email/school-summary';
import { renderTrustSummary } from '../../shared/domain/summary-email/trust-summary';
import { fixture } from '../browser/summary-fixture';

/**
 * The two parts of a summary email say the same thing: a leader whose mail client shows the
 * plain text reads every section and every figure the HTML shows (they once drifted: the text
 * part of the school summary left out the attendance chart, the year's authorised and
 * unauthorised absences and the footer's rules; the trust's had no footer at all).
 */
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ', shy: '' };

/** What a reader sees of the HTML: the body without the hidden preheader, tags dropped. */
function visibleText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<div style="display:none[^>]*>[^<]*<\/div>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp|shy);/g, (_, name: string) => entities[name]!);
}

/** Every number, percentage and count, in order of appearance, sorted for comparison as a multiset. */
const figures = (text: string) => (text.match(/\d+(?:\.\d+)?%?/g) ?? []).sort();
/** The plain text inside each element `<tag attributes…>` (headings, captions, row labels). */
const tagged = (html: string, tag: string, attributes = '') =>
  [...html.matchAll(new RegExp(`<${tag}${attributes}[^>]*>([^<]*)</${tag}>`, 'g'))].map((match) => visibleText(match[1]!).trim());

function expectSameContent(email: { html: string; text: string }) {
  for (const heading of tagged(email.html, 'h2')) expect(email.text, heading).toContain(`\n${heading.toUpperCase()}\n`);
  for (const caption of tagged(email.html, 'caption')) expect(email.text, caption).toContain(`\n${caption}:\n`);
  for (const row of tagged(email.html, 'th', ' scope="row"')) expect(email.text, row).toContain(`- ${row}: `);
  expect(figures(email.text)).toEqual(figures(visibleText(email.html)));
}

const trustName = 'Oak Valley Academy Trust';
const riverside = fixture();
const oak = fixture({ seed: 11, pupils: 120, schoolId: 'oak-primary', schoolName: 'Oak Primary School' });

describe('the HTML and plain-text parts of the summaries', () => {
  it("the school leaders' summary: every section, chart, row and figure is in both", () => {
    const email = renderSchoolSummary({ ...riverside, trustName, timezone: 'Europe/London', revisedWeeks: ['2026-W45', '2026-W46'] });
    // All sections present: revised figures, v1's seven, restrictive interventions and "did it help?".
    expect(email.html.match(/<h2/g)).toHaveLength(10);
    expect(email.text).toContain('Pupils with repeated restrictive interventions:');
    expectSameContent(email);
  });

  it("the trust leaders' summary, with a school missing: every section, row and figure is in both", () => {
    const email = renderTrustSummary({
      trustName,
      week: riverside.figures.week,
      schools: [riverside, oak].map(({ schoolName, figures }) => ({ name: schoolName, figures })),
      missing: ['Willow Federation'],
    });
    expect(email.html.match(/<h2/g)).toHaveLength(6);
    expectSameContent(email);
  });
});
