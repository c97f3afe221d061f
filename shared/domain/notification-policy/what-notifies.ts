import type { EventType } from '../../../events/catalogue';
import type { IncidentRecorded } from '../../../events/incident';
import type { InterventionEnded, InterventionStarted } from '../../../events/intervention';
import type { RestorativeSessionRecorded } from '../../../events/restorative';
import { interventionKinds } from '../../../events/vocabulary';
import { judgeAttendanceMark } from './absence';
import { optedOut } from './contacts';
import { nameOf, type ParentPolicyInput, storedData } from './inputs';
import type { NotificationKind } from './kinds';
import type { EventVerdict } from './parent-notice';
import { redactOthers } from './redaction';

/** Which stored events tell a family, and what the notice says: one judge per event type. */

type Judge = (input: ParentPolicyInput) => EventVerdict;

/** Force is told (statutory), else a detention; a safeguarding concern goes to the DSL instead. */
function judgeIncident({ record, eventId, incidentSafeguarding }: ParentPolicyInput): EventVerdict {
  const data = storedData<IncidentRecorded>(record);
  const kind: NotificationKind = data.physicalIntervention?.used ? 'force' : data.detention ? 'detention' : 'none';
  if (data.safeguardingConcern === true || record.safeguardingConcern === true || incidentSafeguarding) return { notify: false, kind, reason: 'safeguarding' };
  if (kind === 'none') return { notify: false, kind, reason: 'not-notifiable' };
  const base = { occurredAt: data.happenedAt ?? String(record.occurredAt), incidentRef: data.incidentId, category: data.category };
  if (kind === 'force') {
    const force = data.physicalIntervention!;
    return {
      notify: true,
      kind,
      dedupKey: eventId,
      notice: (pupil, contact) => ({
        kind: 'force',
        pupil: nameOf(pupil),
        ...base,
        ...(force.durationMinutes !== undefined ? { durationMinutes: force.durationMinutes } : {}),
        injury: force.injury,
        // The statutory notice goes regardless; the detention part honours the preference.
        ...(data.detention && !optedOut(contact, 'detention') ? { detention: { ...data.detention } } : {}),
      }),
    };
  }
  const detention = data.detention!;
  return { notify: true, kind, dedupKey: eventId, notice: (pupil) => ({ kind: 'detention', pupil: nameOf(pupil), ...base, detention: { ...detention } }) };
}

function judgeInterventionStarted({ record, eventId }: ParentPolicyInput): EventVerdict {
  const data = storedData<InterventionStarted>(record);
  return {
    notify: true,
    kind: 'intervention-started',
    dedupKey: eventId,
    notice: (pupil) => ({
      kind: 'intervention-started',
      pupil: nameOf(pupil),
      startDate: data.startDate,
      programme: data.kind,
      ...(data.plannedSessions ? { plannedSessions: data.plannedSessions } : {}),
    }),
  };
}

/** The programme is named only when its start event gave a known kind (the end event has none). */
function judgeInterventionEnded({ record, eventId, interventionKind }: ParentPolicyInput): EventVerdict {
  const data = storedData<InterventionEnded>(record);
  const programme = interventionKind && (interventionKinds as readonly string[]).includes(interventionKind) ? interventionKind : undefined;
  return {
    notify: true,
    kind: 'intervention-ended',
    dedupKey: eventId,
    notice: (pupil) => ({
      kind: 'intervention-ended',
      pupil: nameOf(pupil),
      endDate: data.endDate,
      outcome: data.outcome,
      ...(programme ? { programme } : {}),
    }),
  };
}

/** Only the summary written for parents is shared, with the other people in it redacted. */
function judgeRestorativeSession({ record, eventId, incidentSafeguarding, profiles }: ParentPolicyInput): EventVerdict {
  const data = storedData<RestorativeSessionRecorded>(record);
  // Its summary would tell parents about an incident the DSL is handling.
  if (incidentSafeguarding) return { notify: false, kind: 'restorative', reason: 'linked-safeguarding' };
  const summary = data.summaryForParents?.trim();
  if (!summary) return { notify: false, kind: 'restorative', reason: 'no-summary-for-parents' };
  return {
    notify: true,
    kind: 'restorative',
    dedupKey: eventId,
    notice: (pupil) => ({
      kind: 'restorative',
      pupil: nameOf(pupil),
      date: data.date,
      format: data.format,
      ...(data.agreementReached !== undefined ? { agreementReached: data.agreementReached } : {}),
      ...(data.followUpDate ? { followUpDate: data.followUpDate } : {}),
      summary: redactOthers(summary, pupil.pupilId, data.participants, profiles),
    }),
  };
}

const notNotifiable: Judge = () => ({ notify: false, kind: 'none', reason: 'not-notifiable' });

/** Every event type of the catalogue: a new type does not compile until it is given a judge here. */
const judgeOf = {
  'incident.recorded': judgeIncident,
  'intervention.started': judgeInterventionStarted,
  'intervention.ended': judgeInterventionEnded,
  'restorative.session.recorded': judgeRestorativeSession,
  'attendance.marked': judgeAttendanceMark,
  'intervention.session.recorded': notNotifiable,
  'pupil.upserted': notNotifiable,
  'outcome.measure.recorded': notNotifiable,
  // Never reaches here: notify-parents hands it to the statutory report (restrictive-report.ts).
  'restrictive.intervention.recorded': notNotifiable,
} satisfies Record<EventType, Judge>;

/** Does the event notify anyone at all, and with what? (Same answer for every pupil of it.) */
export function judgeEvent(input: ParentPolicyInput): EventVerdict {
  return judgeOf[input.type](input);
}
