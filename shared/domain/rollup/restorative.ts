import type { RestorativeSessionRecorded } from '../../../events/restorative';
import { restorativeFormats } from '../../../events/vocabulary';
import { addDays } from '../calendar';
import { compareText, latestPerKey, recordOrder } from './order';
import type { FollowUp, JournalRecord, RestorativeFigures, RestorativeFormat } from './types';

/**
 * Restorative sessions of one week (one per sessionId: the latest record wins):
 * - count and count by format;
 * - agreement rate: sessions that reached an agreement / sessions that recorded whether
 *   they did (null when none did);
 * - follow-ups due: follow-up dates falling in the coming week (Monday to Sunday after
 *   `weekEnd`), from this week's sessions and the earlier ones carried forward.
 */
export interface RestorativeWeek {
  figures: RestorativeFigures;
  /** Follow-ups dated after the week's end, by sessionId (the carried state). */
  followUps: FollowUp[];
}

export function restorativeWeek(carried: FollowUp[], records: JournalRecord[], weekEnd: string): RestorativeWeek {
  const sessions = latestPerKey(
    records.filter((record) => record.type === 'restorative.session.recorded').sort(recordOrder),
    (record) => (record.data as RestorativeSessionRecorded).sessionId,
  );
  const byFormat = Object.fromEntries(restorativeFormats.map((format) => [format, 0])) as Record<RestorativeFormat, number>;
  let agreementRecorded = 0;
  let agreementReached = 0;
  const followUps = new Map(carried.map((followUp) => [followUp.sessionId, followUp.date]));
  for (const record of sessions) {
    const data = record.data as RestorativeSessionRecorded;
    byFormat[data.format]++;
    if (data.agreementReached !== undefined) {
      agreementRecorded++;
      if (data.agreementReached) agreementReached++;
    }
    if (data.followUpDate) followUps.set(data.sessionId, data.followUpDate);
    else followUps.delete(data.sessionId);
  }

  const from = addDays(weekEnd, 1);
  const to = addDays(weekEnd, 7);
  const pending = [...followUps]
    .filter(([, date]) => date > weekEnd)
    .map(([sessionId, date]) => ({ sessionId, date }))
    .sort((a, b) => compareText(a.date, b.date) || compareText(a.sessionId, b.sessionId));
  return {
    followUps: pending,
    figures: {
      sessions: sessions.length,
      byFormat,
      agreementRecorded,
      agreementReached,
      agreementRate: agreementRecorded === 0 ? null : agreementReached / agreementRecorded,
      followUpsDue: pending.filter(({ date }) => date >= from && date <= to).length,
      followUpsDueFrom: from,
      followUpsDueTo: to,
    },
  };
}
