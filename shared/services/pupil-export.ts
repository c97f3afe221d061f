import type { PupilRecords, StoredItem } from '../ports';

/**
 * A UK GDPR subject access export of one pupil: every record held, grouped the way a
 * school would read it, without the table's internal keys.
 */
const internal = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'recordKind']);

function clean(item: StoredItem): StoredItem {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([name]) => !internal.has(name))
      .map(([name, value]) => [name, value instanceof Set ? [...value] : value]),
  );
}

export function pupilExport(schoolId: string, pupilId: string, records: PupilRecords, exportedAt: Date) {
  const ofType = (...types: string[]) => records.events.filter((event) => types.includes(event.type as string)).map(clean);
  const interventionEvents = ofType('intervention.started', 'intervention.session.recorded', 'intervention.ended');
  const interventionIds = [...new Set(interventionEvents.map((event) => (event.data as { interventionId: string }).interventionId))];
  return {
    schoolId,
    pupilId,
    exportedAt: exportedAt.toISOString(),
    pupil: records.profile ? clean(records.profile) : null,
    attendance: records.attendance.map(clean).sort((a, b) => `${a.date}${a.session}`.localeCompare(`${b.date}${b.session}`)),
    interventions: interventionIds.map((interventionId) => {
      const mine = interventionEvents.filter((event) => (event.data as { interventionId: string }).interventionId === interventionId);
      return {
        interventionId,
        started: mine.find((event) => event.type === 'intervention.started') ?? null,
        sessions: mine.filter((event) => event.type === 'intervention.session.recorded'),
        ended: mine.find((event) => event.type === 'intervention.ended') ?? null,
      };
    }),
    restorativeSessions: ofType('restorative.session.recorded'),
    incidents: ofType('incident.recorded'),
    rosterUpdates: ofType('pupil.upserted'),
    notifications: records.notifications.map(clean),
  };
}
