/** Builders for contract events, with sensible defaults a test overrides. */
let counter = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export const at = (iso = '2026-11-23T08:50:00Z') => iso;

export function attendanceMark(overrides: { pupilId?: string; date?: string; session?: 'AM' | 'PM'; code?: string; occurredAt?: string; eventId?: string; minutesLate?: number } = {}) {
  return {
    eventId: overrides.eventId ?? nextId('mark'),
    type: 'attendance.marked',
    occurredAt: overrides.occurredAt ?? at(),
    pupilId: overrides.pupilId ?? 'P001',
    data: {
      date: overrides.date ?? '2026-11-23',
      session: overrides.session ?? 'AM',
      code: overrides.code ?? '/',
      ...(overrides.minutesLate !== undefined ? { minutesLate: overrides.minutesLate } : {}),
    },
  };
}

export function pupil(overrides: { pupilId?: string; occurredAt?: string; eventId?: string; data?: Record<string, unknown> } = {}) {
  return {
    eventId: overrides.eventId ?? nextId('pupil'),
    type: 'pupil.upserted',
    occurredAt: overrides.occurredAt ?? at(),
    pupilId: overrides.pupilId ?? 'P001',
    data: {
      firstName: 'Alex',
      lastName: 'Taylor',
      yearGroup: '8',
      contacts: [
        { contactId: 'C1', name: 'Sam Taylor', relationship: 'mother', parentalResponsibility: true, email: 'sam.taylor@example.org', notify: true },
      ],
      ...overrides.data,
    },
  };
}

export function incident(overrides: { pupilId?: string; occurredAt?: string; eventId?: string; data?: Record<string, unknown> } = {}) {
  return {
    eventId: overrides.eventId ?? nextId('incident'),
    type: 'incident.recorded',
    occurredAt: overrides.occurredAt ?? at(),
    pupilId: overrides.pupilId ?? 'P001',
    data: { incidentId: nextId('I'), category: 'disruption', severity: 2, ...overrides.data },
  };
}

export function interventionStarted(overrides: { pupilId?: string; eventId?: string; data?: Record<string, unknown> } = {}) {
  return {
    eventId: overrides.eventId ?? nextId('int-start'),
    type: 'intervention.started',
    occurredAt: at(),
    pupilId: overrides.pupilId ?? 'P001',
    data: {
      interventionId: 'INT1',
      kind: 'mentoring',
      title: 'Weekly mentoring',
      staffId: 'S1',
      startDate: '2026-11-23',
      plannedSessions: 6,
      targets: [{ targetId: 'T1', area: 'behavioural', description: 'Stays in class', baseline: 3, goal: 8 }],
      ...overrides.data,
    },
  };
}

export function restorativeSession(overrides: { eventId?: string; data?: Record<string, unknown> } = {}) {
  return {
    eventId: overrides.eventId ?? nextId('restorative'),
    type: 'restorative.session.recorded',
    occurredAt: at(),
    data: {
      sessionId: nextId('RS'),
      date: '2026-11-23',
      format: 'conversation',
      participants: [
        { pupilId: 'P001', role: 'harmed' },
        { pupilId: 'P002', role: 'responsible' },
        { staffId: 'S1', role: 'facilitator' },
      ],
      agreementReached: true,
      ...overrides.data,
    },
  };
}
