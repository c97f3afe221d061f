import { schoolsToLookAt, trustRow, trustTotals, type SchoolLookReason } from '../rollup/trust';
import type { RollupFigures } from '../rollup/types';
import { escapeHtml, percent, plural, shortWeekRange, weekNumber, weekTitle } from './format';
import { html } from './html';
import { combineSdqImpact } from '../rollup/sdq-impact';
import { sdqImpactSection, trustRestrictiveSection } from './restrictive-sdq-sections';
import type { RenderedEmail } from './school-summary';

/**
 * The trust leaders' Monday email: one table comparing the schools, the trust's totals,
 * and the schools that need a look. Counts only: no pupil is named or identified.
 */
export interface TrustSummaryInput {
  trustName: string;
  week: string;
  schools: { name: string; figures: RollupFigures }[];
  /** Schools with no rollup of the week by the deadline (their names): said, not hidden. */
  missing?: string[];
}

const reasonText: Record<SchoolLookReason, string> = {
  'low-attendance': 'attendance below 90% this week',
  'high-persistent-absence': '20% or more of pupils persistently absent',
  'rising-incidents': 'incidents up by 5 or more on last week',
  'reasonable-force': 'reasonable force, restraint or seclusion used',
};

export function trustSummarySubject(trustName: string, week: string): string {
  return `${trustName} weekly summary: week ${weekNumber(week)} (${shortWeekRange(week)})`;
}

const rate = (possible: number, value: number) => (possible === 0 ? '–' : percent(value));
const signed = (change: number | null) => (change === null || change === 0 ? '' : ` (${change > 0 ? '+' : '−'}${Math.abs(change)})`);

export function renderTrustSummary(input: TrustSummaryInput): RenderedEmail {
  const schools = [...input.schools].sort((a, b) => a.name.localeCompare(b.name));
  const rows = schools.map(({ name, figures }) => trustRow(name, figures));
  const totals = trustTotals(rows);
  const lookAt = schoolsToLookAt(schools);
  const subject = trustSummarySubject(input.trustName, input.week);
  const missing = [...(input.missing ?? [])].sort();
  const missingText = `No figures by Monday noon from ${plural(missing.length, 'school')}: ${missing.join(', ')}. Their weekly rollup has not run; trust IT can run it with \`tracker rollup\`, and the school's leaders still get their own summary when it does.`;
  const restrictive = trustRestrictiveSection(schools);
  const impact = sdqImpactSection(combineSdqImpact(schools.map(({ figures }) => figures.sdqImpact)), 'trust');

  // Soft hyphens let the narrow headers break on a phone.
  const table = html.dataTable({
    caption: `${plural(rows.length, 'school')} compared`,
    small: true,
    headers: [
      { text: 'School', width: '22%' },
      { text: 'Attend&shy;ance', align: 'right', width: '14%' },
      { text: 'Persist&shy;ent absent&shy;ees', align: 'right', width: '13%' },
      { text: 'Inci&shy;dents', align: 'right', width: '13%' },
      { text: 'Reason&shy;able force', align: 'right', width: '12%' },
      { text: 'Active inter&shy;ven&shy;tions', align: 'right', width: '13%' },
      { text: 'Mess&shy;ages sent', align: 'right', width: '13%' },
    ],
    rows: rows.map((row) => [
      escapeHtml(row.name),
      rate(row.possibleSessions, row.attendanceRate),
      String(row.persistentAbsentees),
      `${row.incidents}${signed(row.incidentsChange)}`,
      String(row.reasonableForce),
      String(row.interventionsActive),
      String(row.notificationsSent),
    ]),
    totals: [
      'Trust',
      rate(totals.possibleSessions, totals.attendanceRate),
      String(totals.persistentAbsentees),
      String(totals.incidents),
      String(totals.reasonableForce),
      String(totals.interventionsActive),
      String(totals.notificationsSent),
    ],
  });

  const lookAtHtml =
    lookAt.length === 0
      ? html.paragraph('No school met the rules below this week.')
      : html.list(
          lookAt.map((school) => `<strong>${escapeHtml(school.name)}</strong>: ${school.reasons.map((reason) => escapeHtml(reasonText[reason])).join('; ')}`),
        );

  const body = [
    html.banner({ kicker: 'Weekly trust summary', title: input.trustName, subtitle: weekTitle(input.week) }),
    html.section(
      'Across the trust',
      html.list([
        `Attendance this week: <strong>${rate(totals.possibleSessions, totals.attendanceRate)}</strong> (${plural(totals.absentSessions, 'absence')} in ${plural(totals.possibleSessions, 'possible session')})`,
        `Persistent absentees this year: <strong>${totals.persistentAbsentees}</strong>`,
        `Incidents: <strong>${totals.incidents}</strong>, reasonable force used ${plural(totals.reasonableForce, 'time')}`,
        `Active interventions: <strong>${totals.interventionsActive}</strong>`,
        `Notifications: ${totals.notificationsSent} sent, ${totals.notificationsSuppressed} not sent`,
      ]),
    ),
    ...(missing.length ? [html.section('Not in this summary', html.paragraph(escapeHtml(missingText)))] : []),
    html.section('Schools that need a look', lookAtHtml),
    html.section('Restrictive interventions', restrictive.html),
    html.section('Did it help?', impact.html),
    html.section(
      'Schools compared',
      `${table}\n${html.paragraph('Attendance is this week’s rate; persistent absentees are pupils missing 10% or more of possible sessions this academic year; incidents show the change on last week in brackets; messages are notifications sent to parents, carers and DSLs.', { muted: true, small: true })}`,
    ),
    html.footer([
      'Each school’s leaders receive their own summary, naming the pupils to look at; this one holds counts only.',
      `A school needs a look when: ${Object.values(reasonText).join('; ')}.`,
      `${escapeHtml(input.trustName)} · Intervention tracker`,
    ]),
  ].join('\n');

  const text = [
    `${input.trustName}: weekly trust summary`,
    weekTitle(input.week),
    '',
    'ACROSS THE TRUST',
    `- Attendance this week: ${rate(totals.possibleSessions, totals.attendanceRate)}`,
    `- Persistent absentees this year: ${totals.persistentAbsentees}`,
    `- Incidents: ${totals.incidents}; reasonable force: ${totals.reasonableForce}`,
    `- Active interventions: ${totals.interventionsActive}`,
    `- Notifications: ${totals.notificationsSent} sent, ${totals.notificationsSuppressed} not sent`,
    ...(missing.length ? ['', 'NOT IN THIS SUMMARY', missingText] : []),
    '',
    'SCHOOLS THAT NEED A LOOK',
    ...(lookAt.length === 0
      ? ['None this week.']
      : lookAt.map((school) => `- ${school.name}: ${school.reasons.map((reason) => reasonText[reason]).join('; ')}`)),
    '',
    'RESTRICTIVE INTERVENTIONS',
    ...restrictive.text,
    '',
    'DID IT HELP?',
    ...impact.text,
    '',
    'SCHOOLS COMPARED (attendance | persistent absentees | incidents | reasonable force | active interventions | messages sent)',
    ...rows.map(
      (row) =>
        `- ${row.name}: ${rate(row.possibleSessions, row.attendanceRate)} | ${row.persistentAbsentees} | ${row.incidents}${signed(row.incidentsChange)} | ${row.reasonableForce} | ${row.interventionsActive} | ${row.notificationsSent}`,
    ),
    `- Trust: ${rate(totals.possibleSessions, totals.attendanceRate)} | ${totals.persistentAbsentees} | ${totals.incidents} | ${totals.reasonableForce} | ${totals.interventionsActive} | ${totals.notificationsSent}`,
    '',
  ].join('\n');

  return {
    subject,
    html: html.document({
      title: subject,
      preheader: `Attendance ${rate(totals.possibleSessions, totals.attendanceRate)} across ${plural(rows.length, 'school')}; ${plural(lookAt.length, 'school')} to look at.`,
      body,
    }),
    text,
  };
}
