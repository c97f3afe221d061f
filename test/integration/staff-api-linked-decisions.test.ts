import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contact, incident, pupil, restorativeSession, restrictiveIntervention } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';
import { staffHelpers, type StaffHelpers } from '../support/staff';

/**
 * Contract section 6 over HTTP: a restrictive intervention or restorative session that follows
 * a safeguarding incident is restricted for staff and leaders together with every decision
 * about it (the report sent or not, the summary sent or held back); the DSL sees all of it.
 */
const clock = { now: () => new Date('2026-12-01T09:00:00Z') };
let stack: TestStack;
let staff: StaffHelpers;
const records: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack({ clock });
  staff = await staffHelpers(stack);
  const secret = await stack.addSchool({ schoolId: 'oak', dslEmail: 'dsl-alerts@oak.example.org' });
  for (const role of ['staff', 'leader', 'dsl'] as const) await staff.add(`${role}@oak.example.org`, role, 'oak');
  const roster = (pupilId: string) =>
    pupil({ pupilId, data: { firstName: 'Sam', lastName: pupilId, contacts: [contact('C1', `mum.${pupilId}@example.org`)] } });
  const follows = (pupilId: string, incidentId: string) => [
    restrictiveIntervention({ pupilId, data: { incidentId } }),
    restorativeSession({
      data: { incidentId, participants: [{ pupilId, role: 'harmed' }], summaryForParents: 'Sam and the class talked it through.' },
    }),
  ];
  // P-SG: the incident is a safeguarding concern from the start (the summary is held back).
  // P-AM: it becomes one in a later version, after the report and the summary were sent.
  const safeguarding = incident({ pupilId: 'P-SG', data: { incidentId: 'I-SG', safeguardingConcern: true } });
  const [restrictiveSg, restorativeSg] = follows('P-SG', 'I-SG');
  const [restrictiveAm, restorativeAm] = follows('P-AM', 'I-AM');
  Object.assign(records, { restrictiveSg: restrictiveSg!.eventId, restorativeSg: restorativeSg!.eventId });
  Object.assign(records, { restrictiveAm: restrictiveAm!.eventId, restorativeAm: restorativeAm!.eventId });
  const first = await stack.post('oak', secret, {
    events: [
      roster('P-SG'),
      roster('P-AM'),
      safeguarding,
      incident({ pupilId: 'P-AM', data: { incidentId: 'I-AM' } }),
      restrictiveSg,
      restorativeSg,
      restrictiveAm,
      restorativeAm,
    ],
  });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  await stack.flush();
  const amended = await stack.post('oak', secret, { events: [incident({ pupilId: 'P-AM', data: { incidentId: 'I-AM', safeguardingConcern: true } })] });
  expect(amended.status, JSON.stringify(amended.body)).toBe(200);
  await stack.flush();
}, 180_000);

afterAll(() => stack?.cleanup());

const chronology = (who: string, pupilId: string) => staff.chronology(`${who}@oak.example.org`, 'oak', pupilId);
const about = (entries: Record<string, unknown>[], eventId: string) => entries.filter((entry) => entry.eventId === eventId);

describe('decisions about a record that follows a safeguarding incident', () => {
  for (const [pupilId, restrictive, restorative] of [
    ['P-SG', 'restrictiveSg', 'restorativeSg'],
    ['P-AM', 'restrictiveAm', 'restorativeAm'],
  ] as const) {
    it(`${pupilId}: staff and leaders see only restricted entries`, async () => {
      for (const who of ['staff', 'leader']) {
        const entries = await chronology(who, pupilId);
        // The incident, the two records, the report and the summary decisions: nothing else.
        expect(entries.length).toBeGreaterThanOrEqual(5);
        expect(entries).toEqual(entries.map(({ occurredAt }) => ({ kind: 'restricted', occurredAt })));
      }
    });

    it(`${pupilId}: the DSL sees the records and every decision about them`, async () => {
      const entries = await chronology('dsl', pupilId);
      const restrictiveEntries = about(entries, records[restrictive]!);
      expect(restrictiveEntries.map((entry) => entry.kind).sort()).toEqual(['restrictive-report', 'restrictive.intervention.recorded']);
      expect(restrictiveEntries).toContainEqual(expect.objectContaining({ kind: 'restrictive-report', outcome: 'sent' }));
      const restorativeEntries = about(entries, records[restorative]!);
      expect(restorativeEntries.map((entry) => entry.kind).sort()).toEqual(['notification', 'restorative.session.recorded']);
      expect(restorativeEntries).toContainEqual(
        expect.objectContaining({ kind: 'notification', ...(pupilId === 'P-SG' ? { reason: 'linked-safeguarding' } : { status: 'sent' }) }),
      );
    });
  }
});
