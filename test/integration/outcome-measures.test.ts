import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { journalKey } from '../../shared/domain/keys';
import type { RollupFigures } from '../../shared/domain/rollup/types';
import { pupilExport } from '../../shared/services/pupil-export';
import { interventionStarted, outcomeMeasure, pupil, restrictiveIntervention } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Contract section 8 over HTTP: SDQ bands on every cut-off through the webhook and the pupil
 * export; then a small school whose rollup's "did it help?" and restrictive-intervention
 * figures are worked out by hand below, and shown in the leaders' email.
 */
const clock = { now: () => new Date('2026-12-01T09:00:00Z') }; // Tuesday: week 48 has ended
let stack: TestStack;
let secret: string;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  secret = await stack.addSchool({ schoolId: 'ash', name: 'Ash Primary', leaders: ['head@ash.example.org'], dslEmail: 'dsl@ash.example.org' });
});
afterAll(() => stack?.cleanup());

async function post(events: unknown[]) {
  const response = await stack.post('ash', secret, { events });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await stack.flush();
}
const sdq = (pupilId: string, date: string, [emotional, conduct, hyperactivity, peer, prosocial]: number[], extra: Record<string, unknown> = {}) =>
  outcomeMeasure({ pupilId, data: { date, ...extra }, scores: { emotional, conduct, hyperactivity, peer, prosocial } });

describe('SDQ bands on every cut-off, through the webhook and the export', () => {
  // [emotional, conduct, hyperactivity, peer, prosocial] → total and every band, by hand from the contract's table.
  const cases: [number[], number, Record<string, string>][] = [
    [
      [0, 0, 0, 0, 10],
      0,
      {
        total: 'close_to_average',
        emotional: 'close_to_average',
        conduct: 'close_to_average',
        hyperactivity: 'close_to_average',
        peer: 'close_to_average',
        prosocial: 'close_to_average',
      },
    ],
    [
      [3, 2, 5, 1, 6],
      11,
      {
        total: 'close_to_average',
        emotional: 'close_to_average',
        conduct: 'close_to_average',
        hyperactivity: 'close_to_average',
        peer: 'close_to_average',
        prosocial: 'close_to_average',
      },
    ],
    [
      [4, 3, 3, 2, 5],
      12,
      {
        total: 'slightly_raised',
        emotional: 'slightly_raised',
        conduct: 'slightly_raised',
        hyperactivity: 'close_to_average',
        peer: 'close_to_average',
        prosocial: 'slightly_raised',
      },
    ],
    [
      [4, 3, 4, 4, 4],
      15,
      {
        total: 'slightly_raised',
        emotional: 'slightly_raised',
        conduct: 'slightly_raised',
        hyperactivity: 'close_to_average',
        peer: 'slightly_raised',
        prosocial: 'high',
      },
    ],
    [[5, 4, 2, 5, 3], 16, { total: 'high', emotional: 'high', conduct: 'high', hyperactivity: 'close_to_average', peer: 'high', prosocial: 'very_high' }],
    [
      [5, 4, 6, 3, 0],
      18,
      { total: 'high', emotional: 'high', conduct: 'high', hyperactivity: 'slightly_raised', peer: 'slightly_raised', prosocial: 'very_high' },
    ],
    [
      [6, 5, 7, 1, 6],
      19,
      {
        total: 'very_high',
        emotional: 'very_high',
        conduct: 'very_high',
        hyperactivity: 'slightly_raised',
        peer: 'close_to_average',
        prosocial: 'close_to_average',
      },
    ],
    [
      [10, 10, 10, 10, 10],
      40,
      { total: 'very_high', emotional: 'very_high', conduct: 'very_high', hyperactivity: 'very_high', peer: 'very_high', prosocial: 'close_to_average' },
    ],
  ];

  it('stores scale scores with the derived total and bands, and never the items', async () => {
    const events = cases.map(([scores], index) =>
      sdq('P-SDQ', `2026-11-${String(10 + index).padStart(2, '0')}`, scores, { items: [2, 1, 0, 2, 1], measureId: `M-${index}` }),
    );
    await post(events);
    const exported = pupilExport('ash', 'P-SDQ', await readPupilRecords(stack.adapters.table, 'ash', 'P-SDQ', '2026-12-01'), clock.now());
    const measures = exported.outcomeMeasures.sort((a, b) => String(a.date).localeCompare(String(b.date)));
    expect(measures.map((measure) => [measure.totalDifficulties, measure.bands])).toEqual(cases.map(([, total, bands]) => [total, bands]));
    // The stored item itself: scale scores only (licence).
    const { Item } = await stack.adapters.table.client.send(
      new GetCommand({ TableName: stack.adapters.table.tableName, Key: journalKey('ash', events[0]!.eventId) }),
    );
    expect(Item!.data).toEqual({
      measureId: 'M-0',
      instrument: 'sdq_teacher',
      date: '2026-11-10',
      scores: { emotional: 0, conduct: 0, hyperactivity: 0, peer: 0, prosocial: 10 },
    });
    expect(JSON.stringify(exported)).not.toContain('items');
  });
});

describe('rollup of week 48: did it help, and restrictive interventions (checked by hand)', () => {
  let figures: RollupFigures;

  beforeAll(async () => {
    const roster = (pupilId: string, firstName: string, sen: string) => pupil({ pupilId, data: { firstName, lastName: 'Test', sen, contacts: [] } });
    const ended = (pupilId: string, interventionId: string, endDate: string) => ({
      eventId: `end-${interventionId}`,
      type: 'intervention.ended',
      occurredAt: `${endDate}T15:00:00Z`,
      pupilId,
      data: { interventionId, endDate, outcome: 'achieved' },
    });
    const restraint = (pupilId: string, startedAt: string, data: Record<string, unknown>) =>
      restrictiveIntervention({ pupilId, occurredAt: startedAt, data: { startedAt, ...data } });
    await post([
      roster('P1', 'Robin', 'support'),
      roster('P2', 'Sam', 'none'),
      roster('P3', 'Kai', 'ehcp'),
      // SDQs before: P1 20 (very high) on 20 Oct and 18 (high) on the start day; P2 12 (slightly raised); P3 16 (high).
      sdq('P1', '2026-10-20', [6, 5, 6, 3, 7]),
      sdq('P1', '2026-11-02', [5, 4, 6, 3, 7]),
      sdq('P2', '2026-11-01', [3, 3, 4, 2, 7]),
      sdq('P3', '2026-11-10', [5, 4, 5, 2, 7]),
      // INT-A: mentoring for P1 with P2 in the group, 2 Nov – 27 Nov; INT-B: counselling for P3, 16 – 26 Nov.
      interventionStarted({ pupilId: 'P1', data: { interventionId: 'INT-A', kind: 'mentoring', startDate: '2026-11-02', groupPupilIds: ['P2'] } }),
      interventionStarted({ pupilId: 'P3', data: { interventionId: 'INT-B', kind: 'counselling', startDate: '2026-11-16' } }),
      ended('P1', 'INT-A', '2026-11-27'),
      ended('P3', 'INT-B', '2026-11-26'),
      // SDQs after: P1 13 (slightly raised): −5, a lower band; P2 14 (slightly raised): +2, same band; P3 none.
      sdq('P1', '2026-11-27', [3, 3, 5, 2, 7]),
      sdq('P2', '2026-11-28', [4, 3, 5, 2, 7]),
      // Restrictive: week 47 P1 (5 min); week 48 P1 restraint + seclusion (10 min, pupil hurt), P2 force (3 min, staff hurt).
      restraint('P1', '2026-11-18T10:00:00Z', { types: ['restraint'], durationMinutes: 5 }),
      restraint('P1', '2026-11-25T11:00:00Z', { types: ['restraint', 'seclusion'], durationMinutes: 10, injuries: { pupil: true, staff: false } }),
      restraint('P2', '2026-11-26T09:30:00Z', { types: ['reasonable_force'], durationMinutes: 3, injuries: { pupil: false, staff: true } }),
    ]);
    figures = (await stack.invoke('rollup-school', {
      source: 'tracker.rollups',
      'detail-type': 'rollup.requested',
      detail: { schoolId: 'ash', week: '2026-W48', sendEmail: true },
    })) as RollupFigures;
  });

  it('restrictive interventions: 2 records, 2 pupils (1 with SEN), 13 minutes, up 1 on last week, P1 repeated', () => {
    expect(figures.restrictive).toEqual({
      total: 2,
      byType: { reasonable_force: 1, restraint: 1, seclusion: 1 },
      pupils: 2,
      pupilsWithSen: 1,
      totalMinutes: 13,
      injuries: { pupil: 1, staff: 1, any: 2 },
      previousWeekTotal: 1,
      change: 1,
      repeatPupils: [{ pupilId: 'P1', thisWeek: 1, lastFourWeeks: 2, minutesThisWeek: 10 }],
    });
  });

  it('did it help: mentoring, 2 pupils measured, mean change (−5 + 2) / 2 = −1.5, 1 moved to a lower band', () => {
    expect(figures.sdqImpact!.byKind).toEqual({ mentoring: { measured: 2, totalChange: -3, meanChange: -1.5, movedLower: 1, sameBand: 1, movedHigher: 0 } });
    expect(figures.sdqImpact!.pairs.map((pair) => [pair.pupilId, pair.before.totalDifficulties, pair.after.totalDifficulties, pair.movement])).toEqual([
      ['P1', 18, 13, 'lower'],
      ['P2', 12, 14, 'same'],
    ]);
  });

  it("the leaders' email shows both, naming the repeated pupil", async () => {
    const [email] = (await stack.outbox()).filter((entry) => entry.to.includes('head@ash.example.org') && entry.subject.startsWith('Weekly summary'));
    expect(email!.text).toContain(
      '2 records of force, restraint or seclusion, involving 2 pupils (1 with SEN), 13 minutes in all. Injuries: 1 to the pupil, 1 to staff. Trend: up 1 on last week (1).',
    );
    expect(email!.text).toContain('- Robin Test (P1): 1 this week, 2 in four weeks, 10 minutes this week');
    expect(email!.text).toContain('- Mentoring: 2 pupils, mean change −1.5, moved to a lower band 1 of 2');
    expect(email!.html).toContain('Did it help?');
  });
});
