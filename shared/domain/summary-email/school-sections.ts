import { absenceThresholds } from '../rollup/attendance';
import type { RollupFigures } from '../rollup/types';
import { countChange, decimal, label, longDate, percent, plural, reasonLabel } from './format';
import { colours } from './html';
import { paragraph, type Block } from './layout';

/**
 * The sections of the school leaders' email that hold the week's figures (attendance,
 * incidents, interventions, restorative sessions, notifications), as blocks: layout.ts renders
 * each once into HTML and once into plain text.
 */

const { persistentPercent, severePercent } = absenceThresholds;

const share = (part: number, whole: number) => (whole === 0 ? '' : ` (${percent(part / whole, 0)})`);
const fractionText = (value: number | null, digits = 1) => (value === null ? 'not recorded' : decimal(value, digits));
/** Bars of counts, largest first (then by name). */
const byCount = (counts: Record<string, number>) => Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
const countBars = (caption: string, rows: [string, number][], name: (key: string) => string, max?: number): Block => ({
  kind: 'bars',
  caption,
  max,
  rows: rows.map(([key, count]) => ({ label: name(key), value: count, display: String(count) })),
});

export function attendanceSection(figures: RollupFigures): Block[] {
  const { attendance } = figures;
  if (attendance.possibleSessions === 0)
    return [paragraph('No possible sessions were recorded this week (a holiday, or no registers sent).'), rateBars(figures), yearToDate(figures)];
  return [
    paragraph(
      `${plural(attendance.possibleSessions, 'possible session')}, ${plural(attendance.absentSessions, 'absence', 'absences')}: ` +
        `${attendance.authorisedAbsentSessions} authorised and ${attendance.unauthorisedAbsentSessions} unauthorised. ` +
        `${plural(attendance.lateSessions, 'late mark')} (L, before registers closed) count as present.` +
        (attendance.notCountedSessions > 0
          ? ` ${plural(attendance.notCountedSessions, 'mark')} not counted as possible sessions (such as dual registration, D).`
          : ''),
    ),
    sessionBars(figures),
    rateBars(figures),
    yearToDate(figures),
  ];
}

function sessionBars({ attendance }: RollupFigures): Block {
  const possible = attendance.possibleSessions;
  const row = (label: string, value: number, colour: string) => ({ label, value, display: `${value}${share(value, possible)}`, colour });
  return {
    kind: 'bars',
    caption: 'Sessions this week',
    max: possible,
    rows: [
      row('Present', attendance.presentSessions, colours.present),
      row('Approved education off site', attendance.approvedOffSiteSessions, colours.offSite),
      row('Authorised absence', attendance.authorisedAbsentSessions, colours.authorised),
      row('Unauthorised absence', attendance.unauthorisedAbsentSessions, colours.unauthorised),
    ],
  };
}

function rateBars({ attendance, previousWeek }: RollupFigures): Block {
  const year = attendance.yearToDate;
  const rateRow = (name: string, sessions: number, rate: number) =>
    sessions > 0 ? { label: name, value: rate, display: percent(rate) } : { label: name, value: 0, display: 'no sessions' };
  return {
    kind: 'bars',
    caption: 'Attendance rate',
    max: 1,
    rows: [
      rateRow('This week', attendance.possibleSessions, attendance.rate),
      ...(previousWeek?.attendanceRate != null
        ? [{ label: 'Last week', value: previousWeek.attendanceRate, display: percent(previousWeek.attendanceRate) }]
        : []),
      rateRow('Year to date', year.possibleSessions, year.rate),
    ],
  };
}

function yearToDate({ attendance }: RollupFigures): Block {
  const year = attendance.yearToDate;
  return paragraph([
    `Since ${longDate(year.from)}: ${plural(year.possibleSessions, 'possible session')}, ${year.absentSessions} absent ` +
      `(${year.authorisedAbsentSessions} authorised, ${year.unauthorisedAbsentSessions} unauthorised), across ${plural(year.pupils, 'pupil')}. `,
    { strong: plural(attendance.persistentAbsentees.length, 'pupil') },
    ` persistently absent (${persistentPercent}% or more of sessions missed)${share(attendance.persistentAbsentees.length, year.pupils)}, ` +
      `of whom ${attendance.severeAbsentees.length} severely (${severePercent}% or more); ${attendance.newlyPersistentAbsentees.length} became persistently absent this week.`,
  ]);
}

export function incidentsSection({ incidents, previousWeek }: RollupFigures): Block[] {
  const change = countChange(incidents.total, previousWeek?.incidents, 'lower-is-better');
  const categories = byCount(incidents.byCategory);
  const levels = ['1', '2', '3', '4', '5'] as const;
  return [
    paragraph(
      `${plural(incidents.total, 'incident')} involving ${plural(incidents.pupils, 'pupil')}; ${change.text}. ` +
        `Reasonable force was used ${plural(incidents.reasonableForce, 'time')}${incidents.reasonableForceWithInjury ? `, ${incidents.reasonableForceWithInjury} with an injury` : ''}.`,
    ),
    ...(categories.length ? [countBars('Incidents by category', categories, label)] : []),
    ...(incidents.total
      ? [
          countBars(
            'Incidents by severity (1 low – 5 high)',
            levels.map((level) => [level, incidents.bySeverity[level]]),
            (level) => `Severity ${level}`,
            Math.max(...Object.values(incidents.bySeverity)),
          ),
        ]
      : []),
  ];
}

export function interventionsSection({ interventions }: RollupFigures): Block[] {
  const { ended, sessions, targets, delivery } = interventions;
  const outcomes = ended.byOutcome;
  const list: Block = {
    kind: 'list',
    items: [
      [{ strong: String(interventions.active) }, ` active at the end of the week, supporting ${plural(interventions.pupilsSupported, 'pupil')}`],
      `${interventions.started} started, ${ended.total} ended` +
        (ended.total
          ? ` (${outcomes.achieved} achieved, ${outcomes.partially_achieved} partly achieved, ${outcomes.not_achieved} not achieved, ${outcomes.withdrawn} withdrawn)`
          : ''),
      `${plural(sessions.recorded, 'session')} recorded this week, ${sessions.attended} attended` +
        (sessions.attendanceRate === null ? '' : ` (${percent(sessions.attendanceRate, 0)})`) +
        `; mean engagement ${fractionText(sessions.meanEngagement)} out of 5`,
      targets.scored
        ? `Targets: ${plural(targets.scored, 'target')} scored, on average ${fractionText(targets.meanChange)} points from baseline toward the goal` +
          (targets.meanProgress === null ? '' : ` (${percent(targets.meanProgress, 0)} of the way)`)
        : 'Targets: no scores recorded yet',
    ],
  };
  if (delivery.planned === 0) return [list];
  const bars: Block = {
    kind: 'bars',
    caption: 'Sessions delivered so far against plan',
    max: Math.max(delivery.planned, delivery.delivered),
    rows: [
      { label: 'Delivered', value: delivery.delivered, display: String(delivery.delivered) },
      { label: 'Planned', value: delivery.planned, display: String(delivery.planned), colour: colours.muted },
    ],
  };
  return [list, bars];
}

export function restorativeSection({ restorative }: RollupFigures): Block[] {
  const agreement =
    restorative.agreementRate === null
      ? 'no agreement outcome recorded'
      : `an agreement was reached in ${restorative.agreementReached} of ${restorative.agreementRecorded} (${percent(restorative.agreementRate, 0)})`;
  return [
    paragraph([
      `${plural(restorative.sessions, 'session')}; ${agreement}. `,
      { strong: plural(restorative.followUpsDue, 'follow-up') },
      ` due this coming week (${shortRange(restorative.followUpsDueFrom, restorative.followUpsDueTo)}).`,
    ]),
    ...(restorative.sessions ? [countBars('Restorative sessions by format', Object.entries(restorative.byFormat), label)] : []),
  ];
}

export function notificationsSection({ notifications }: RollupFigures): Block[] {
  const reasons = byCount(notifications.suppressedByReason);
  const otherStatuses = Object.entries(notifications.byStatus).filter(([status]) => status !== 'sent' && status !== 'suppressed');
  return [
    paragraph(
      `${plural(notifications.sent, 'message')} sent to parents, carers and the DSL; ${notifications.suppressed} decided not to send.` +
        (otherStatuses.length ? ` Other: ${otherStatuses.map(([status, count]) => `${count} ${status}`).join(', ')}.` : ''),
    ),
    ...(reasons.length ? [countBars('Not sent, by reason', reasons, reasonLabel)] : []),
  ];
}

function shortRange(from: string, to: string): string {
  const [start, end] = [longDate(from), longDate(to)];
  return `${start.split(' ').slice(0, 3).join(' ')} – ${end}`;
}
