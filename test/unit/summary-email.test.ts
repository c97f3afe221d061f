import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/calendar';
import { rollWeek } from '../../shared/domain/rollup/roll-week';
import type { MarkRecord, RollupFigures, WeekRecords } from '../../shared/domain/rollup/types';
import { countChange, rateChange, reasonLabel, shortWeekRange, weekTitle } from '../../shared/domain/summary-email/format';
import { maxPupilsListed, renderSchoolSummary } from '../../shared/domain/summary-email/school-summary';
import { renderTrustSummary } from '../../shared/domain/summary-email/trust-summary';

const empty = (): WeekRecords => ({ marks: [], interventions: [], restorative: [], incidents: [], notifications: [] });

/** Week 48 of a small school: P1 present, P2 absent 4 of 10 (with an incident note), P3 2 of 10. */
function figures(schoolId = 'oak', extraPupils = 0): RollupFigures {
  const w47 = empty();
  const w48 = empty();
  const mark = (records: WeekRecords, pupilId: string, monday: string, absent: number) => {
    for (let index = 0; index < 10; index++) {
      records.marks.push({
        pupilId,
        date: addDays(monday, Math.floor(index / 2)),
        session: index % 2 ? 'PM' : 'AM',
        code: index < absent ? 'N' : '/',
      } satisfies MarkRecord);
    }
  };
  for (const [pupilId, absent] of [['P1', 0], ['P2', 4], ['P3', 2], ...Array.from({ length: extraPupils }, (_, index) => [`X${index}`, 5] as const)] as const) {
    mark(w47, pupilId, '2026-11-16', 0);
    mark(w48, pupilId, '2026-11-23', absent);
  }
  w48.incidents = [1, 2].map((n) => ({
    eventId: `i${n}`,
    type: 'incident.recorded',
    date: '2026-11-24',
    occurredAtUtc: `2026-11-24T1${n}:00:00.000Z`,
    pupilIds: ['P2'],
    data: { incidentId: `I${n}`, category: 'verbal abuse', severity: 2, notes: 'STAFF NOTE: do not share' },
  }));
  const base = rollWeek({ schoolId, week: '2026-W47', base: undefined, records: w47 }).state;
  return rollWeek({ schoolId, week: '2026-W48', base, records: w48 }).figures;
}

const names = {
  P2: { firstName: 'Oliver', lastName: 'Jones', yearGroup: '8' },
  P3: { firstName: '<b>Zoë</b>', lastName: "O'Brien & Co", yearGroup: 'R' },
};

describe('dates', () => {
  it('names the week in the school\'s calendar: "Week 47: Monday 16 – Sunday 22 November 2026"', () => {
    expect(weekTitle('2026-W47')).toBe('Week 47: Monday 16 – Sunday 22 November 2026');
    expect(weekTitle('2026-W49')).toBe('Week 49: Monday 30 November – Sunday 6 December 2026');
    expect(weekTitle('2026-W53')).toBe('Week 53: Monday 28 December 2026 – Sunday 3 January 2027');
    expect(weekTitle('2027-W01')).toBe('Week 1: Monday 4 – Sunday 10 January 2027');
    // Across the October clock change the dates don't move.
    expect(weekTitle('2026-W43')).toBe('Week 43: Monday 19 – Sunday 25 October 2026');
    expect(shortWeekRange('2026-W48')).toBe('23–29 November 2026');
  });
});

describe('changes from last week', () => {
  it('says which way, by how much, and whether that is good news', () => {
    expect(countChange(5, 3, 'lower-is-better')).toEqual({ text: 'up 2 on last week (3)', tone: 'worse' });
    expect(countChange(1, 3, 'lower-is-better')).toEqual({ text: 'down 2 on last week (3)', tone: 'better' });
    expect(countChange(3, 3, 'lower-is-better')).toEqual({ text: 'same as last week', tone: 'same' });
    expect(countChange(3, null, 'lower-is-better')).toEqual({ text: 'no figure for last week', tone: 'none' });
    expect(rateChange(0.94, 0.95, 'higher-is-better')).toEqual({ text: 'down 1.0 points on last week (95.0%)', tone: 'worse' });
    expect(rateChange(null, 0.95, 'higher-is-better')).toEqual({ text: 'no sessions this week', tone: 'none' });
  });
});

describe('reasons a notification was not sent', () => {
  it('reads as words, including opt-outs by kind and reasons this email does not know yet', () => {
    expect(reasonLabel('no-email')).toBe('Contact has no email address');
    expect(reasonLabel('opted-out:detention')).toBe('Contact opted out of detention messages');
    expect(reasonLabel('some-new-reason')).toBe('Some new reason');
  });
});

describe("the school leaders' summary", () => {
  const rendered = renderSchoolSummary({
    schoolName: 'Oak & Elm Primary',
    trustName: 'Test Trust',
    timezone: 'Europe/London',
    figures: figures(),
    pupils: names,
  });

  it('has a subject, HTML and plain text, with the headline numbers and the change from last week', () => {
    expect(rendered.subject).toBe('Weekly summary for Oak & Elm Primary: week 48 (23–29 November 2026)');
    // 30 possible, 6 absent: 80.0%, down 20 points from 100%.
    for (const body of [rendered.html, rendered.text]) {
      expect(body).toContain('Week 48: Monday 23 – Sunday 29 November 2026');
      expect(body).toContain('80.0%');
      expect(body).toContain('down 20.0 points on last week (100.0%)');
      expect(body).toContain('up 2 on last week (0)');
    }
    expect(rendered.text).toContain('- Attendance this week: 80.0%, down 20.0 points on last week (100.0%)');
  });

  it('names the earlier weeks whose figures a re-fold revised, and says why (issue 11)', () => {
    const revised = renderSchoolSummary({
      schoolName: 'Oak',
      trustName: 'Test Trust',
      timezone: 'Europe/London',
      figures: figures(),
      pupils: names,
      revisedWeeks: ['2026-W46', '2026-W47'],
    });
    expect(revised.text).toContain(
      'REVISED FIGURES\nFigures revised for 2 earlier weeks: Week 46: Monday 9 – Sunday 15 November 2026; Week 47: Monday 16 – Sunday 22 November 2026.',
    );
    expect(revised.html).toContain('Revised figures');
    expect(rendered.text).not.toContain('REVISED');
  });

  it('names the pupils to look at (escaped), and only them', () => {
    expect(rendered.html).toContain('Oliver Jones');
    expect(rendered.html).toContain('&lt;b&gt;Zoë&lt;/b&gt; O&#39;Brien &amp; Co');
    expect(rendered.html).not.toContain('<b>Zoë</b>');
    expect(rendered.html).toContain('Oak &amp; Elm Primary');
    expect(rendered.text).toContain("<b>Zoë</b> O'Brien & Co"); // plain text is not HTML
    // P2: 4 of 10 missed, 2 incidents up from 0, persistently absent, no intervention.
    expect(rendered.text).toContain(
      'Oliver Jones (Year 8 · P2): Incidents rising: 2 this week (0 last week); Attendance falling: 60.0% this week (100.0% before); Persistently absent, no intervention: 80.0% attendance this year',
    );
    expect(rendered.text).toContain('(R · P3)');
    expect(rendered.html).not.toContain('P1<');
  });

  it('never includes a staff note', () => {
    expect(rendered.html).not.toContain('STAFF NOTE');
    expect(rendered.text).not.toContain('STAFF NOTE');
  });

  it('is email-safe: no script, SVG, images or external resources; a 600px fluid column; layout tables are presentation', () => {
    expect(rendered.html).not.toMatch(/<script|<svg|<img|<link|<iframe|url\(|https?:\/\//i);
    expect(rendered.html).toContain('max-width:600px');
    expect(rendered.html).toContain('<html lang="en-GB"');
    expect(rendered.html).toMatch(/<h1[^>]*>Oak &amp; Elm Primary<\/h1>/);
    // Seven v1 sections, and v2's restrictive interventions and "did it help?".
    expect(rendered.html.match(/<h2/g)).toHaveLength(9);
    // Every bar is decorative next to its visible value, inside a captioned table.
    expect(rendered.html.match(/<td valign="middle" aria-hidden="true"/g)!.length).toBeGreaterThan(5);
    expect(rendered.html.match(/<caption/g)!.length).toBeGreaterThan(3);
  });

  it('says "No sessions" for a holiday week rather than 100%', () => {
    const holiday = rollWeek({ schoolId: 'oak', week: '2026-W52', base: undefined, records: empty() }).figures;
    const email = renderSchoolSummary({ schoolName: 'Oak', trustName: 'T', timezone: 'Europe/London', figures: holiday, pupils: {} });
    expect(email.html).toContain('No sessions');
    // One sentence in both parts (the text part used to say it shorter).
    for (const body of [email.html, email.text]) expect(body).toContain('No possible sessions were recorded this week (a holiday, or no registers sent).');
    expect(email.html).toContain('No pupil met the rules');
  });

  it(`lists at most ${maxPupilsListed} pupils by name and counts the rest`, () => {
    const many = figures('oak', maxPupilsListed + 5);
    expect(many.pupilsToLookAt.length).toBe(maxPupilsListed + 7);
    const email = renderSchoolSummary({ schoolName: 'Oak', trustName: 'T', timezone: 'Europe/London', figures: many, pupils: names });
    expect(email.html).toContain('And 7 more not listed here.');
    expect(email.text).toContain('And 7 more not listed here.');
  });
});

describe('the trust summary', () => {
  const oak = figures('oak');
  const elm = { ...figures('elm'), incidents: { ...figures('elm').incidents, reasonableForce: 2 } };
  const rendered = renderTrustSummary({
    trustName: 'Oak Valley Trust',
    week: '2026-W48',
    schools: [
      { name: 'Oak Primary', figures: oak },
      { name: 'Elm Academy', figures: elm },
    ],
  });

  it("compares the schools in one table with the trust's totals", () => {
    expect(rendered.subject).toBe('Oak Valley Trust weekly summary: week 48 (23–29 November 2026)');
    // The comparison, and (v2) the restrictive interventions table.
    expect(rendered.html.match(/<table width="100%"[^>]*>\s*<caption/g)).toHaveLength(2);
    expect(rendered.html.indexOf('Elm Academy')).toBeLessThan(rendered.html.indexOf('Oak Primary'));
    expect(rendered.html).toMatch(/<tfoot>.*Trust.*80\.0%.*<\/tfoot>/s);
    expect(rendered.text).toContain('- Elm Academy: 80.0% | 2 | 2 (+2) | 2 | 0 | 0');
    expect(rendered.text).toContain('- Trust: 80.0% | 4 | 4 | 2 | 0 | 0');
  });

  it('lists the schools that need a look, with why', () => {
    expect(rendered.text).toContain(
      '- Elm Academy: attendance below 90% this week; 20% or more of pupils persistently absent; reasonable force, restraint or seclusion used',
    );
  });

  it('holds counts only: no pupil ids or names', () => {
    for (const body of [rendered.html, rendered.text]) {
      expect(body).not.toMatch(/\bP[123]\b/);
      expect(body).not.toContain('Oliver');
    }
  });
});
