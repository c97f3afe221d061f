import { parseEvent, type TrackerEvent } from '../../events/catalogue';
import type { Contact } from '../../events/pupil';
import { toPupilProfile, type PupilProfile } from '../../shared/domain/notification-policy';
import { planWrite, type SchoolContext, type StoredItem } from '../../shared/domain/records';
import { pupil } from './events';

/** Events as the table holds them, exactly as ingest writes them (for pure-core tests). */
export function parsed(raw: unknown): TrackerEvent {
  const result = parseEvent(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.event;
}

export function storedJournal(raw: unknown, school: SchoolContext = { schoolId: 'oak', timezone: 'Europe/London' }): StoredItem {
  const plan = planWrite(parsed(raw), school, new Date('2026-11-23T11:00:00Z'));
  if (plan.kind !== 'journal') throw new Error('not a journal item');
  return { ...plan.journal };
}

export function storedProfile(pupilId: string, contacts: Partial<Contact>[], names = { firstName: 'Alex', lastName: 'Taylor' }): PupilProfile {
  const plan = planWrite(parsed(pupil({ pupilId, data: { ...names, contacts } })), { schoolId: 'oak', timezone: 'Europe/London' }, new Date());
  if (plan.kind !== 'journal' || !plan.profile) throw new Error('no profile');
  return toPupilProfile(plan.profile.attributes);
}
