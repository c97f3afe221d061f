import { absenceThresholds } from '../rollup/attendance';
import { lookAtThresholds } from '../rollup/pupils-to-look-at';
import type { RollupFigures } from '../rollup/types';
import { countChange, percent, plural, rateChange, shortWeekRange, weekNumber, weekTitle } from './format';
import { paragraph, renderSummary, type Block, type RenderedEmail, type Section } from './layout';
import { nameOf, pupilsSection, type ListedPupil } from './pupils-section';
import { restrictiveSection, sdqImpactSection } from './restrictive-sdq-sections';
import { attendanceSection, incidentsSection, interventionsSection, notificationsSection, restorativeSection } from './school-sections';

export { maxPupilsListed, type ListedPupil } from './pupils-section';

/**
 * The school leaders' Monday email, from the stored figures. Pupils to look at are named
 * (this email goes to the school's leaders only); nothing else names a pupil, and no staff
 * note is ever read into the figures, so none can appear here.
 */
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

const { persistentPercent, severePercent } = absenceThresholds;

/** Why earlier figures changed, in words leaders can act on. */
function revisionNote(weeks: readonly string[]): string {
  const one = weeks.length === 1;
  const named = weeks.map(weekTitle).join('; ');
  return `Figures revised for ${one ? 'an earlier week' : `${weeks.length} earlier weeks`}: ${named}. Records dated in ${one ? 'it' : 'them'} arrived after ${one ? 'its' : 'their'} summary (register corrections, amended incidents), so ${one ? 'its' : 'their'} stored figures and the year-to-date figures below now include them.`;
}

export function schoolSummarySubject(schoolName: string, week: string): string {
  return `Weekly summary for ${schoolName}: week ${weekNumber(week)} (${shortWeekRange(week)})`;
}

const rateThisWeek = ({ attendance }: RollupFigures) => (attendance.possibleSessions > 0 ? attendance.rate : null);
const weekRate = (figures: RollupFigures) => {
  const rate = rateThisWeek(figures);
  return rate === null ? 'No sessions' : percent(rate);
};

/** The headline numbers, each with its change from last week. */
function atAGlance(figures: RollupFigures): Block {
  const { attendance, incidents, interventions, restorative, previousWeek: previous } = figures;
  const persistent = attendance.persistentAbsentees.length;
  // v1's force flag on incidents and v2's statutory records together (a school sends one or the other).
  const force = incidents.reasonableForce + (figures.restrictive?.total ?? 0);
  const forceBefore = previous && previous.reasonableForce + (previous.restrictiveInterventions ?? 0);
  const count = (label: string, value: number, before: number | null | undefined, direction: 'lower-is-better' | 'neutral') => ({
    value: String(value),
    label,
    change: countChange(value, before, direction),
  });
  return {
    kind: 'cards',
    cards: [
      { value: weekRate(figures), label: 'Attendance this week', change: rateChange(rateThisWeek(figures), previous?.attendanceRate, 'higher-is-better') },
      {
        ...count('Persistent absentees this year', persistent, previous?.persistentAbsentees, 'lower-is-better'),
        note: `${attendance.newlyPersistentAbsentees.length} new this week; ${plural(attendance.severeAbsentees.length, 'severely absent pupil')}`,
      },
      count('Incidents', incidents.total, previous?.incidents, 'lower-is-better'),
      count('Force, restraint or seclusion', force, forceBefore, 'lower-is-better'),
      count('Active interventions', interventions.active, previous?.interventionsActive, 'neutral'),
      count('Restorative sessions', restorative.sessions, previous?.restorativeSessions, 'neutral'),
    ],
  };
}

function footer(input: SchoolSummaryInput): string[] {
  return [
    `This summary names pupils and is for the leaders of ${input.schoolName} only. Please do not forward it.`,
    `Attendance follows the DfE codes: present / \\ L; approved education off site K V P W B (possible sessions, not absences); authorised and unauthorised absences; D X Q Y1–Y7 Z # are not possible sessions. Rate = (possible − absent) ÷ possible. Persistent absence: ${persistentPercent}% or more of possible sessions this academic year; severe: ${severePercent}% or more.`,
    `Pupils to look at: ${lookAtThresholds.risingIncidentsMin} or more incidents this week and more than last week; attendance this week ${lookAtThresholds.fallingAttendanceDropPoints} points or more below their rate before it; or persistently absent with no active intervention. Dates are in the school's timezone (${input.timezone}).`,
    `${input.trustName} · Intervention tracker`,
  ];
}

function sections(input: SchoolSummaryInput): Section[] {
  const { figures, pupils } = input;
  const revised = input.revisedWeeks ?? [];
  const section = (heading: string, blocks: Block[]): Section => ({ heading, blocks });
  return [
    ...(revised.length ? [section('Revised figures', [paragraph(revisionNote(revised))])] : []),
    section('At a glance', [atAGlance(figures)]),
    section('Attendance', attendanceSection(figures)),
    section('Pupils to look at', pupilsSection(figures.pupilsToLookAt, pupils)),
    section('Incidents', incidentsSection(figures)),
    // v2 sections (absent from figures stored before v2).
    ...(figures.restrictive
      ? [
          section(
            'Restrictive interventions',
            restrictiveSection(figures.restrictive, (pupilId) => nameOf(pupilId, pupils)),
          ),
        ]
      : []),
    section('Interventions', interventionsSection(figures)),
    ...(figures.sdqImpact ? [section('Did it help?', sdqImpactSection(figures.sdqImpact.byKind, 'school'))] : []),
    section('Restorative sessions', restorativeSection(figures)),
    section('Notifications', notificationsSection(figures)),
  ];
}

export function renderSchoolSummary(input: SchoolSummaryInput): RenderedEmail {
  const { figures } = input;
  const subject = schoolSummarySubject(input.schoolName, figures.week);
  return renderSummary({
    subject,
    preheader: `Attendance ${weekRate(figures)}, ${plural(figures.incidents.total, 'incident')}, ${plural(figures.interventions.active, 'active intervention')}, ${plural(figures.pupilsToLookAt.length, 'pupil')} to look at.`,
    banner: { kicker: `${input.trustName} · Weekly summary`, title: input.schoolName, subtitle: weekTitle(figures.week) },
    sections: sections(input),
    footer: footer(input),
  });
}
