import type { LookReason, PupilToLookAt, RollupFigures } from '../rollup/types';
import {
  countChange,
  decimal,
  escapeHtml,
  label,
  longDate,
  percent,
  plural,
  rateChange,
  reasonLabel,
  shortWeekRange,
  weekNumber,
  weekTitle,
  type Change,
} from './format';
import { absenceThresholds } from '../rollup/attendance';
import { lookAtThresholds } from '../rollup/pupils-to-look-at';
import { colours, html } from './html';

const { persistentPercent, severePercent } = absenceThresholds;
import { restrictiveSection, sdqImpactSection } from './restrictive-sdq-sections';

/**
 * The school leaders' Monday email, from the stored figures. Pupils to look at are named
 * (this email goes to the school's leaders only); nothing else names a pupil, and no staff
 * note is ever read into the figures, so none can appear here.
 */

/** A pupil as the leaders' list shows them: name and year, whatever the profile holds. */
export interface ListedPupil {
  firstName?: string;
  lastName?: string;
  yearGroup?: string;
}

export interface SchoolSummaryInput {
  schoolName: string;
  trustName: string;
  timezone: string;
  figures: RollupFigures;
  /** Names of the pupils to look at, by pupilId (from the roster). */
  pupils: Record<string, ListedPupil>;
  /** Earlier weeks whose stored figures this rollup revised (records that arrived late). */
  revisedWeeks?: string[];
}

/** Why earlier figures changed, in words leaders can act on; empty when none did. */
function revisionNote(weeks: readonly string[]): string {
  if (weeks.length === 0) return '';
  const named = weeks.map(weekTitle).join('; ');
  return `Figures revised for ${weeks.length === 1 ? 'an earlier week' : `${weeks.length} earlier weeks`}: ${named}. Records dated in ${weeks.length === 1 ? 'it' : 'them'} arrived after ${weeks.length === 1 ? 'its' : 'their'} summary (register corrections, amended incidents), so ${weeks.length === 1 ? 'its' : 'their'} stored figures and the year-to-date figures below now include them.`;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** At most this many pupils are listed by name; the rest are counted. */
export const maxPupilsListed = 40;

const reasonText: Record<LookReason, string> = {
  'rising-incidents': 'Incidents rising',
  'falling-attendance': 'Attendance falling',
  'persistent-absence-without-intervention': 'Persistently absent, no intervention',
};

function reasonDetail(pupil: PupilToLookAt, reason: LookReason): string {
  switch (reason) {
    case 'rising-incidents':
      return `${reasonText[reason]}: ${pupil.incidentsThisWeek} this week (${pupil.incidentsLastWeek} last week)`;
    case 'falling-attendance':
      return `${reasonText[reason]}: ${pupil.weekRate === null ? '–' : percent(pupil.weekRate)} this week (${pupil.rateBefore === null ? '–' : percent(pupil.rateBefore)} before)`;
    case 'persistent-absence-without-intervention':
      return `${reasonText[reason]}: ${pupil.yearToDateRate === null ? '–' : percent(pupil.yearToDateRate)} attendance this year`;
  }
}

const nameOf = (pupilId: string, pupils: Record<string, ListedPupil>) => {
  const pupil = pupils[pupilId];
  const name = [pupil?.firstName, pupil?.lastName].filter(Boolean).join(' ');
  return name || `Pupil ${pupilId}`;
};

const yearAndId = (pupilId: string, pupils: Record<string, ListedPupil>) => {
  const year = pupils[pupilId]?.yearGroup;
  return `${year ? (/^\d+$/.test(year) ? `Year ${year}` : year) : 'Year not known'} · ${pupilId}`;
};

/** Pupils with the most reasons first, then by name. */
function orderPupils(list: PupilToLookAt[], pupils: Record<string, ListedPupil>): PupilToLookAt[] {
  return [...list].sort(
    (a, b) =>
      b.reasons.length - a.reasons.length ||
      (pupils[a.pupilId]?.lastName ?? '').localeCompare(pupils[b.pupilId]?.lastName ?? '') ||
      nameOf(a.pupilId, pupils).localeCompare(nameOf(b.pupilId, pupils)) ||
      a.pupilId.localeCompare(b.pupilId),
  );
}

export function schoolSummarySubject(schoolName: string, week: string): string {
  return `Weekly summary for ${schoolName}: week ${weekNumber(week)} (${shortWeekRange(week)})`;
}

interface Headlines {
  attendance: { value: string; change: Change };
  persistent: { value: string; change: Change; note: string };
  incidents: { value: string; change: Change };
  force: { value: string; change: Change };
  interventions: { value: string; change: Change };
  restorative: { value: string; change: Change };
}

function headlines(figures: RollupFigures): Headlines {
  const { attendance, incidents, interventions, restorative, previousWeek: previous } = figures;
  const weekRate = attendance.possibleSessions > 0 ? attendance.rate : null;
  return {
    attendance: { value: weekRate === null ? 'No sessions' : percent(weekRate), change: rateChange(weekRate, previous?.attendanceRate, 'higher-is-better') },
    persistent: {
      value: String(attendance.persistentAbsentees.length),
      change: countChange(attendance.persistentAbsentees.length, previous?.persistentAbsentees, 'lower-is-better'),
      note: `${attendance.newlyPersistentAbsentees.length} new this week; ${plural(attendance.severeAbsentees.length, 'severely absent pupil')}`,
    },
    incidents: { value: String(incidents.total), change: countChange(incidents.total, previous?.incidents, 'lower-is-better') },
    // v1's force flag on incidents and v2's statutory records together (a school sends one or the other).
    force: {
      value: String(incidents.reasonableForce + (figures.restrictive?.total ?? 0)),
      change: countChange(
        incidents.reasonableForce + (figures.restrictive?.total ?? 0),
        previous && previous.reasonableForce + (previous.restrictiveInterventions ?? 0),
        'lower-is-better',
      ),
    },
    interventions: { value: String(interventions.active), change: countChange(interventions.active, previous?.interventionsActive, 'neutral') },
    restorative: { value: String(restorative.sessions), change: countChange(restorative.sessions, previous?.restorativeSessions, 'neutral') },
  };
}

const share = (part: number, whole: number) => (whole === 0 ? '' : ` (${percent(part / whole, 0)})`);
const fractionText = (value: number | null, digits = 1) => (value === null ? 'not recorded' : decimal(value, digits));

export function renderSchoolSummary(input: SchoolSummaryInput): RenderedEmail {
  const { figures, pupils } = input;
  const { attendance, incidents, interventions, restorative, notifications } = figures;
  const subject = schoolSummarySubject(input.schoolName, figures.week);
  const heads = headlines(figures);
  const year = attendance.yearToDate;
  const lookAt = orderPupils(figures.pupilsToLookAt, pupils);
  const listed = lookAt.slice(0, maxPupilsListed);
  const revision = revisionNote(input.revisedWeeks ?? []);
  // v2 sections (absent from figures stored before v2).
  const restrictive = figures.restrictive && restrictiveSection(figures.restrictive, (pupilId) => nameOf(pupilId, pupils));
  const impact = figures.sdqImpact && sdqImpactSection(figures.sdqImpact.byKind, 'school');

  // ------------------------------------------------------------------------------ HTML
  const cards = html.cards([
    { value: heads.attendance.value, label: 'Attendance this week', change: heads.attendance.change },
    { value: heads.persistent.value, label: 'Persistent absentees this year', change: heads.persistent.change, note: heads.persistent.note },
    { value: heads.incidents.value, label: 'Incidents', change: heads.incidents.change },
    { value: heads.force.value, label: 'Force, restraint or seclusion', change: heads.force.change },
    { value: heads.interventions.value, label: 'Active interventions', change: heads.interventions.change },
    { value: heads.restorative.value, label: 'Restorative sessions', change: heads.restorative.change },
  ]);

  const possible = attendance.possibleSessions;
  const attendanceHtml = [
    possible === 0
      ? html.paragraph('No possible sessions were recorded this week (a holiday, or no registers sent).')
      : html.paragraph(
          `${escapeHtml(plural(possible, 'possible session'))}, ${escapeHtml(plural(attendance.absentSessions, 'absence', 'absences'))}: ` +
            `${attendance.authorisedAbsentSessions} authorised and ${attendance.unauthorisedAbsentSessions} unauthorised. ` +
            `${escapeHtml(plural(attendance.lateSessions, 'late mark'))} (L, before registers closed) count as present.` +
            (attendance.notCountedSessions > 0
              ? ` ${escapeHtml(plural(attendance.notCountedSessions, 'mark'))} not counted as possible sessions (such as dual registration, D).`
              : ''),
        ),
    possible === 0
      ? ''
      : html.barChart({
          caption: 'Sessions this week',
          max: possible,
          rows: [
            {
              label: 'Present',
              value: attendance.presentSessions,
              display: `${attendance.presentSessions}${share(attendance.presentSessions, possible)}`,
              colour: colours.present,
            },
            {
              label: 'Approved education off site',
              value: attendance.approvedOffSiteSessions,
              display: `${attendance.approvedOffSiteSessions}${share(attendance.approvedOffSiteSessions, possible)}`,
              colour: colours.offSite,
            },
            {
              label: 'Authorised absence',
              value: attendance.authorisedAbsentSessions,
              display: `${attendance.authorisedAbsentSessions}${share(attendance.authorisedAbsentSessions, possible)}`,
              colour: colours.authorised,
            },
            {
              label: 'Unauthorised absence',
              value: attendance.unauthorisedAbsentSessions,
              display: `${attendance.unauthorisedAbsentSessions}${share(attendance.unauthorisedAbsentSessions, possible)}`,
              colour: colours.unauthorised,
            },
          ],
        }),
    html.barChart({
      caption: 'Attendance rate',
      max: 1,
      rows: [
        ...(possible > 0
          ? [{ label: 'This week', value: attendance.rate, display: percent(attendance.rate) }]
          : [{ label: 'This week', value: 0, display: 'no sessions' }]),
        ...(figures.previousWeek?.attendanceRate != null
          ? [{ label: 'Last week', value: figures.previousWeek.attendanceRate, display: percent(figures.previousWeek.attendanceRate) }]
          : []),
        { label: 'Year to date', value: year.possibleSessions > 0 ? year.rate : 0, display: year.possibleSessions > 0 ? percent(year.rate) : 'no sessions' },
      ],
    }),
    html.paragraph(
      `Since ${escapeHtml(longDate(year.from))}: ${escapeHtml(plural(year.possibleSessions, 'possible session'))}, ${year.absentSessions} absent ` +
        `(${year.authorisedAbsentSessions} authorised, ${year.unauthorisedAbsentSessions} unauthorised), across ${escapeHtml(plural(year.pupils, 'pupil'))}. ` +
        `<strong>${escapeHtml(plural(attendance.persistentAbsentees.length, 'pupil'))}</strong> persistently absent (${persistentPercent}% or more of sessions missed)${share(attendance.persistentAbsentees.length, year.pupils)}, ` +
        `of whom ${attendance.severeAbsentees.length} severely (${severePercent}% or more); ${attendance.newlyPersistentAbsentees.length} became persistently absent this week.`,
    ),
  ].join('\n');

  const pupilsHtml =
    lookAt.length === 0
      ? html.paragraph('No pupil met the rules below this week.')
      : [
          html.dataTable({
            caption: `${plural(lookAt.length, 'pupil')} to look at`,
            headers: [
              { text: 'Pupil', width: '42%' },
              { text: 'Why', width: '58%' },
            ],
            rows: listed.map((pupil) => [
              `<strong>${escapeHtml(nameOf(pupil.pupilId, pupils))}</strong><br><span style="font-size:13px;color:${colours.muted};">${escapeHtml(yearAndId(pupil.pupilId, pupils))}</span>`,
              pupil.reasons.map((reason) => `<div style="margin:0 0 6px;">${escapeHtml(reasonDetail(pupil, reason))}</div>`).join(''),
            ]),
          }),
          lookAt.length > listed.length ? html.paragraph(`And ${lookAt.length - listed.length} more not listed here.`, { muted: true }) : '',
        ].join('\n');

  const categories = Object.entries(incidents.byCategory).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const incidentsHtml = [
    html.paragraph(
      `${escapeHtml(plural(incidents.total, 'incident'))} involving ${escapeHtml(plural(incidents.pupils, 'pupil'))}; ${escapeHtml(heads.incidents.change.text)}. ` +
        `Reasonable force was used ${escapeHtml(plural(incidents.reasonableForce, 'time'))}${incidents.reasonableForceWithInjury ? `, ${incidents.reasonableForceWithInjury} with an injury` : ''}.`,
    ),
    categories.length
      ? html.barChart({
          caption: 'Incidents by category',
          rows: categories.map(([category, count]) => ({ label: label(category), value: count, display: String(count) })),
        })
      : '',
    incidents.total
      ? html.barChart({
          caption: 'Incidents by severity (1 low – 5 high)',
          max: Math.max(...Object.values(incidents.bySeverity)),
          rows: (['1', '2', '3', '4', '5'] as const).map((level) => ({
            label: `Severity ${level}`,
            value: incidents.bySeverity[level],
            display: String(incidents.bySeverity[level]),
          })),
        })
      : '',
  ].join('\n');

  const outcomes = interventions.ended.byOutcome;
  const interventionsHtml = [
    html.list([
      `<strong>${interventions.active}</strong> active at the end of the week, supporting ${escapeHtml(plural(interventions.pupilsSupported, 'pupil'))}`,
      `${interventions.started} started, ${interventions.ended.total} ended` +
        (interventions.ended.total
          ? ` (${outcomes.achieved} achieved, ${outcomes.partially_achieved} partly achieved, ${outcomes.not_achieved} not achieved, ${outcomes.withdrawn} withdrawn)`
          : ''),
      `${escapeHtml(plural(interventions.sessions.recorded, 'session'))} recorded this week, ${interventions.sessions.attended} attended` +
        (interventions.sessions.attendanceRate === null ? '' : ` (${percent(interventions.sessions.attendanceRate, 0)})`) +
        `; mean engagement ${fractionText(interventions.sessions.meanEngagement)} out of 5`,
      interventions.targets.scored
        ? `Targets: ${escapeHtml(plural(interventions.targets.scored, 'target'))} scored, on average ${fractionText(interventions.targets.meanChange)} points from baseline toward the goal` +
          (interventions.targets.meanProgress === null ? '' : ` (${percent(interventions.targets.meanProgress, 0)} of the way)`)
        : 'Targets: no scores recorded yet',
    ]),
    interventions.delivery.planned > 0
      ? html.barChart({
          caption: 'Sessions delivered so far against plan',
          max: Math.max(interventions.delivery.planned, interventions.delivery.delivered),
          rows: [
            { label: 'Delivered', value: interventions.delivery.delivered, display: String(interventions.delivery.delivered) },
            { label: 'Planned', value: interventions.delivery.planned, display: String(interventions.delivery.planned), colour: colours.muted },
          ],
        })
      : '',
  ].join('\n');

  const formats = Object.entries(restorative.byFormat);
  const restorativeHtml = [
    html.paragraph(
      `${escapeHtml(plural(restorative.sessions, 'session'))}; ` +
        (restorative.agreementRate === null
          ? 'no agreement outcome recorded'
          : `an agreement was reached in ${restorative.agreementReached} of ${restorative.agreementRecorded} (${percent(restorative.agreementRate, 0)})`) +
        `. <strong>${escapeHtml(plural(restorative.followUpsDue, 'follow-up'))}</strong> due this coming week (${escapeHtml(shortRange(restorative.followUpsDueFrom, restorative.followUpsDueTo))}).`,
    ),
    restorative.sessions
      ? html.barChart({
          caption: 'Restorative sessions by format',
          rows: formats.map(([format, count]) => ({ label: label(format), value: count, display: String(count) })),
        })
      : '',
  ].join('\n');

  const reasons = Object.entries(notifications.suppressedByReason).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const otherStatuses = Object.entries(notifications.byStatus).filter(([status]) => status !== 'sent' && status !== 'suppressed');
  const notificationsHtml = [
    html.paragraph(
      `${escapeHtml(plural(notifications.sent, 'message'))} sent to parents, carers and the DSL; ${notifications.suppressed} decided not to send.` +
        (otherStatuses.length ? ` Other: ${otherStatuses.map(([status, count]) => `${count} ${escapeHtml(status)}`).join(', ')}.` : ''),
    ),
    reasons.length
      ? html.barChart({
          caption: 'Not sent, by reason',
          rows: reasons.map(([reason, count]) => ({ label: reasonLabel(reason), value: count, display: String(count) })),
        })
      : '',
  ].join('\n');

  const footer = html.footer([
    `This summary names pupils and is for the leaders of ${escapeHtml(input.schoolName)} only. Please do not forward it.`,
    `Attendance follows the DfE codes: present / \\ L; approved education off site K V P W B (possible sessions, not absences); authorised and unauthorised absences; D X Q Y1–Y7 Z # are not possible sessions. Rate = (possible − absent) ÷ possible. Persistent absence: ${persistentPercent}% or more of possible sessions this academic year; severe: ${severePercent}% or more.`,
    `Pupils to look at: ${lookAtThresholds.risingIncidentsMin} or more incidents this week and more than last week; attendance this week ${lookAtThresholds.fallingAttendanceDropPoints} points or more below their rate before it; or persistently absent with no active intervention. Dates are in the school's timezone (${escapeHtml(input.timezone)}).`,
    `${escapeHtml(input.trustName)} · Intervention tracker`,
  ]);

  const body = [
    html.banner({ kicker: `${input.trustName} · Weekly summary`, title: input.schoolName, subtitle: weekTitle(figures.week) }),
    ...(revision ? [html.section('Revised figures', html.paragraph(escapeHtml(revision)))] : []),
    html.section('At a glance', cards),
    html.section('Attendance', attendanceHtml),
    html.section('Pupils to look at', pupilsHtml),
    html.section('Incidents', incidentsHtml),
    restrictive ? html.section('Restrictive interventions', restrictive.html) : '',
    html.section('Interventions', interventionsHtml),
    impact ? html.section('Did it help?', impact.html) : '',
    html.section('Restorative sessions', restorativeHtml),
    html.section('Notifications', notificationsHtml),
    footer,
  ].join('\n');

  const preheader = `Attendance ${heads.attendance.value}, ${plural(incidents.total, 'incident')}, ${plural(interventions.active, 'active intervention')}, ${plural(lookAt.length, 'pupil')} to look at.`;

  // ------------------------------------------------------------------------------ text
  const lines: string[] = [
    `${input.trustName} · Weekly summary`,
    input.schoolName,
    weekTitle(figures.week),
    '',
    ...(revision ? ['REVISED FIGURES', revision, ''] : []),
    'AT A GLANCE',
    `- Attendance this week: ${heads.attendance.value}, ${heads.attendance.change.text}`,
    `- Persistent absentees this year: ${heads.persistent.value}, ${heads.persistent.change.text}; ${heads.persistent.note}`,
    `- Incidents: ${heads.incidents.value}, ${heads.incidents.change.text}`,
    `- Force, restraint or seclusion: ${heads.force.value}, ${heads.force.change.text}`,
    `- Active interventions: ${heads.interventions.value}, ${heads.interventions.change.text}`,
    `- Restorative sessions: ${heads.restorative.value}, ${heads.restorative.change.text}`,
    '',
    'ATTENDANCE',
    possible === 0
      ? 'No possible sessions were recorded this week.'
      : `${plural(possible, 'possible session')}: ${attendance.presentSessions} present, ${attendance.approvedOffSiteSessions} approved education off site, ${attendance.authorisedAbsentSessions} authorised absence, ${attendance.unauthorisedAbsentSessions} unauthorised absence; ${plural(attendance.lateSessions, 'late mark')} (L); ${attendance.notCountedSessions} not counted.`,
    `Year to date since ${longDate(year.from)}: ${year.possibleSessions > 0 ? percent(year.rate) : 'no sessions'} (${year.absentSessions} of ${plural(year.possibleSessions, 'possible session')} missed). Persistently absent: ${attendance.persistentAbsentees.length}, severely: ${attendance.severeAbsentees.length}, new this week: ${attendance.newlyPersistentAbsentees.length}.`,
    '',
    'PUPILS TO LOOK AT',
    ...(lookAt.length === 0
      ? ['No pupil met the rules this week.']
      : listed.map(
          (pupil) =>
            `- ${nameOf(pupil.pupilId, pupils)} (${yearAndId(pupil.pupilId, pupils)}): ${pupil.reasons.map((reason) => reasonDetail(pupil, reason)).join('; ')}`,
        )),
    ...(lookAt.length > listed.length ? [`And ${lookAt.length - listed.length} more not listed here.`] : []),
    '',
    'INCIDENTS',
    `${plural(incidents.total, 'incident')}, ${heads.incidents.change.text}; reasonable force ${plural(incidents.reasonableForce, 'time')}.`,
    ...categories.map(([category, count]) => `- ${label(category)}: ${count}`),
    incidents.total ? `By severity: ${(['1', '2', '3', '4', '5'] as const).map((level) => `${level}: ${incidents.bySeverity[level]}`).join(', ')}` : '',
    ...(restrictive ? ['', 'RESTRICTIVE INTERVENTIONS', ...restrictive.text] : []),
    '',
    'INTERVENTIONS',
    `- Active: ${interventions.active} (${plural(interventions.pupilsSupported, 'pupil')}); started ${interventions.started}; ended ${interventions.ended.total}` +
      (interventions.ended.total
        ? ` (achieved ${outcomes.achieved}, partly ${outcomes.partially_achieved}, not achieved ${outcomes.not_achieved}, withdrawn ${outcomes.withdrawn})`
        : ''),
    `- Sessions this week: ${interventions.sessions.recorded} recorded, ${interventions.sessions.attended} attended; mean engagement ${fractionText(interventions.sessions.meanEngagement)} / 5`,
    `- Delivered so far: ${interventions.delivery.delivered} of ${interventions.delivery.planned} planned sessions`,
    `- Targets: ${interventions.targets.scored} scored; mean change toward goal ${fractionText(interventions.targets.meanChange)} points` +
      (interventions.targets.meanProgress === null ? '' : ` (${percent(interventions.targets.meanProgress, 0)} of the way)`),
    ...(impact ? ['', 'DID IT HELP?', ...impact.text] : []),
    '',
    'RESTORATIVE SESSIONS',
    `${plural(restorative.sessions, 'session')}; agreement ${restorative.agreementRate === null ? 'not recorded' : `${restorative.agreementReached} of ${restorative.agreementRecorded}`}; ${plural(restorative.followUpsDue, 'follow-up')} due ${shortRange(restorative.followUpsDueFrom, restorative.followUpsDueTo)}.`,
    ...formats.filter(([, count]) => count > 0).map(([format, count]) => `- ${label(format)}: ${count}`),
    '',
    'NOTIFICATIONS',
    `${notifications.sent} sent, ${notifications.suppressed} not sent.`,
    ...reasons.map(([reason, count]) => `- ${reasonLabel(reason)}: ${count}`),
    '',
    '--',
    `This summary names pupils and is for the leaders of ${input.schoolName} only. Please do not forward it.`,
    `Attendance by the DfE codes; persistent absence is ${persistentPercent}% or more of possible sessions this academic year, severe ${severePercent}% or more. Dates in ${input.timezone}.`,
  ];

  return {
    subject,
    html: html.document({ title: subject, preheader, body }),
    text: `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`,
  };
}

function shortRange(from: string, to: string): string {
  const [start, end] = [longDate(from), longDate(to)];
  return `${start.split(' ').slice(0, 3).join(' ')} – ${end}`;
}
