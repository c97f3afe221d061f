import { restrictiveTypes } from '../../../events/restrictive';
import type { InterventionKindName, RestrictiveFigures, SdqImpactFigures, SdqKindImpact } from '../rollup/restrictive-sdq-types';
import { countChange, decimal, plural } from './format';
import { colours } from './html';
import { figureColumns, paragraph, type Block } from './layout';

/**
 * The two v2 sections of the leaders' emails: restrictive interventions (contract section 7)
 * and "did it help?" (SDQ, section 8). Each returns its blocks (layout.ts renders both parts), from
 * the stored figures only. Figures stored before v2 have neither, and then nothing is shown.
 */

export const kindNames: Record<InterventionKindName, string> = {
  mentoring: 'Mentoring',
  semh_group: 'SEMH group',
  emotional_literacy: 'Emotional literacy',
  social_skills: 'Social skills',
  anger_management: 'Anger management',
  reintegration: 'Reintegration',
  reflective: 'Reflective sessions',
  counselling: 'Counselling',
  literacy: 'Literacy',
  numeracy: 'Numeracy',
  other: 'Other',
};
const typeNames = { reasonable_force: 'Reasonable force', restraint: 'Restraint', seclusion: 'Seclusion' } as const;

/** Pupils are named in the school's email (its leaders' own pupils); the trust's passes no names. */
export function restrictiveSection(figures: RestrictiveFigures, nameOf?: (pupilId: string) => string): Block[] {
  const change = countChange(figures.total, figures.previousWeekTotal, 'lower-is-better');
  if (figures.total === 0) return [paragraph(`No restrictive interventions were recorded this week; ${change.text}.`)];
  const summary =
    `${plural(figures.total, 'record')} of force, restraint or seclusion, involving ${plural(figures.pupils, 'pupil')} ` +
    `(${figures.pupilsWithSen} with SEN), ${plural(figures.totalMinutes, 'minute')} in all. ` +
    `Injuries: ${figures.injuries.pupil} to the pupil, ${figures.injuries.staff} to staff.`;
  const repeat = figures.repeatPupils.map((pupil) => [
    nameOf ? `${nameOf(pupil.pupilId)} (${pupil.pupilId})` : pupil.pupilId,
    `${pupil.thisWeek} this week, ${pupil.lastFourWeeks} in four weeks, ${plural(pupil.minutesThisWeek, 'minute')} this week`,
  ]);
  return [
    paragraph([`${summary} Trend: `, { tone: change.tone, text: change.text }, '.']),
    {
      kind: 'bars',
      caption: 'Restrictive interventions by type (a record can name more than one)',
      rows: restrictiveTypes.map((type) => ({
        label: typeNames[type],
        value: figures.byType[type],
        display: String(figures.byType[type]),
        colour: colours.unauthorised,
      })),
    },
    repeat.length
      ? {
          kind: 'table',
          caption: 'Pupils with repeated restrictive interventions',
          columns: [
            { text: 'Pupil', width: '45%' },
            { text: 'Records', width: '55%' },
          ],
          rows: repeat,
        }
      : paragraph('No pupil had two or more in the last four weeks.', { muted: true }),
  ];
}

const signed = (value: number | null) => (value === null ? '–' : `${value > 0 ? '+' : value < 0 ? '−' : ''}${decimal(Math.abs(value))}`);

/** "Did it help?": per intervention kind, pupils measured, mean change in total difficulties, moved to a lower band. */
export function sdqImpactSection(byKind: SdqImpactFigures['byKind'], scope: 'school' | 'trust'): Block[] {
  const kinds = (Object.entries(byKind) as [InterventionKindName, SdqKindImpact][])
    .filter(([, impact]) => impact.measured > 0)
    .sort(([a], [b]) => kindNames[a].localeCompare(kindNames[b]));
  if (kinds.length === 0) {
    return [paragraph(`No intervention that ended this week had SDQ scores before and after${scope === 'trust' ? ' in any school' : ''}.`)];
  }
  return [
    paragraph(
      'For interventions that ended this week, pupils with a teacher SDQ on or before the start and one on or after the end. ' +
        'A fall in total difficulties (0–40) is an improvement; bands are the SDQ four-band cut-offs.',
      { small: true, muted: true },
    ),
    {
      kind: 'table',
      caption: scope === 'trust' ? 'Did it help? Across the trust, by kind of intervention' : 'Did it help? By kind of intervention',
      columns: [
        { text: 'Intervention', width: '34%' },
        { text: 'Pupils measured', width: '22%' },
        { text: 'Mean change', width: '20%', named: true },
        { text: 'Moved to a lower band', width: '24%', named: true },
      ],
      rows: kinds.map(([kind, impact]) => [
        kindNames[kind],
        plural(impact.measured, 'pupil'),
        signed(impact.meanChange),
        `${impact.movedLower} of ${impact.measured}`,
      ]),
    },
  ];
}

/** The trust's view of restrictive interventions: counts per school and in total, no pupil ids. */
export function trustRestrictiveSection(schools: { name: string; figures: { restrictive?: RestrictiveFigures } }[]): Block[] {
  const rows = schools.map(({ name, figures }) => ({ name, figures: figures.restrictive }));
  const sum = (pick: (figures: RestrictiveFigures) => number) => rows.reduce((total, row) => total + (row.figures ? pick(row.figures) : 0), 0);
  const cells = (figures: RestrictiveFigures | undefined) =>
    figures
      ? [String(figures.total), `${figures.pupils} (${figures.pupilsWithSen})`, String(figures.totalMinutes), String(figures.injuries.any)]
      : ['–', '–', '–', '–'];
  return [
    {
      kind: 'table',
      caption: 'Force, restraint and seclusion records',
      grid: true,
      columns: [
        { text: 'School', width: '32%' },
        ...figureColumns(['Rec\u00adords', '15%'], ['Pupils (with SEN)', '21%'], ['Min\u00adutes', '15%'], ['With injury', '17%']),
      ],
      rows: rows.map((row) => [row.name, ...cells(row.figures)]),
      totals: [
        'Trust',
        String(sum((f) => f.total)),
        `${sum((f) => f.pupils)} (${sum((f) => f.pupilsWithSen)})`,
        String(sum((f) => f.totalMinutes)),
        String(sum((f) => f.injuries.any)),
      ],
    },
  ];
}
