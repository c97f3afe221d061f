import type { IncidentRecorded } from '../../../events/incident';
import type { StoredItem } from '../records';
import { type PupilProfile, storedData } from './inputs';
import type { DeliveryReason } from './kinds';
import type { Recipient } from './who-is-told';

/** The safeguarding alert to the designated safeguarding lead (DSL), never to a parent. */

/** What a DSL alert may say: ids, time and classification; never notes (email is not secure). */
export interface DslAlert {
  eventId: string;
  pupilId: string;
  /** The DSL is staff: the pupil's name is included when the pupil is on the roster. */
  pupilName?: string;
  occurredAt: string;
  incidentRef: string;
  category: string;
  severity: number;
  /** An amended version that does not itself say safeguarding: an earlier version did. */
  amendment?: boolean;
}

export function dslAlertFor(eventId: string, record: StoredItem, pupilId: string, profile: PupilProfile | undefined): DslAlert {
  const data = storedData<IncidentRecorded>(record);
  return {
    ...(isSafeguardingConcern(record) ? {} : { amendment: true }),
    eventId,
    pupilId,
    ...(profile ? { pupilName: `${profile.firstName} ${profile.lastName}` } : {}),
    occurredAt: data.happenedAt ?? String(record.occurredAt),
    incidentRef: data.incidentId,
    category: data.category,
    severity: data.severity,
  };
}

/** Whether a stored record is a safeguarding concern (the only thing alert-dsl acts on). */
export function isSafeguardingConcern(record: StoredItem): boolean {
  return (
    record.type === 'incident.recorded' &&
    (record.safeguardingConcern === true || (record.data as { safeguardingConcern?: unknown } | undefined)?.safeguardingConcern === true)
  );
}

/** The DSL, or the school's leaders when no DSL is configured (the service logs a warning). */
export function dslRecipient(school: { dslEmail?: string; leaders: string[] }): { recipient: Recipient; to: string[]; reason?: DeliveryReason } {
  if (school.dslEmail) {
    return { recipient: { contactId: 'dsl', relationship: 'designated safeguarding lead', email: school.dslEmail }, to: [school.dslEmail] };
  }
  return {
    recipient: { contactId: 'leaders', relationship: 'school leaders (no DSL configured)', emails: [...school.leaders] },
    to: [...school.leaders],
    reason: 'no-dsl-configured',
  };
}

/** The recipient part of a DSL alert's decision key: one alert per event, whoever receives it. */
export const dslDecisionRecipient = 'dsl';
