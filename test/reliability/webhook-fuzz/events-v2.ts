import fc from 'fast-check';
import { outcomeInstruments } from '../../../events/outcome';
import { restrictiveTypes } from '../../../events/restrictive';
import { bool, id, instant, isoDate, nonBlankText, shortId, text, typeSpec } from './values';

/** The v2 event types (contract sections 7 and 8): valid data and near-valid data. */

const sdqScore = fc.integer({ min: 0, max: 10 });
const validScores = { emotional: 3, conduct: 2, hyperactivity: 5, peer: 2, prosocial: 8 };

export const v2Types = {
  'restrictive.intervention.recorded': typeSpec(
    {
      recordId: id,
      incidentId: id,
      types: fc.array(fc.constantFrom(...restrictiveTypes), { minLength: 1, maxLength: 3 }),
      startedAt: instant,
      durationMinutes: fc.integer({ min: 0, max: 1440 }),
      location: nonBlankText(200),
      staffIds: fc.array(shortId, { minLength: 1, maxLength: 20 }),
      antecedents: nonBlankText(10_000),
      deEscalation: nonBlankText(10_000),
      reason: nonBlankText(10_000),
      technique: text(200),
      injuries: fc.record({ pupil: bool, staff: bool, description: text(2000) }, { requiredKeys: ['pupil', 'staff'] }),
      supportAfter: text(2000),
      parentReport: fc.oneof(
        fc.constant('send'),
        fc.record(
          { withhold: fc.constant(true), reason: nonBlankText(2000), withholdFrom: fc.array(id, { minLength: 1, maxLength: 20 }) },
          { requiredKeys: ['withhold', 'reason'] },
        ),
      ),
      senAtTime: fc.constantFrom('none', 'support', 'ehcp'),
      otherPupilIds: fc.array(shortId, { maxLength: 20 }),
      recordedAt: instant,
      recordedBy: shortId,
      notes: text(10_000),
    },
    ['recordId', 'types', 'startedAt', 'durationMinutes', 'location', 'staffIds', 'antecedents', 'deEscalation', 'reason', 'injuries', 'parentReport'],
    [
      ['types', []],
      ['types', ['taser']],
      ['types', ['restraint', 'restraint', 'seclusion', 'reasonable_force']],
      ['startedAt', '2026-11-23T08:50:00'],
      ['durationMinutes', 1441],
      ['durationMinutes', 2.5],
      ['location', '   '],
      ['staffIds', []],
      ['antecedents', ''],
      ['deEscalation', ' \n\t '],
      ['reason', 'r'.repeat(10_001)],
      ['injuries', { pupil: true }],
      ['parentReport', 'withhold'],
      ['parentReport', { withhold: true }],
      ['parentReport', { withhold: true, reason: '  ' }],
      ['parentReport', { withhold: false, reason: 'r' }],
      ['parentReport', { withhold: true, reason: 'r', withholdFrom: [] }],
      ['senAtTime', 'yes'],
      ['recordedAt', '2026-11-23'],
    ],
  ),
  'outcome.measure.recorded': typeSpec(
    {
      measureId: id,
      instrument: fc.constantFrom(...outcomeInstruments),
      date: isoDate,
      interventionId: id,
      scores: fc.record({ emotional: sdqScore, conduct: sdqScore, hyperactivity: sdqScore, peer: sdqScore, prosocial: sdqScore }),
    },
    ['measureId', 'instrument', 'date', 'scores'],
    [
      ['instrument', 'sdq_parent'],
      ['date', '2026-02-30'],
      ['scores', { ...validScores, emotional: 11 }],
      ['scores', { ...validScores, conduct: -1 }],
      ['scores', { ...validScores, peer: 2.5 }],
      ['scores', { emotional: 3 }],
    ],
  ),
};
