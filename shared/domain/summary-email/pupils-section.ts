import type { LookReason, PupilToLookAt } from '../rollup/types';
import { percent, plural } from './format';
import { paragraph, type Block } from './layout';

/**
 * "Pupils to look at" in the school leaders' email: the only place a pupil is named (this
 * email goes to the school's leaders only), with why, most reasons first.
 */

/** A pupil as the leaders' list shows them: name and year, whatever the profile holds. */
export interface ListedPupil {
  firstName?: string;
  lastName?: string;
  yearGroup?: string;
}

/** At most this many pupils are listed by name; the rest are counted. */
export const maxPupilsListed = 40;

const reasonText: Record<LookReason, string> = {
  'rising-incidents': 'Incidents rising',
  'falling-attendance': 'Attendance falling',
  'persistent-absence-without-intervention': 'Persistently absent, no intervention',
};

const rateOrDash = (rate: number | null) => (rate === null ? '–' : percent(rate));

function reasonDetail(pupil: PupilToLookAt, reason: LookReason): string {
  switch (reason) {
    case 'rising-incidents':
      return `${reasonText[reason]}: ${pupil.incidentsThisWeek} this week (${pupil.incidentsLastWeek} last week)`;
    case 'falling-attendance':
      return `${reasonText[reason]}: ${rateOrDash(pupil.weekRate)} this week (${rateOrDash(pupil.rateBefore)} before)`;
    case 'persistent-absence-without-intervention':
      return `${reasonText[reason]}: ${rateOrDash(pupil.yearToDateRate)} attendance this year`;
  }
}

export const nameOf = (pupilId: string, pupils: Record<string, ListedPupil>) => {
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

/** The rules they met are in the footer, below. */
export function pupilsSection(list: PupilToLookAt[], pupils: Record<string, ListedPupil>): Block[] {
  if (list.length === 0) return [paragraph('No pupil met the rules below this week.')];
  const lookAt = orderPupils(list, pupils);
  const listed = lookAt.slice(0, maxPupilsListed);
  return [
    {
      kind: 'table',
      caption: `${plural(lookAt.length, 'pupil')} to look at`,
      columns: [
        { text: 'Pupil', width: '42%' },
        { text: 'Why', width: '58%' },
      ],
      rows: listed.map((pupil) => [
        { name: nameOf(pupil.pupilId, pupils), detail: yearAndId(pupil.pupilId, pupils) },
        { lines: pupil.reasons.map((reason) => reasonDetail(pupil, reason)) },
      ]),
    },
    ...(lookAt.length > listed.length ? [paragraph(`And ${lookAt.length - listed.length} more not listed here.`, { muted: true })] : []),
  ];
}
