import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { rollupKey } from '../../shared/domain/keys';
import type { RollupFigures } from '../../shared/domain/rollup/types';
import { attendanceMark, incident, pupil, restorativeSession } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Issue 11 end to end over HTTP (signed webhook → DynamoDB Local → stream → bus → functions
 * → outbox): notices stay right when the past changes. Each test fails on the code before
 * the issue (see the comment above each).
 */
// Tuesday 1 December 2026, 09:00 in London: no scheduled rollup fires (that is Monday 07:00).
const clock = { now: () => new Date('2026-12-01T09:00:00Z') };
const today = '2026-12-01';

let stack: TestStack;
let secret: string;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  secret = await stack.addSchool({ schoolId: 'ash', name: 'Ash Academy', dslEmail: 'dsl@ash.example.org' });
});
afterAll(() => stack?.cleanup());

async function post(events: unknown[]) {
  const response = await stack.post('ash', secret, { events });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await stack.flush();
}
const mailTo = async (address: string) => (await stack.outbox()).filter((entry) => entry.to.includes(address));
const decisionsOf = async (pupilId: string) => (await readPupilRecords(stack.adapters.table, 'ash', pupilId, today)).notifications;
const family = (pupilId: string, email: string) =>
  pupil({ pupilId, data: { contacts: [{ contactId: 'C1', name: 'Sam Taylor', relationship: 'mother', parentalResponsibility: true, email, notify: true }] } });

describe('safeguarding is sticky (part 3)', () => {
  // Before: the amendment was judged alone, so the parent got a detention notice and the DSL nothing.
  it('an amendment that leaves the flag out tells no parent, and the DSL sees it', async () => {
    await post([family('P-ST', 'mum.st@example.org')]);
    const happenedAt = '2026-12-01T08:00:00Z';
    await post([
      incident({ pupilId: 'P-ST', occurredAt: happenedAt, data: { incidentId: 'INC-ST', category: 'disclosure', severity: 4, safeguardingConcern: true } }),
    ]);
    const amended = incident({
      pupilId: 'P-ST',
      occurredAt: '2026-12-01T08:40:00Z',
      data: {
        incidentId: 'INC-ST',
        happenedAt,
        category: 'disclosure',
        severity: 4,
        detention: { date: '2026-12-02', minutes: 30 },
        physicalIntervention: { used: true, injury: false },
      },
    });
    await post([amended]);

    expect(await mailTo('mum.st@example.org')).toHaveLength(0);
    const alerts = await mailTo('dsl@ash.example.org');
    expect(alerts.filter((alert) => alert.text.includes('INC-ST'))).toHaveLength(2);
    expect(alerts.at(-1)!.text).toContain('amended version');
    const decisions = (await decisionsOf('P-ST')).filter((decision) => decision.eventId === amended.eventId);
    expect(decisions.map((decision) => [decision.kind, decision.status, decision.reason ?? null]).sort()).toEqual([
      ['dsl-alert', 'sent', null],
      ['force', 'suppressed', 'safeguarding'],
    ]);
  });

  // Before: the restorative summary went to the parents of an incident the DSL was handling.
  it('a restorative session linked to such an incident sends no summary, and says why', async () => {
    await post([family('P-RL', 'mum.rl@example.org')]);
    await post([incident({ pupilId: 'P-RL', occurredAt: '2026-12-01T08:00:00Z', data: { incidentId: 'INC-RL', safeguardingConcern: true } })]);
    const session = restorativeSession({
      data: {
        date: today,
        incidentId: 'INC-RL',
        participants: [
          { pupilId: 'P-RL', role: 'harmed' },
          { staffId: 'S1', role: 'facilitator' },
        ],
        summaryForParents: 'We talked it through.',
      },
    });
    await post([session]);
    expect(await mailTo('mum.rl@example.org')).toHaveLength(0);
    expect((await decisionsOf('P-RL')).filter((decision) => decision.eventId === session.eventId)).toEqual([
      expect.objectContaining({ kind: 'restorative', status: 'suppressed', reason: 'linked-safeguarding', recipient: { contactId: 'none' } }),
    ]);
  });
});

describe('an absence notice already sent, then the mark is corrected (part 4)', () => {
  // Before: a corrected mark was not routed to notify-parents at all: no correction, no decision.
  it('corrected to present: the family told "absent" gets one short correction', async () => {
    await post([family('P-CP', 'mum.cp@example.org')]);
    await post([attendanceMark({ pupilId: 'P-CP', date: today, code: 'N', occurredAt: `${today}T08:50:00Z` })]);
    expect(await mailTo('mum.cp@example.org')).toEqual([expect.objectContaining({ subject: 'Ash Academy: Alex is absent today' })]);
    const corrected = attendanceMark({ pupilId: 'P-CP', date: today, code: '/', occurredAt: `${today}T09:20:00Z` });
    await post([corrected]);
    const mail = await mailTo('mum.cp@example.org');
    expect(mail).toHaveLength(2);
    expect(mail[1]!.subject).toBe("Ash Academy: correction about Alex's attendance on Tuesday 1 December 2026");
    expect(mail[1]!.text).toContain('Our records now show Alex was in school for that session');
    expect((await decisionsOf('P-CP')).filter((decision) => decision.eventId === corrected.eventId)).toEqual([
      expect.objectContaining({ kind: 'absence-correction', status: 'sent', dedupKey: `absence-correction#${today}` }),
    ]);
  });

  it('corrected to an authorised code: nothing more is sent, and the decision is recorded', async () => {
    await post([family('P-CA', 'mum.ca@example.org')]);
    await post([attendanceMark({ pupilId: 'P-CA', date: today, code: 'N', occurredAt: `${today}T08:50:00Z` })]);
    const authorised = attendanceMark({ pupilId: 'P-CA', date: today, code: 'I', occurredAt: `${today}T10:05:00Z` });
    await post([authorised]);
    expect(await mailTo('mum.ca@example.org')).toHaveLength(1);
    expect((await decisionsOf('P-CA')).filter((decision) => decision.eventId === authorised.eventId)).toEqual([
      expect.objectContaining({ kind: 'absence-correction', status: 'suppressed', reason: 'absence-now-authorised', recipient: { contactId: 'none' } }),
    ]);
  });
});

const rollup = (schoolId: string, week: string) =>
  stack.invoke('rollup-school', {
    source: 'tracker.rollups',
    'detail-type': 'rollup.requested',
    detail: { schoolId, week, sendEmail: true },
  }) as Promise<RollupFigures>;

describe('amended incidents count once (part 2)', () => {
  // Before: the amendment was filed under the week it was recorded (W48) and counted there again.
  it('every version is filed under the week it happened; the latest version is the one counted', async () => {
    const birch = await stack.addSchool({ schoolId: 'birch' });
    const happenedAt = '2026-11-18T10:00:00Z'; // Wednesday of week 47
    const versions = [
      incident({ pupilId: 'P-AM', occurredAt: happenedAt, data: { incidentId: 'INC-AM', category: 'disruption', severity: 2 } }),
      // Re-sent the next week with more detail: a later occurredAt, the same happenedAt.
      incident({
        pupilId: 'P-AM',
        occurredAt: '2026-11-24T16:00:00Z',
        data: { incidentId: 'INC-AM', happenedAt, category: 'physical aggression', severity: 4 },
      }),
    ];
    expect((await stack.post('birch', birch, { events: versions })).status).toBe(200);
    await stack.flush();
    const w47 = await rollup('birch', '2026-W47');
    const w48 = await rollup('birch', '2026-W48');
    expect(w47.incidents).toMatchObject({ total: 1, byCategory: { 'physical aggression': 1 }, bySeverity: { '4': 1 } });
    expect(w48.incidents).toMatchObject({ total: 0, previousWeekTotal: 1 });
  });
});

describe('late corrections are folded in (part 1)', () => {
  // Before: week 46's figures kept the N, week 47's year-to-date carried it on, and no one was told.
  it('a register corrected after its week was rolled up revises that week, and the next email says so', async () => {
    const cedar = await stack.addSchool({ schoolId: 'cedar', leaders: ['head@cedar.example.org'] });
    const post = async (events: unknown[]) => {
      expect((await stack.post('cedar', cedar, { events })).status).toBe(200);
      await stack.flush();
    };
    const monday46 = '2026-11-09';
    await post([attendanceMark({ pupilId: 'P-LC', date: monday46, code: 'N', occurredAt: `${monday46}T08:50:00Z` })]);
    const before = await rollup('cedar', '2026-W46');
    expect(before.attendance).toMatchObject({ unauthorisedAbsentSessions: 1, authorisedAbsentSessions: 0 });

    // Week 47's register, then on Tuesday 1 December the note arrives: Monday 9th's N becomes I.
    await post([attendanceMark({ pupilId: 'P-LC', date: '2026-11-16', code: '/', occurredAt: '2026-11-16T08:50:00Z' })]);
    await post([attendanceMark({ pupilId: 'P-LC', date: monday46, code: 'I', occurredAt: '2026-12-01T08:55:00Z' })]);
    const w47 = await rollup('cedar', '2026-W47');

    expect(w47.attendance.yearToDate).toMatchObject({ authorisedAbsentSessions: 1, unauthorisedAbsentSessions: 0 });
    const w46 = (
      await stack.adapters.table.client.send(
        new GetCommand({ TableName: stack.adapters.table.tableName, Key: rollupKey('cedar', '2026-W46'), ConsistentRead: true }),
      )
    ).Item!;
    expect(w46.figures.attendance).toMatchObject({ unauthorisedAbsentSessions: 0, authorisedAbsentSessions: 1 });
    const [email] = (await mailTo('head@cedar.example.org')).filter((entry) => entry.subject.includes('week 47'));
    expect(email!.text).toContain('REVISED FIGURES');
    expect(email!.text).toContain('Week 46: Monday 9 – Sunday 15 November 2026');
    expect(email!.html).toContain('Revised figures');
  });
});
