import * as z from 'zod';
import { attendanceMarked } from './attendance';
import { pupilId } from './common';
import { incidentRecorded } from './incident';
import { interventionEnded, interventionSessionRecorded, interventionStarted } from './intervention';
import { outcomeMeasureRecorded } from './outcome';
import { pupilUpserted } from './pupil';
import { restorativeSessionRecorded } from './restorative';
import { restrictiveInterventionRecorded } from './restrictive';
import { eventTypes, type EventType } from './event-types';

/** Catalogue (v1, and v2's sections 7 and 8): one entry per event type, its `data` schema and whether it names one pupil. */
export const catalogue = {
  'pupil.upserted': pupilUpserted,
  'attendance.marked': attendanceMarked,
  'intervention.started': interventionStarted,
  'intervention.session.recorded': interventionSessionRecorded,
  'intervention.ended': interventionEnded,
  'restorative.session.recorded': restorativeSessionRecorded,
  'incident.recorded': incidentRecorded,
  'restrictive.intervention.recorded': restrictiveInterventionRecorded,
  'outcome.measure.recorded': outcomeMeasureRecorded,
} as const satisfies Record<EventType, z.ZodType>;

export type { EventType };

export const eventIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

const envelopeFields = {
  eventId: z.string().regex(eventIdPattern, { error: 'must be 1..128 characters of A-Z a-z 0-9 . _ : -' }),
  occurredAt: z.iso.datetime({ offset: true, error: 'must be RFC 3339 with an offset, e.g. 2026-11-23T08:50:00Z' }),
};

function withPupil<T extends EventType>(type: T) {
  return z.object({ ...envelopeFields, type: z.literal(type), pupilId, data: catalogue[type] });
}

/** The whole event, discriminated by `type`; unknown fields are stripped, not rejected. */
export const trackerEvent = z.discriminatedUnion(
  'type',
  [
    withPupil('pupil.upserted'),
    withPupil('attendance.marked'),
    withPupil('intervention.started'),
    withPupil('intervention.session.recorded'),
    withPupil('intervention.ended'),
    // Restorative sessions name their pupils as participants instead of one pupilId.
    z.object({
      ...envelopeFields,
      type: z.literal('restorative.session.recorded'),
      pupilId: pupilId.optional(),
      data: restorativeSessionRecorded,
    }),
    withPupil('incident.recorded'),
    withPupil('restrictive.intervention.recorded'),
    withPupil('outcome.measure.recorded'),
  ],
  { error: `must be one of: ${eventTypes.join(', ')}` },
);
export type TrackerEvent = z.infer<typeof trackerEvent>;

export const webhookBody = z.object({
  events: z.array(z.unknown()).min(1).max(500),
});

export interface FieldError {
  path: string;
  message: string;
}

export type ParsedEvent = { ok: true; event: TrackerEvent } | { ok: false; eventId: string; errors: FieldError[] };

/** Validates one event; errors carry the dotted path inside the event (`data.code`). */
export function parseEvent(raw: unknown): ParsedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, eventId: '', errors: [{ path: '(event)', message: 'must be a JSON object' }] };
  }
  const result = trackerEvent.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  const candidateId = (raw as { eventId?: unknown } | null)?.eventId;
  return {
    ok: false,
    eventId: typeof candidateId === 'string' ? candidateId.slice(0, 128) : '',
    errors: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(event)',
      message: issue.message,
    })),
  };
}

/** Every pupil an event is about: the envelope's pupil, or a restorative session's pupil participants. */
export function pupilIdsOf(event: TrackerEvent): string[] {
  if (event.type === 'restorative.session.recorded') {
    const participants = event.data.participants.flatMap((person) => ('pupilId' in person ? [person.pupilId] : []));
    return [...new Set(participants)];
  }
  return [event.pupilId];
}
