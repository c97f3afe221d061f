/** Builders for contract events, with sensible defaults a test overrides. */
let counter = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export const at = (iso = '2026-11-23T08:50:00Z') => iso;

export function attendanceMark(
  overrides: { pupilId?: string; date?: string; session?: 'AM' | 'PM'; code?: string; occurredAt?: string; eventId?: string; minutesLate?: number } = {},
) {
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
      contacts: [{ contactId: 'C1', name: 'Sam Taylor', relationship: 'mother', parentalResponsibility: true, email: 'sam.taylor@example.org', notify: true }],
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

/** A statutory restraint record (contract section 7) with every required field. */
export function restrictiveIntervention(overrides: { pupilId?: string; occurredAt?: string; eventId?: string; data?: Record<string, unknown> } = {}) {
  return {
    eventId: overrides.eventId ?? nextId('restrictive'),
    type: 'restrictive.intervention.recorded',
    occurredAt: overrides.occurredAt ?? '2026-11-23T10:40:00Z',
    pupilId: overrides.pupilId ?? 'P001',
    data: {
      recordId: nextId('R'),
      types: ['restraint'],
      startedAt: '2026-11-23T10:15:00Z',
      durationMinutes: 4,
      location: 'Corridor outside the science block',
      staffIds: ['S1', 'S2'],
      antecedents: 'Became very distressed after a change to the timetable and ran towards the stairs.',
      deEscalation: 'Calm voice, offered the quiet room and a drink, gave space and time.',
      reason: 'To stop a fall down the stairs: there was an immediate risk of injury.',
      technique: 'Single elbow guide',
      injuries: { pupil: false, staff: false },
      supportAfter: 'Time in the quiet room with a trusted adult, then back to lessons after lunch.',
      parentReport: 'send',
      ...overrides.data,
    },
  };
}

/** A teacher SDQ (contract section 8): scale scores only. */
export function outcomeMeasure(
  overrides: {
    pupilId?: string;
    eventId?: string;
    data?: Record<string, unknown>;
    scores?: Partial<Record<'emotional' | 'conduct' | 'hyperactivity' | 'peer' | 'prosocial', number>>;
  } = {},
) {
  return {
    eventId: overrides.eventId ?? nextId('sdq'),
    type: 'outcome.measure.recorded',
    occurredAt: '2026-11-23T15:00:00Z',
    pupilId: overrides.pupilId ?? 'P001',
    data: {
      measureId: nextId('M'),
      instrument: 'sdq_teacher',
      date: '2026-11-23',
      scores: { emotional: 3, conduct: 2, hyperactivity: 5, peer: 2, prosocial: 7, ...overrides.scores },
      ...overrides.data,
    },
  };
}

/** A roster contact: with parental responsibility, notify true, and the email given (or none). */
export const contact = (contactId: string, email: string | undefined, extra: Record<string, unknown> = {}) => ({
  contactId,
  name: `Parent ${contactId}`,
  relationship: 'mother',
  parentalResponsibility: true,
  ...(email ? { email } : {}),
  notify: true,
  ...extra,
});

/** Oak's two pupils of the staff tests: P001, and P002 whose father gets notices. */
export const staffRoster = () => [
  pupil({ pupilId: 'P001', data: { firstName: 'Alex', lastName: 'Taylor' } }),
  pupil({
    pupilId: 'P002',
    data: {
      firstName: 'Jordan',
      lastName: 'Smith',
      contacts: [{ contactId: 'C2', name: 'Kim Smith', relationship: 'father', parentalResponsibility: true, email: 'kim.smith@example.org', notify: true }],
    },
  }),
];
