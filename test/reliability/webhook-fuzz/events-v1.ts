import fc from 'fast-check';
import { attendanceCodes } from '../../../events/attendance-codes';
import { interventionKinds, interventionOutcomes } from '../../../events/intervention';
import { notifyForKinds, yearGroups } from '../../../events/pupil';
import { restorativeFormats } from '../../../events/restorative';
import { bool, email, id, instant, isoDate, score, shortId, some, targetScores, text, typeSpec } from './values';

/** The v1 event types (contract sections 4 and 5): valid data and near-valid data. */

const contact = fc.record(
  {
    contactId: id,
    name: text(200, 1),
    relationship: text(100, 1),
    parentalResponsibility: bool,
    email,
    phone: text(40),
    notify: bool,
    language: fc.constantFrom('en', 'cy', 'pl', 'ur', 'pt-BR', 'zh-Hant-TW'),
    notifyFor: fc.subarray([...notifyForKinds]),
  },
  { requiredKeys: ['contactId', 'name', 'relationship', 'parentalResponsibility', 'notify'] },
);

const target = (area: fc.Arbitrary<string>, description: fc.Arbitrary<string>) => fc.record({ targetId: id, area, description, baseline: score, goal: score });

const participants = fc
  .tuple(
    fc.record({ pupilId: shortId, role: fc.constantFrom('harmed', 'responsible', 'supporter', 'facilitator') }),
    fc.array(
      fc.oneof(
        fc.record({ pupilId: shortId, role: fc.constantFrom('harmed', 'responsible', 'supporter') }),
        fc.record({ staffId: shortId, role: fc.constantFrom('facilitator', 'supporter') }),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([first, rest]) => [first, ...rest]);

export const v1Types = {
  'pupil.upserted': typeSpec(
    {
      firstName: text(100, 1),
      lastName: text(100, 1),
      yearGroup: fc.constantFrom(...yearGroups),
      dateOfBirth: isoDate,
      sen: fc.constantFrom('none', 'support', 'ehcp'),
      pupilPremium: bool,
      lookedAfter: bool,
      contacts: some(fc.array(contact, { maxLength: 3 }), fc.array(contact, { minLength: 15, maxLength: 20 })),
    },
    ['firstName', 'lastName', 'yearGroup'],
    [
      ['firstName', 'x'.repeat(101)],
      ['firstName', ''],
      ['yearGroup', '14'],
      ['dateOfBirth', '2026-02-30'],
      ['contacts', Array(21).fill({ contactId: 'c', name: 'n', relationship: 'r', parentalResponsibility: true, notify: false })],
    ],
  ),
  'attendance.marked': typeSpec(
    { date: isoDate, session: fc.constantFrom('AM', 'PM'), code: fc.constantFrom(...attendanceCodes), minutesLate: fc.nat({ max: 2 ** 40 }) },
    ['date', 'session', 'code'],
    [
      ['code', 'ZZ'],
      ['code', 'n'],
      ['session', 'am'],
      ['minutesLate', -1],
      ['minutesLate', 1.5],
      ['minutesLate', 2 ** 53 + 2],
      ['date', '2026-13-01'],
    ],
  ),
  'intervention.started': typeSpec(
    {
      interventionId: id,
      kind: fc.constantFrom(...interventionKinds),
      title: text(200, 1),
      staffId: shortId,
      startDate: isoDate,
      plannedSessions: fc.integer({ min: 0, max: 1000 }),
      groupPupilIds: fc.array(shortId, { maxLength: 5 }),
      targets: some(
        fc.array(target(fc.constantFrom('personal', 'social', 'learning', 'behavioural'), text(10_000)), { maxLength: 3 }),
        fc.array(target(fc.constant('learning'), fc.string({ unit: 'grapheme-ascii', maxLength: 2_000 })), { minLength: 40, maxLength: 50 }),
      ),
    },
    ['interventionId', 'kind', 'title', 'staffId', 'startDate'],
    [
      ['kind', 'therapy'],
      ['plannedSessions', 1001],
      ['title', ''],
      ['targets', Array(51).fill({ targetId: 't', area: 'social', description: '', baseline: 1, goal: 2 })],
    ],
  ),
  'intervention.session.recorded': typeSpec(
    {
      interventionId: id,
      sessionId: id,
      date: isoDate,
      durationMinutes: fc.integer({ min: 0, max: 1440 }),
      attended: bool,
      engagement: fc.integer({ min: 1, max: 5 }),
      targetScores: some(targetScores(3), targetScores(50)),
      notes: text(10_000),
    },
    ['interventionId', 'sessionId', 'date', 'durationMinutes', 'attended'],
    [
      ['durationMinutes', 1441],
      ['durationMinutes', -1],
      ['engagement', 0],
      ['engagement', 6],
      ['notes', 'n'.repeat(10_001)],
    ],
  ),
  'intervention.ended': typeSpec(
    { interventionId: id, endDate: isoDate, outcome: fc.constantFrom(...interventionOutcomes), finalScores: targetScores(3), notes: text(10_000) },
    ['interventionId', 'endDate', 'outcome'],
    [
      ['outcome', 'done'],
      ['endDate', '2026-02-29'],
      ['notes', 'n'.repeat(10_001)],
    ],
  ),
  'restorative.session.recorded': typeSpec(
    {
      sessionId: id,
      date: isoDate,
      format: fc.constantFrom(...restorativeFormats),
      participants,
      incidentId: id,
      agreementReached: bool,
      followUpDate: isoDate,
      summaryForParents: text(10_000),
      notes: text(10_000),
    },
    ['sessionId', 'date', 'format', 'participants'],
    [
      ['participants', []],
      ['participants', [{ staffId: 'S1', role: 'facilitator' }]],
      ['format', 'chat'],
      ['participants', Array(51).fill({ pupilId: 'p', role: 'harmed' })],
    ],
  ),
  'incident.recorded': typeSpec(
    {
      incidentId: id,
      category: text(100, 1),
      severity: fc.integer({ min: 1, max: 5 }),
      happenedAt: instant,
      location: text(200),
      physicalIntervention: fc.record(
        { used: bool, technique: text(200), durationMinutes: fc.integer({ min: 0, max: 1440 }), injury: bool },
        { requiredKeys: ['used', 'injury'] },
      ),
      detention: fc.record({ date: isoDate, minutes: fc.integer({ min: 1, max: 600 }) }),
      safeguardingConcern: bool,
      notes: text(10_000),
    },
    ['incidentId', 'category', 'severity'],
    [
      ['severity', 0],
      ['severity', 6],
      ['severity', 2.5],
      ['category', ''],
      ['detention', { date: '2026-11-23', minutes: 0 }],
      ['physicalIntervention', { used: true }],
    ],
  ),
};
