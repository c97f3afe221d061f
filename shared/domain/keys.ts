/**
 * Every key of the single table is derived here, and only here (docs/data-model.md).
 * Ids from schools are free text within the contract's limits, so each id is escaped
 * (`%` and `#`) before it goes into a key: a prefix query for pupil `p1` can then never
 * match pupil `p1#2`.
 */

import type { TrackerEvent } from '../../events/catalogue';

const part = (id: string) => id.replace(/%/g, '%25').replace(/#/g, '%23');

export const schoolKey = (schoolId: string) => ({ pk: `SCHOOL#${part(schoolId)}`, sk: 'PROFILE' });
export const schoolSecretKey = (schoolId: string) => ({ pk: `SCHOOL#${part(schoolId)}`, sk: 'WEBHOOK_SECRET' });
/** GSI1 entry listing every school of the trust (the registry). */
export const schoolRegistryIndex = (schoolId: string) => ({ gsi1pk: 'SCHOOLS', gsi1sk: `SCHOOL#${part(schoolId)}` });
export const schoolRegistryPartition = 'SCHOOLS';

export const pupilPartition = (schoolId: string, pupilId: string) => `SCHOOL#${part(schoolId)}#PUPIL#${part(pupilId)}`;
export const pupilProfileKey = (schoolId: string, pupilId: string) => ({
  pk: pupilPartition(schoolId, pupilId),
  sk: 'PROFILE',
});

/** Pupil timeline (GSI1 sort key): an intervention's records together, then time order. */
export function timelineSortKey(event: TrackerEvent, occurredAtUtc: string): string {
  const eventId = part(event.eventId);
  switch (event.type) {
    case 'intervention.started':
    case 'intervention.session.recorded':
    case 'intervention.ended':
      return `${interventionTimelinePrefix(event.data.interventionId)}${occurredAtUtc}#${eventId}`;
    case 'restorative.session.recorded':
      return `RESTORATIVE#${occurredAtUtc}#${eventId}`;
    case 'incident.recorded':
      return `INCIDENT#${occurredAtUtc}#${eventId}`;
    default:
      return `${event.type.toUpperCase()}#${occurredAtUtc}#${eventId}`;
  }
}
export const interventionTimelinePrefix = (interventionId: string) => `INTERVENTION#${part(interventionId)}#`;

/** School week (GSI2 sort key): by type, so a rollup can read one kind of event at a time. */
export const weekEventSortKey = (type: string, occurredAtUtc: string, eventId: string) => `${type}#${occurredAtUtc}#${part(eventId)}`;

/** Idempotency and journal: one item per (school, eventId), whatever the pupil. */
export const journalKey = (schoolId: string, eventId: string) => ({
  pk: `SCHOOL#${part(schoolId)}#EVENT#${part(eventId)}`,
  sk: 'EVENT',
});
/** A further pupil of a multi-pupil event (restorative session), beside the journal item. */
export const journalParticipantKey = (schoolId: string, eventId: string, pupilId: string) => ({
  pk: journalKey(schoolId, eventId).pk,
  sk: `PUPIL#${part(pupilId)}`,
});

export const weekPartition = (schoolId: string, week: string) => `SCHOOL#${part(schoolId)}#WEEK#${week}`;

/** Attendance: one item per pupil, date and session, in the school-week partition. */
export const attendancePartition = (schoolId: string, week: string) => `${weekPartition(schoolId, week)}#ATTENDANCE`;
export const attendancePupilPrefix = (pupilId: string) => `PUPIL#${part(pupilId)}#`;
export const attendanceMarkKey = (schoolId: string, week: string, pupilId: string, date: string, session: string) => ({
  pk: attendancePartition(schoolId, week),
  sk: `${attendancePupilPrefix(pupilId)}${date}#${session}`,
});

/** Notification decisions live under the pupil, one per (reason to notify, recipient). */
export const notificationKey = (schoolId: string, pupilId: string, dedupKey: string, recipient: string) => ({
  pk: pupilPartition(schoolId, pupilId),
  sk: `NOTIFICATION#${part(dedupKey)}#${part(recipient)}`,
});
export const notificationPrefix = 'NOTIFICATION#';
/** The recipient key a decision is stored under (the last part of its sort key, unescaped). */
const notificationRecipientKey = (sk: string) => (sk.split('#').at(-1) ?? '').replace(/%2[35]/g, (code) => (code === '%23' ? '#' : '%'));

export const rollupKey = (schoolId: string, week: string) => ({ pk: `SCHOOL#${part(schoolId)}`, sk: `ROLLUP#${week}` });
/** GSI2 entry gathering every school's rollup of one week, for the trust summary. */
export const trustWeekIndex = (schoolId: string, week: string) => ({ gsi2pk: `TRUST#WEEK#${week}`, gsi2sk: `SCHOOL#${part(schoolId)}` });
export const trustWeekPartition = (week: string) => `TRUST#WEEK#${week}`;
export const trustSummaryKey = (week: string) => ({ pk: `TRUST#WEEK#${week}`, sk: 'SUMMARY' });

/** Notification dedup key of a first-day absence: one message per pupil per day, whichever mark. */
export const absenceDedupKey = (date: string) => `absence#${date}`;
/** ... and of its correction: at most one per pupil per day too. */
export const absenceCorrectionDedupKey = (date: string) => `absence-correction#${date}`;
/** GSI2 entry of a notification decision: the school-week's decisions, for the weekly rollup. */
export const notificationWeekSortPrefix = 'notification#';
export const notificationWeekIndex = (schoolId: string, week: string, decidedAtUtc: string, eventId: string, recipient: string) => ({
  gsi2pk: weekPartition(schoolId, week),
  gsi2sk: `${notificationWeekSortPrefix}${decidedAtUtc}#${part(eventId)}#${part(recipient)}`,
});

/** A decision's index entries (its school-week for the rollup, the pupil's chronology), from its own attributes. */
export const notificationIndexes = (decision: {
  schoolId: string;
  pupilId: string;
  week: string;
  decidedAt: string;
  eventId: string;
  dedupKey: string;
  sk: string;
}) => {
  const recipient = notificationRecipientKey(decision.sk);
  return {
    ...notificationWeekIndex(decision.schoolId, decision.week, decision.decidedAt, decision.eventId, recipient),
    ...chronologyIndex(decision.schoolId, decision.pupilId, decision.decidedAt, `N#${decision.dedupKey}#${recipient}`),
  };
};

/**
 * A school-week rollup's carried state (per-pupil year-to-date attendance counters, active
 * interventions, pending follow-ups): next week's rollup starts from it. A partition of its
 * own, sorted by week, so "the newest state before week W" is one Query; kept apart from the
 * figures because it is pupil-level: it expires with the attendance marks it sums.
 */
export const rollupStatePartition = (schoolId: string) => `SCHOOL#${part(schoolId)}#ROLLUP_STATE`;
export const rollupStateSortKey = (week: string) => `WEEK#${week}`;
export const rollupStateKey = (schoolId: string, week: string) => ({ pk: rollupStatePartition(schoolId), sk: rollupStateSortKey(week) });
/** Prefix of a school-week's GSI2 entries of one kind: an event type (`incident.recorded`) or `notification`. */
export const weekSortPrefix = (kind: string) => `${kind}#`;

/**
 * A sent message, by SES's message id: which decision sent it, so SES feedback (bounce,
 * complaint) can mark that decision with one GetItem (docs/data-model.md, pattern 30).
 */
export const sentMessageKey = (messageId: string) => ({ pk: `MAIL#${part(messageId)}`, sk: 'SENT' });

/**
 * Staff API. The chronology index (GSI3) holds every entry of a pupil's chronology sorted by
 * time, so "newest first, one page" is one Query whatever the entry's kind. The sort key
 * starts with the UTC instant; the tail keeps entries of the same instant apart.
 */
export const chronologyIndex = (schoolId: string, pupilId: string, instantUtc: string, tail: string) => ({
  gsi3pk: pupilPartition(schoolId, pupilId),
  gsi3sk: `${instantUtc}#${part(tail)}`,
});
/** A school's roster (GSI1): one entry per pupil profile, for the staff's pupil search. */
export const rosterPartition = (schoolId: string) => `SCHOOL#${part(schoolId)}#ROSTER`;
export const rosterIndex = (schoolId: string, pupilId: string) => ({ gsi1pk: rosterPartition(schoolId), gsi1sk: `PUPIL#${part(pupilId)}` });
/** Journal items of a pupil's incidents on the timeline (GSI1 sort key prefix). */
export const incidentTimelinePrefix = 'INCIDENT#';

/**
 * Every version of one incident (same incidentId, each eventId): a small item each, so "was
 * any version a safeguarding concern?" and "which weeks is it filed under?" are one Query.
 */
export const incidentPartition = (schoolId: string, incidentId: string) => `SCHOOL#${part(schoolId)}#INCIDENT#${part(incidentId)}`;
export const incidentVersionKey = (schoolId: string, incidentId: string, occurredAtUtc: string, eventId: string) => ({
  pk: incidentPartition(schoolId, incidentId),
  sk: `VERSION#${occurredAtUtc}#${part(eventId)}`,
});

/**
 * A school-week that received a record after it ended (a late mark, a correction, an
 * amended incident): the next rollup re-folds from the oldest such week. One partition per
 * school, sorted by week, so "every changed week up to W" is one Query.
 */
export const changedWeekPartition = (schoolId: string) => `SCHOOL#${part(schoolId)}#CHANGED_WEEKS`;
export const changedWeekKey = (schoolId: string, week: string) => ({ pk: changedWeekPartition(schoolId), sk: `WEEK#${week}` });

/** A school's MIS connection (Wonde): state, cursors, checkpoint (docs/mis-connector.md). */
export const misConnectionKey = (schoolId: string) => ({ pk: `SCHOOL#${part(schoolId)}`, sk: 'MIS_CONNECTION' });
/** GSI1 entry listing every school with an MIS connection: the 15-minute sync reads one partition. */
export const misConnectionIndex = (schoolId: string) => ({ gsi1pk: 'MIS_CONNECTIONS', gsi1sk: `SCHOOL#${part(schoolId)}` });
export const misConnectionPartition = 'MIS_CONNECTIONS';
/** The school's MIS token on the local stack only (Secrets Manager when deployed). */
export const misTokenKey = (schoolId: string) => ({ pk: `SCHOOL#${part(schoolId)}`, sk: 'MIS_TOKEN' });
/** The Wonde lifecycle webhook's URL key, one per deployment (local stack only). */
export const misWebhookKeyKey = { pk: 'MIS#WONDE', sk: 'WEBHOOK_KEY' } as const;
