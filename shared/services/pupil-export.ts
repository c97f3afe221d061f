import type { EventType } from '../../events/catalogue';
import type { SdqScores } from '../../events/outcome';
import { deriveSdq } from '../domain/sdq';
import { thirdPartiesIn } from '../domain/third-parties';
import type { PupilRecords, StoredItem } from '../ports';

/**
 * A UK GDPR subject access export of one pupil: every record held, grouped the way a
 * school would read it, without the table's internal keys. It is for the school's DPO and
 * is complete: `thirdParties` lists the other people in it, whom the DPO weighs before any
 * of it goes to the requester (docs/data-protection.md).
 */
const internal = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'recordKind']);

function clean(item: StoredItem): StoredItem {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([name]) => !internal.has(name))
      .map(([name, value]) => [name, value instanceof Set ? [...value] : value]),
  );
}

/**
 * Where each event type is shown, for every type of the catalogue: a new type that is not
 * given a section here does not compile, so it can't be missing from an export.
 */
const sectionOf = {
  'pupil.upserted': 'rosterUpdates',
  'attendance.marked': 'attendance',
  'intervention.started': 'interventions',
  'intervention.session.recorded': 'interventions',
  'intervention.ended': 'interventions',
  'restorative.session.recorded': 'restorativeSessions',
  'incident.recorded': 'incidents',
  'restrictive.intervention.recorded': 'restrictiveInterventions',
  'outcome.measure.recorded': 'outcomeMeasures',
} as const satisfies Record<EventType, string>;

export function pupilExport(schoolId: string, pupilId: string, records: PupilRecords, exportedAt: Date) {
  type Section = (typeof sectionOf)[EventType];
  const inSection = (section: Section) => records.events.filter((event) => sectionOf[event.type as EventType] === section).map(clean);
  const interventionEvents = inSection('interventions');
  const interventionIds = [...new Set(interventionEvents.map((event) => (event.data as { interventionId: string }).interventionId))];
  return {
    schoolId,
    pupilId,
    exportedAt: exportedAt.toISOString(),
    thirdParties: thirdPartiesIn(pupilId, records.profile, records.events),
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
    restorativeSessions: inSection('restorativeSessions'),
    incidents: inSection('incidents'),
    // The statutory record with every decision about its report (sent, withheld, DSL alerted).
    restrictiveInterventions: inSection('restrictiveInterventions').map((record): StoredItem & { reportDecisions: StoredItem[] } => ({
      ...record,
      reportDecisions: records.notifications.filter((decision) => decision.eventId === record.eventId).map(clean),
    })),
    // Scale scores with the derived total and bands; never questionnaire items (none are held).
    outcomeMeasures: inSection('outcomeMeasures').map((record) =>
      record.bands ? record : { ...record, ...deriveSdq((record.data as { scores: SdqScores }).scores) },
    ),
    rosterUpdates: inSection('rosterUpdates'),
    notifications: records.notifications.map(clean),
  };
}
