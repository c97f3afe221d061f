import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupSource } from '../../events/bus';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { addDays, isoWeekOf } from '../../shared/domain/calendar';
import { attendanceMarkKey, journalKey, notificationPrefix, pupilPartition, pupilProfileKey, rollupKey } from '../../shared/domain/keys';
import { expiresAt, retentionYears, type RetainedRecord } from '../../shared/domain/retention';
import { pupilExport } from '../../shared/services/pupil-export';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Data protection (docs/data-protection.md): every record kind the system stores carries a
 * TTL (`expiresAt`) matching the retention table, and the subject access export holds every
 * kind of record about the pupil. One event of every type is posted, the notifiers and the
 * weekly rollup run, then everything is read back by GetItem/Query and through the export.
 */
let stack: TestStack;
let secret: string;
const pupilId = 'DP1';
const now = new Date();
const today = now.toISOString().slice(0, 10);
const lastWeek = addDays(today, -7);
const at = now.toISOString();
const ref = () => stack.adapters.table;

const contacts = [
  {
    contactId: 'C1',
    name: 'Rowan Carer',
    relationship: 'mother',
    parentalResponsibility: true,
    email: 'rowan.carer@example.org',
    phone: '07700 900111',
    notify: true,
  },
];
const events = {
  roster: {
    eventId: 'dp-roster',
    type: 'pupil.upserted',
    occurredAt: at,
    pupilId,
    data: { firstName: 'Ada', lastName: 'Pupil', yearGroup: '8', dateOfBirth: '2013-04-01', contacts },
  },
  markToday: { eventId: 'dp-mark-today', type: 'attendance.marked', occurredAt: at, pupilId, data: { date: today, session: 'AM', code: 'N' } },
  markOld: {
    eventId: 'dp-mark-old',
    type: 'attendance.marked',
    occurredAt: `${lastWeek}T08:50:00Z`,
    pupilId,
    data: { date: lastWeek, session: 'PM', code: 'N' },
  },
  markCorrection: {
    eventId: 'dp-mark-fix',
    type: 'attendance.marked',
    occurredAt: `${lastWeek}T13:30:00Z`,
    pupilId,
    data: { date: lastWeek, session: 'PM', code: 'L', minutesLate: 10 },
  },
  started: {
    eventId: 'dp-int-start',
    type: 'intervention.started',
    occurredAt: at,
    pupilId,
    data: {
      interventionId: 'INT-DP',
      kind: 'mentoring',
      title: 'Mentoring',
      staffId: 'S1',
      startDate: lastWeek,
      targets: [{ targetId: 'T1', area: 'social', description: 'Joins in', baseline: 2, goal: 6 }],
    },
  },
  session: {
    eventId: 'dp-int-session',
    type: 'intervention.session.recorded',
    occurredAt: at,
    pupilId,
    data: { interventionId: 'INT-DP', sessionId: 'SES1', date: today, durationMinutes: 30, attended: true, notes: 'staff only' },
  },
  ended: {
    eventId: 'dp-int-end',
    type: 'intervention.ended',
    occurredAt: at,
    pupilId,
    data: { interventionId: 'INT-DP', endDate: today, outcome: 'achieved' },
  },
  restorativeFirst: {
    eventId: 'dp-rs-1',
    type: 'restorative.session.recorded',
    occurredAt: at,
    data: {
      sessionId: 'RS1',
      date: today,
      format: 'conversation',
      participants: [
        { pupilId, role: 'harmed' },
        { staffId: 'S1', role: 'facilitator' },
      ],
      summaryForParents: 'Talked it through.',
    },
  },
  restorativeLinked: {
    eventId: 'dp-rs-2',
    type: 'restorative.session.recorded',
    occurredAt: at,
    data: {
      sessionId: 'RS2',
      date: today,
      format: 'circle',
      participants: [
        { pupilId: 'DP2', role: 'responsible' },
        { pupilId, role: 'harmed' },
      ],
    },
  },
  force: {
    eventId: 'dp-force',
    type: 'incident.recorded',
    occurredAt: at,
    pupilId,
    data: { incidentId: 'I1', category: 'assault', severity: 4, physicalIntervention: { used: true, injury: false }, detention: { date: today, minutes: 30 } },
  },
  safeguarding: {
    eventId: 'dp-safeguarding',
    type: 'incident.recorded',
    occurredAt: at,
    pupilId,
    data: { incidentId: 'I2', category: 'welfare', severity: 5, safeguardingConcern: true },
  },
  restrictive: {
    eventId: 'dp-restrictive',
    type: 'restrictive.intervention.recorded',
    occurredAt: at,
    pupilId,
    data: {
      recordId: 'R1',
      incidentId: 'I1',
      types: ['restraint'],
      startedAt: at,
      durationMinutes: 3,
      location: 'hall',
      staffIds: ['S1'],
      antecedents: 'a',
      deEscalation: 'b',
      reason: 'c',
      injuries: { pupil: false, staff: false },
      parentReport: 'send',
      notes: 'staff only',
    },
  },
  sdq: {
    eventId: 'dp-sdq',
    type: 'outcome.measure.recorded',
    occurredAt: at,
    pupilId,
    data: { measureId: 'M1', instrument: 'sdq_teacher', date: today, scores: { emotional: 4, conduct: 3, hyperactivity: 6, peer: 2, prosocial: 7 } },
  },
};

const retentionOf: Record<string, RetainedRecord> = {
  'pupil.upserted': 'rosterReceipt',
  'attendance.marked': 'attendanceMark',
  'intervention.started': 'interventionRecord',
  'intervention.session.recorded': 'interventionRecord',
  'intervention.ended': 'interventionRecord',
  'restorative.session.recorded': 'restorativeRecord',
  'incident.recorded': 'incident',
  'restrictive.intervention.recorded': 'restrictiveIntervention',
  'outcome.measure.recorded': 'outcomeMeasure',
};

beforeAll(async () => {
  stack = await startTestStack();
  secret = await stack.addSchool({ schoolId: 'oak', dslEmail: 'dsl@oak.example.org' });
  expect((await stack.post('oak', secret, { events: [events.roster] })).status).toBe(200);
  const { roster, markCorrection, ...rest } = events;
  expect((await stack.post('oak', secret, { events: Object.values(rest) })).status).toBe(200);
  expect((await stack.post('oak', secret, { events: [markCorrection] })).status).toBe(200);
  await stack.flush();
  await stack.invoke('rollup-school', {
    version: '0',
    id: 'dp-rollup',
    'detail-type': 'rollup.requested',
    source: rollupSource,
    account: '0',
    time: at,
    region: 'local',
    resources: [],
    detail: { schoolId: 'oak', week: isoWeekOf(today), sendEmail: false },
  });
  await stack.flush();
});
afterAll(() => stack?.cleanup());

const get = async (key: { pk: string; sk: string }) =>
  (await ref().client.send(new GetCommand({ TableName: ref().tableName, Key: key, ConsistentRead: true }))).Item as Record<string, any> | undefined;
const query = async (pk: string, prefix?: string) =>
  ((
    await ref().client.send(
      new QueryCommand({
        TableName: ref().tableName,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
        ConsistentRead: true,
      }),
    )
  ).Items ?? []) as Record<string, any>[];
const yearsAhead = (epochSeconds: number) => (epochSeconds * 1000 - now.getTime()) / (365.25 * 86_400_000);

describe('TTL on every record kind, per the retention table', () => {
  it('journal items, marks, participant links and the profile: expiresAt = date + the period for their kind (GetItem/Query)', async () => {
    for (const event of Object.values(events).filter((candidate) => candidate.type !== 'attendance.marked')) {
      const item = await get(journalKey('oak', event.eventId));
      expect(item, event.eventId).toBeDefined();
      expect(item!.expiresAt, event.eventId).toBe(expiresAt(retentionOf[event.type]!, item!.date));
    }
    for (const [date, session] of [
      [today, 'AM'],
      [lastWeek, 'PM'],
    ] as const) {
      const mark = await get(attendanceMarkKey('oak', isoWeekOf(date), pupilId, date, session));
      expect(mark?.expiresAt, `${date} ${session}`).toBe(expiresAt('attendanceMark', date));
      expect(Math.round(yearsAhead(mark!.expiresAt))).toBe(retentionYears.attendanceMark);
    }
    const [link] = (await query(journalKey('oak', events.restorativeLinked.eventId).pk)).filter((item) => item.recordKind === 'participant');
    expect(link).toMatchObject({ pupilId, expiresAt: expiresAt('restorativeRecord', today) });
    const profile = await get(pupilProfileKey('oak', pupilId));
    expect(profile?.expiresAt).toBe(expiresAt('pupilProfile', today));
  });

  it('notification decisions and rollups carry a TTL too', async () => {
    const decisions = await query(pupilPartition('oak', pupilId), notificationPrefix);
    const rollup = await get(rollupKey('oak', isoWeekOf(today)));
    expect(decisions.length > 0 || rollup !== undefined, 'notifications or a rollup are written').toBe(true);
    for (const decision of decisions) {
      expect(Number.isInteger(decision.expiresAt), decision.sk).toBe(true);
      expect(yearsAhead(decision.expiresAt), decision.sk).toBeGreaterThanOrEqual(retentionYears.notificationDecision - 0.1);
    }
    if (rollup) expect(Math.round(yearsAhead(rollup.expiresAt))).toBe(retentionYears.rollup);
  });

  it('sweep of the whole table (test oracle, a Scan): every item but the school registry has a future expiresAt', async () => {
    const kinds = new Map<string, number>();
    const missing: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await ref().client.send(new ScanCommand({ TableName: ref().tableName, ExclusiveStartKey: start, ConsistentRead: true }));
      for (const item of page.Items ?? []) {
        const kind = String(item.recordKind);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        // The school's profile and (locally) its webhook secret live as long as the school is registered.
        if (kind === 'school' || kind === 'secret') continue;
        if (!Number.isInteger(item.expiresAt) || item.expiresAt * 1000 <= now.getTime()) missing.push(`${kind} ${item.pk} ${item.sk}: ${item.expiresAt}`);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    expect(missing).toEqual([]);
    for (const kind of ['pupil', 'event', 'participant']) expect(kinds.get(kind), kind).toBeGreaterThan(0);
    console.info('[figures] TTL sweep', JSON.stringify(Object.fromEntries(kinds)));
  });
});

describe('subject access export', () => {
  it('holds every kind of record about the pupil, each with its expiry', async () => {
    const exported = pupilExport('oak', pupilId, await readPupilRecords(ref(), 'oak', pupilId, today), now);
    expect(exported.pupil).toMatchObject({ firstName: 'Ada', lastName: 'Pupil', contacts: [expect.objectContaining({ email: 'rowan.carer@example.org' })] });
    expect(exported.attendance.map((mark) => [mark.date, mark.code, [...(mark.eventIds as string[])].sort()])).toEqual([
      [lastWeek, 'L', ['dp-mark-fix', 'dp-mark-old']],
      [today, 'N', ['dp-mark-today']],
    ]);
    expect(exported.interventions).toEqual([
      expect.objectContaining({
        interventionId: 'INT-DP',
        started: expect.objectContaining({ eventId: 'dp-int-start' }),
        sessions: [expect.objectContaining({ eventId: 'dp-int-session' })],
        ended: expect.objectContaining({ eventId: 'dp-int-end' }),
      }),
    ]);
    // Both restorative sessions: the one naming the pupil first, and the one reached through its participant link.
    expect(exported.restorativeSessions.map((session) => session.eventId).sort()).toEqual(['dp-rs-1', 'dp-rs-2']);
    expect(exported.incidents.map((incident) => incident.eventId).sort()).toEqual(['dp-force', 'dp-safeguarding']);
    expect(exported.rosterUpdates.map((update) => update.eventId)).toEqual(['dp-roster']);
    expect(exported.restrictiveInterventions.map((record) => record.eventId)).toEqual(['dp-restrictive']);
    expect(exported.outcomeMeasures.map((measure) => [measure.eventId, measure.totalDifficulties, (measure.bands as { total: string }).total])).toEqual([
      ['dp-sdq', 15, 'slightly_raised'],
    ]);
    const records = [
      exported.pupil!,
      ...exported.attendance,
      ...exported.restorativeSessions,
      ...exported.incidents,
      ...exported.rosterUpdates,
      ...exported.notifications,
      ...exported.restrictiveInterventions,
      ...exported.outcomeMeasures,
    ];
    for (const record of records) expect(Number.isInteger(record.expiresAt), JSON.stringify(record).slice(0, 120)).toBe(true);
    // Internal keys stay out of the export.
    expect(JSON.stringify(exported)).not.toMatch(/"(pk|sk|gsi1pk|gsi1sk|gsi2pk|gsi2sk)":/);
    console.info(
      '[figures] SAR export',
      JSON.stringify({
        attendance: exported.attendance.length,
        interventions: exported.interventions.length,
        restorative: exported.restorativeSessions.length,
        incidents: exported.incidents.length,
        rosterUpdates: exported.rosterUpdates.length,
        notifications: exported.notifications.length,
      }),
    );
  });

  it('the notification decisions about the pupil are in the export', async () => {
    const exported = pupilExport('oak', pupilId, await readPupilRecords(ref(), 'oak', pupilId, today), now);
    expect(exported.notifications.length, 'notify-parents recorded decisions').toBeGreaterThan(0);
    const direct = await query(pupilPartition('oak', pupilId), notificationPrefix);
    expect(exported.notifications).toHaveLength(direct.length);
  });

  // readPupilRecords reads attendance weeks up to a year ahead, so planned absences are exported.
  it('a mark entered ahead for a future date (a planned absence) is in the export too', async () => {
    const future = addDays(today, 28);
    const planned = { eventId: 'dp-mark-planned', type: 'attendance.marked', occurredAt: at, pupilId, data: { date: future, session: 'AM', code: 'M' } };
    expect((await stack.post('oak', secret, { events: [planned] })).body.results[0].status).toBe('accepted');
    const exported = pupilExport('oak', pupilId, await readPupilRecords(ref(), 'oak', pupilId, today), now);
    expect(exported.attendance.map((mark) => mark.date)).toContain(future);
  });
});
