import { describe, expect, it } from 'vitest';
import { attendanceCategory, attendanceCodes } from '../../events/attendance-codes';
import { parseEvent, pupilIdsOf } from '../../events/catalogue';
import { eventTypes } from '../../events/event-types';
import { attendanceMark, incident, interventionStarted, outcomeMeasure, pupil, restorativeSession, restrictiveIntervention } from '../support/events';

const errorsOf = (raw: unknown) => {
  const parsed = parseEvent(raw);
  return parsed.ok ? [] : parsed.errors;
};

describe('event catalogue', () => {
  it('accepts a valid example of every type', () => {
    const session = {
      eventId: 's1',
      type: 'intervention.session.recorded',
      occurredAt: '2026-11-23T10:00:00+00:00',
      pupilId: 'P1',
      data: {
        interventionId: 'I1',
        sessionId: 'S1',
        date: '2026-11-23',
        durationMinutes: 30,
        attended: true,
        engagement: 4,
        targetScores: [{ targetId: 'T1', score: 5 }],
        notes: 'n',
      },
    };
    const ended = {
      eventId: 'e1',
      type: 'intervention.ended',
      occurredAt: '2026-11-23T10:00:00Z',
      pupilId: 'P1',
      data: { interventionId: 'I1', endDate: '2026-12-01', outcome: 'achieved' },
    };
    const examples = [
      pupil(),
      attendanceMark(),
      interventionStarted(),
      session,
      ended,
      restorativeSession(),
      incident(),
      restrictiveIntervention(),
      outcomeMeasure(),
    ];
    expect(examples.map((event) => event.type).sort()).toEqual([...eventTypes].sort());
    for (const example of examples) expect(parseEvent(example), example.type).toMatchObject({ ok: true });
  });

  it('names the dotted path of each problem', () => {
    expect(errorsOf(attendanceMark({ code: 'ZZ' }))).toEqual([{ path: 'data.code', message: expect.stringContaining('DfE') }]);
    expect(errorsOf({ ...attendanceMark(), occurredAt: '2026-11-23T08:50:00' }).map((e) => e.path)).toEqual(['occurredAt']);
    expect(errorsOf({ ...attendanceMark(), eventId: 'has space' }).map((e) => e.path)).toEqual(['eventId']);
    expect(errorsOf({ ...attendanceMark(), eventId: 'x'.repeat(129) }).map((e) => e.path)).toEqual(['eventId']);
    expect(errorsOf({ ...attendanceMark(), type: 'pupil.deleted' }).map((e) => e.path)).toEqual(['type']);
    expect(errorsOf(incident({ data: { severity: 6 } })).map((e) => e.path)).toEqual(['data.severity']);
    expect(
      errorsOf(
        pupil({ data: { contacts: [{ contactId: 'c', name: 'n', relationship: 'r', parentalResponsibility: true, notify: true, email: 'nope' }] } }),
      ).map((e) => e.path),
    ).toEqual(['data.contacts.0.email']);
    expect(errorsOf('a string')).toEqual([{ path: '(event)', message: 'must be a JSON object' }]);
  });

  it('requires pupilId except on restorative sessions, which need a pupil participant', () => {
    const { pupilId: _omit, ...noPupil } = incident();
    expect(errorsOf(noPupil).map((e) => e.path)).toEqual(['pupilId']);
    expect(parseEvent(restorativeSession()).ok).toBe(true);
    const staffOnly = restorativeSession({ data: { participants: [{ staffId: 'S1', role: 'facilitator' }] } });
    expect(errorsOf(staffOnly).map((e) => e.path)).toEqual(['data.participants']);
  });

  it('lists the pupils an event is about, once each', () => {
    const parsed = parseEvent(
      restorativeSession({
        data: {
          participants: [
            { pupilId: 'A', role: 'harmed' },
            { pupilId: 'B', role: 'responsible' },
            { pupilId: 'A', role: 'supporter' },
            { staffId: 'S', role: 'facilitator' },
          ],
        },
      }),
    );
    expect(parsed.ok && pupilIdsOf(parsed.event)).toEqual(['A', 'B']);
  });

  it('strips unknown fields', () => {
    const parsed = parseEvent({ ...attendanceMark(), extra: 1, data: { ...attendanceMark().data, colour: 'red' } });
    expect(parsed.ok && parsed.event).not.toHaveProperty('extra');
    expect(parsed.ok && parsed.event.data).not.toHaveProperty('colour');
  });
});

describe('DfE attendance codes (2024 regulations)', () => {
  it('puts every code in exactly one category', () => {
    expect(new Set(attendanceCodes).size).toBe(attendanceCodes.length);
    expect(attendanceCodes).toHaveLength(3 + 5 + 10 + 4 + 12);
    expect(attendanceCategory('L')).toBe('present');
    expect(attendanceCategory('K')).toBe('approvedOffSite');
    expect(attendanceCategory('C2')).toBe('authorisedAbsence');
    expect(attendanceCategory('G')).toBe('unauthorisedAbsence');
    expect(attendanceCategory('Y7')).toBe('notPossible');
    expect(attendanceCategory('#')).toBe('notPossible');
  });

  it('rejects codes withdrawn in 2024', () => {
    for (const old of ['H', 'F', 'Y', 'ZZ']) expect(errorsOf(attendanceMark({ code: old })).map((e) => e.path)).toEqual(['data.code']);
  });
});
