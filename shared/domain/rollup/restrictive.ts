import type { RestrictiveInterventionRecorded } from '../../../events/restrictive';
import { restrictiveTypes } from '../../../events/vocabulary';
import { addDays } from '../calendar';
import { compareText, latestPerKey, recordOrder } from './order';
import type { RepeatPupil, RestrictiveFigures } from './restrictive-sdq-types';
import type { JournalRecord } from './types';

/**
 * Restrictive interventions of one week (contract section 7): how many, by type, pupils
 * involved and how many of them have SEN, total minutes, injuries, the change on last week,
 * and the pupils it keeps happening to. Ids and numbers only; notes and free text are never read.
 */

/** "Repeat": a pupil with a record this week and at least this many in the four weeks to its end. */
export const repeatThreshold = 2;
const windowDays = 28;

export interface RestrictiveWeek {
  figures: RestrictiveFigures;
  /** Dates of each pupil's records in the four weeks to the week's end (carried). */
  recent: Record<string, string[]>;
}

export function restrictiveWeek(input: {
  records: JournalRecord[];
  /** Carried from last week (dates of records in its four weeks). */
  recentBefore: Record<string, string[]>;
  /** The roster's SEN status of the pupils involved (`none`, `support`, `ehcp`). */
  senByPupil: Record<string, string>;
  previousWeekTotal: number | null;
  weekEnd: string;
}): RestrictiveWeek {
  const records = latestPerKey(
    input.records.filter((record) => record.type === 'restrictive.intervention.recorded').sort(recordOrder),
    (record) => (record.data as RestrictiveInterventionRecorded).recordId,
  );
  const byType = Object.fromEntries(restrictiveTypes.map((type) => [type, 0])) as RestrictiveFigures['byType'];
  const injuries = { pupil: 0, staff: 0, any: 0 };
  const pupils = new Map<string, { count: number; minutes: number; sen: boolean }>();
  let totalMinutes = 0;
  for (const record of records) {
    const data = record.data as RestrictiveInterventionRecorded;
    for (const type of new Set(data.types)) byType[type]++;
    totalMinutes += data.durationMinutes;
    if (data.injuries.pupil) injuries.pupil++;
    if (data.injuries.staff) injuries.staff++;
    if (data.injuries.pupil || data.injuries.staff) injuries.any++;
    const pupilId = record.pupilIds[0]!;
    const sen = (data.senAtTime ?? input.senByPupil[pupilId] ?? 'none') !== 'none';
    const entry = pupils.get(pupilId) ?? { count: 0, minutes: 0, sen: false };
    pupils.set(pupilId, { count: entry.count + 1, minutes: entry.minutes + data.durationMinutes, sen: entry.sen || sen });
  }

  // Four weeks to the week's end: last week's window, trimmed, plus this week's dates.
  const from = addDays(input.weekEnd, -(windowDays - 1));
  const recent: Record<string, string[]> = {};
  for (const [pupilId, dates] of Object.entries(input.recentBefore)) {
    const kept = dates.filter((date) => date >= from);
    if (kept.length) recent[pupilId] = kept;
  }
  for (const record of records) (recent[record.pupilIds[0]!] ??= []).push(record.date);
  for (const dates of Object.values(recent)) dates.sort();

  const repeatPupils: RepeatPupil[] = [...pupils.entries()]
    .map(([pupilId, entry]) => ({ pupilId, thisWeek: entry.count, lastFourWeeks: recent[pupilId]?.length ?? entry.count, minutesThisWeek: entry.minutes }))
    .filter((pupil) => pupil.lastFourWeeks >= repeatThreshold)
    .sort((a, b) => b.lastFourWeeks - a.lastFourWeeks || b.thisWeek - a.thisWeek || compareText(a.pupilId, b.pupilId));

  return {
    recent,
    figures: {
      total: records.length,
      byType,
      pupils: pupils.size,
      pupilsWithSen: [...pupils.values()].filter((entry) => entry.sen).length,
      totalMinutes,
      injuries,
      previousWeekTotal: input.previousWeekTotal,
      change: input.previousWeekTotal === null ? null : records.length - input.previousWeekTotal,
      repeatPupils,
    },
  };
}
