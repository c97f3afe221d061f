import { restrictiveTypes } from '../../../events/vocabulary';
import type { InterventionKindName, RestrictiveFigures, SdqImpactFigures, SdqKindImpact } from '../rollup/restrictive-sdq-types';
import { countChange, decimal, escapeHtml, plural } from './format';
import { colours, html, toneColour } from './html';

/**
 * The two v2 sections of the leaders' emails: restrictive interventions (contract section 7)
 * and "did it help?" (SDQ, section 8). Each returns its HTML and its plain-text lines, from the
 * stored figures only. Figures stored before v2 have neither, and then nothing is shown.
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

export interface Section {
  html: string;
  text: string[];
}

/** Pupils are named in the school's email (its leaders' own pupils); the trust's passes no names. */
export function restrictiveSection(figures: RestrictiveFigures, nameOf?: (pupilId: string) => string): Section {
  const change = countChange(figures.total, figures.previousWeekTotal, 'lower-is-better');
  if (figures.total === 0) {
    const none = `No restrictive interventions were recorded this week; ${change.text}.`;
    return { html: html.paragraph(escapeHtml(none)), text: [none] };
  }
  const summary =
    `${plural(figures.total, 'record')} of force, restraint or seclusion, involving ${plural(figures.pupils, 'pupil')} ` +
    `(${figures.pupilsWithSen} with SEN), ${plural(figures.totalMinutes, 'minute')} in all. ` +
    `Injuries: ${figures.injuries.pupil} to the pupil, ${figures.injuries.staff} to staff.`;
  const trend = `<span style="color:${toneColour(change.tone)};">${escapeHtml(change.text)}</span>`;
  const repeat = figures.repeatPupils.map((pupil) => ({
    who: nameOf ? `${nameOf(pupil.pupilId)} (${pupil.pupilId})` : pupil.pupilId,
    what: `${pupil.thisWeek} this week, ${pupil.lastFourWeeks} in four weeks, ${plural(pupil.minutesThisWeek, 'minute')} this week`,
  }));
  const htmlParts = [
    html.paragraph(`${escapeHtml(summary)} Trend: ${trend}.`),
    html.barChart({
      caption: 'Restrictive interventions by type (a record can name more than one)',
      rows: restrictiveTypes.map((type) => ({
        label: typeNames[type],
        value: figures.byType[type],
        display: String(figures.byType[type]),
        colour: colours.unauthorised,
      })),
    }),
    repeat.length
      ? html.dataTable({
          caption: 'Pupils with repeated restrictive interventions',
          headers: [
            { text: 'Pupil', width: '45%' },
            { text: 'Records', width: '55%' },
          ],
          rows: repeat.map((row) => [escapeHtml(row.who), escapeHtml(row.what)]),
        })
      : html.paragraph('No pupil had two or more in the last four weeks.', { muted: true }),
  ];
  return {
    html: htmlParts.join('\n'),
    text: [
      `${summary} Trend: ${change.text}.`,
      `By type: ${restrictiveTypes.map((type) => `${typeNames[type]} ${figures.byType[type]}`).join(', ')}`,
      ...(repeat.length ? ['Repeated (two or more in four weeks):', ...repeat.map((row) => `- ${row.who}: ${row.what}`)] : []),
    ],
  };
}

const signed = (value: number | null) => (value === null ? '–' : `${value > 0 ? '+' : value < 0 ? '−' : ''}${decimal(Math.abs(value))}`);

/** "Did it help?": per intervention kind, pupils measured, mean change in total difficulties, moved to a lower band. */
export function sdqImpactSection(byKind: SdqImpactFigures['byKind'], scope: 'school' | 'trust'): Section {
  const kinds = (Object.entries(byKind) as [InterventionKindName, SdqKindImpact][])
    .filter(([, impact]) => impact.measured > 0)
    .sort(([a], [b]) => kindNames[a].localeCompare(kindNames[b]));
  const intro =
    'For interventions that ended this week, pupils with a teacher SDQ on or before the start and one on or after the end. ' +
    'A fall in total difficulties (0–40) is an improvement; bands are the SDQ four-band cut-offs.';
  if (kinds.length === 0) {
    const none = `No intervention that ended this week had SDQ scores before and after${scope === 'trust' ? ' in any school' : ''}.`;
    return { html: html.paragraph(escapeHtml(none)), text: [none] };
  }
  const rows = kinds.map(([kind, impact]) => ({
    kind: kindNames[kind],
    measured: plural(impact.measured, 'pupil'),
    change: signed(impact.meanChange),
    lower: `${impact.movedLower} of ${impact.measured}`,
  }));
  return {
    html: [
      html.paragraph(escapeHtml(intro), { small: true, muted: true }),
      html.dataTable({
        caption: scope === 'trust' ? 'Did it help? Across the trust, by kind of intervention' : 'Did it help? By kind of intervention',
        headers: [
          { text: 'Intervention', width: '34%' },
          { text: 'Pupils measured', width: '22%' },
          { text: 'Mean change', width: '20%' },
          { text: 'Moved to a lower band', width: '24%' },
        ],
        rows: rows.map((row) => [escapeHtml(row.kind), escapeHtml(row.measured), escapeHtml(row.change), escapeHtml(row.lower)]),
      }),
    ].join('\n'),
    text: [intro, ...rows.map((row) => `- ${row.kind}: ${row.measured}, mean change ${row.change}, moved to a lower band ${row.lower}`)],
  };
}

/** The trust's view of restrictive interventions: counts per school and in total, no pupil ids. */
export function trustRestrictiveSection(schools: { name: string; figures: { restrictive?: RestrictiveFigures } }[]): Section {
  const rows = schools.map(({ name, figures }) => ({ name, figures: figures.restrictive }));
  const sum = (pick: (figures: RestrictiveFigures) => number) => rows.reduce((total, row) => total + (row.figures ? pick(row.figures) : 0), 0);
  const cells = (figures: RestrictiveFigures | undefined) =>
    figures
      ? [String(figures.total), `${figures.pupils} (${figures.pupilsWithSen})`, String(figures.totalMinutes), String(figures.injuries.any)]
      : ['–', '–', '–', '–'];
  const totals = [
    String(sum((f) => f.total)),
    `${sum((f) => f.pupils)} (${sum((f) => f.pupilsWithSen)})`,
    String(sum((f) => f.totalMinutes)),
    String(sum((f) => f.injuries.any)),
  ];
  return {
    html: [
      html.dataTable({
        caption: 'Force, restraint and seclusion records',
        small: true,
        headers: [
          { text: 'School', width: '32%' },
          { text: 'Rec&shy;ords', align: 'right', width: '15%' },
          { text: 'Pupils (with SEN)', align: 'right', width: '21%' },
          { text: 'Min&shy;utes', align: 'right', width: '15%' },
          { text: 'With injury', align: 'right', width: '17%' },
        ],
        rows: rows.map((row) => [escapeHtml(row.name), ...cells(row.figures)]),
        totals: ['Trust', ...totals],
      }),
    ].join('\n'),
    text: [
      'Records | pupils (with SEN) | minutes | with injury',
      ...rows.map((row) => `- ${row.name}: ${cells(row.figures).join(' | ')}`),
      `- Trust: ${totals.join(' | ')}`,
    ],
  };
}
