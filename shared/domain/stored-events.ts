import { storedEventSource, type BusEvent, type StoredEventDetail } from '../../events/bus';
import type { EventType } from '../../events/catalogue';
import { correctedAbsenceCode } from './notification-policy/absence-correction';

const correction = (item: Record<string, unknown>) => {
  const code = correctedAbsenceCode(item);
  return code ? { correctedFromCode: code } : {};
};

/**
 * Turns a stored item (the table stream's new image) into the bus event announcing it.
 * Only journal items and attendance marks announce anything; profiles, participant links,
 * notifications and rollups don't.
 */
export function busEventForStoredItem(item: Record<string, unknown>): BusEvent | undefined {
  if (item.recordKind !== 'event') return undefined;
  const type = item.type as EventType;
  const detail: StoredEventDetail = {
    schoolId: item.schoolId as string,
    eventId: item.eventId as string,
    type,
    pupilIds: type === 'attendance.marked' ? [item.pupilId as string] : (item.pupilIds as string[]),
    occurredAt: item.occurredAt as string,
    date: item.date as string,
    week: item.week as string,
    safeguardingConcern: item.safeguardingConcern === true,
    ...(type === 'attendance.marked' ? { attendanceCode: item.code as string, ...correction(item) } : {}),
    ...(type === 'restrictive.intervention.recorded' ? { parentReport: item.parentReport === 'send' ? 'send' : 'withhold' } : {}),
    key: { pk: item.pk as string, sk: item.sk as string },
  };
  return { source: storedEventSource, detailType: type, detail };
}
