import { absenceThresholds } from '../rollup/attendance';
import { combineSdqImpact } from '../rollup/sdq-impact';
import {
  schoolLookThresholds,
  schoolsToLookAt,
  trustRow,
  trustTotals,
  type SchoolLookReason,
  type SchoolToLookAt,
  type TrustRow,
  type TrustTotals,
} from '../rollup/trust';
import type { RollupFigures } from '../rollup/types';
import { percent, plural, shortWeekRange, weekNumber, weekTitle } from './format';
import { figureColumns, paragraph, renderSummary, type Block, type RenderedEmail, type Section } from './layout';
import { sdqImpactSection, trustRestrictiveSection } from './restrictive-sdq-sections';

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

// Worded from the thresholds that decide it (rollup/trust.ts), so the two cannot disagree.
const reasonText: Record<SchoolLookReason, string> = {
  'low-attendance': `attendance below ${percent(schoolLookThresholds.lowAttendanceRate, 0)} this week`,
  'high-persistent-absence': `${percent(schoolLookThresholds.persistentAbsenceShare, 0)} or more of pupils persistently absent`,
  'rising-incidents': `incidents up by ${schoolLookThresholds.risingIncidents} or more on last week`,
  'reasonable-force': 'reasonable force, restraint or seclusion used',
};

export function trustSummarySubject(trustName: string, week: string): string {
  return `${trustName} weekly summary: week ${weekNumber(week)} (${shortWeekRange(week)})`;
}

const rate = (possible: number, value: number) => (possible === 0 ? '–' : percent(value));
const signed = (change: number | null) => (change === null || change === 0 ? '' : ` (${change > 0 ? '+' : '−'}${Math.abs(change)})`);

function acrossTheTrust(totals: TrustTotals): Block {
  return {
    kind: 'list',
    items: [
      [
        'Attendance this week: ',
        { strong: rate(totals.possibleSessions, totals.attendanceRate) },
        ` (${plural(totals.absentSessions, 'absence')} in ${plural(totals.possibleSessions, 'possible session')})`,
      ],
      ['Persistent absentees this year: ', { strong: String(totals.persistentAbsentees) }],
      ['Incidents: ', { strong: String(totals.incidents) }, `, reasonable force used ${plural(totals.reasonableForce, 'time')}`],
      ['Active interventions: ', { strong: String(totals.interventionsActive) }],
      `Notifications: ${totals.notificationsSent} sent, ${totals.notificationsSuppressed} not sent`,
    ],
  };
}

function missingSection(missing: string[]): Section[] {
  if (missing.length === 0) return [];
  const text = `No figures by Monday noon from ${plural(missing.length, 'school')}: ${missing.join(', ')}. Their weekly rollup has not run; trust IT can run it with \`tracker rollup\`, and the school's leaders still get their own summary when it does.`;
  return [{ heading: 'Not in this summary', blocks: [paragraph(text)] }];
}

function needALook(lookAt: SchoolToLookAt[]): Block {
  if (lookAt.length === 0) return paragraph('No school met the rules below this week.');
  return { kind: 'list', items: lookAt.map((school) => [{ strong: school.name }, `: ${school.reasons.map((reason) => reasonText[reason]).join('; ')}`]) };
}

/** A row of the comparison after the school's name; a school's incidents carry their change. */
const figuresOf = (row: TrustTotals, incidents = String(row.incidents)) => [
  rate(row.possibleSessions, row.attendanceRate),
  String(row.persistentAbsentees),
  incidents,
  String(row.reasonableForce),
  String(row.interventionsActive),
  String(row.notificationsSent),
];

function schoolsCompared(rows: TrustRow[], totals: TrustTotals): Block[] {
  const { persistentPercent } = absenceThresholds;
  // Soft hyphens let the narrow headers break on a phone.
  const table: Block = {
    kind: 'table',
    caption: `${plural(rows.length, 'school')} compared`,
    grid: true,
    columns: [
      { text: 'School', width: '22%' },
      ...figureColumns(
        ['Attend\u00adance', '14%'],
        ['Persist\u00adent absent\u00adees', '13%'],
        ['Inci\u00addents', '13%'],
        ['Reason\u00adable force', '12%'],
        ['Active inter\u00adven\u00adtions', '13%'],
        ['Mess\u00adages sent', '13%'],
      ),
    ],
    rows: rows.map((row) => [row.name, ...figuresOf(row, `${row.incidents}${signed(row.incidentsChange)}`)]),
    totals: ['Trust', ...figuresOf(totals)],
  };
  return [
    table,
    paragraph(
      `Attendance is this week’s rate; persistent absentees are pupils missing ${persistentPercent}% or more of possible sessions this academic year; incidents show the change on last week in brackets; messages are notifications sent to parents, carers and DSLs.`,
      { muted: true, small: true },
    ),
  ];
}

export function renderTrustSummary(input: TrustSummaryInput): RenderedEmail {
  const schools = [...input.schools].sort((a, b) => a.name.localeCompare(b.name));
  const rows = schools.map(({ name, figures }) => trustRow(name, figures));
  const totals = trustTotals(rows);
  const subject = trustSummarySubject(input.trustName, input.week);
  const lookAt = schoolsToLookAt(schools);
  return renderSummary({
    subject,
    preheader: `Attendance ${rate(totals.possibleSessions, totals.attendanceRate)} across ${plural(rows.length, 'school')}; ${plural(lookAt.length, 'school')} to look at.`,
    banner: { kicker: 'Weekly trust summary', title: input.trustName, subtitle: weekTitle(input.week) },
    sections: [
      { heading: 'Across the trust', blocks: [acrossTheTrust(totals)] },
      ...missingSection([...(input.missing ?? [])].sort()),
      { heading: 'Schools that need a look', blocks: [needALook(lookAt)] },
      { heading: 'Restrictive interventions', blocks: trustRestrictiveSection(schools) },
      { heading: 'Did it help?', blocks: sdqImpactSection(combineSdqImpact(schools.map(({ figures }) => figures.sdqImpact)), 'trust') },
      { heading: 'Schools compared', blocks: schoolsCompared(rows, totals) },
    ],
    footer: [
      'Each school’s leaders receive their own summary, naming the pupils to look at; this one holds counts only.',
      `A school needs a look when: ${Object.values(reasonText).join('; ')}.`,
      `${input.trustName} · Intervention tracker`,
    ],
  });
}
