import { describe, expect, it, vi } from 'vitest';
import { addDays, weekStart } from '../../shared/domain/calendar';
import { PermanentMailError, type BusEvent, type MailMessage, type SchoolProfile } from '../../shared/ports';
import { runSchoolRollup, runTrustSummary, type SchoolRollupDeps } from '../../shared/services/rollups';
import { MemoryStore } from '../support/memory-rollup-store';

/**
 * The rollup use cases over an in-memory store: what is read (and how much), when the
 * leaders' email goes out, and the trust summary's once-only send. The DynamoDB store's own
 * conditions are exercised against DynamoDB Local in test/integration/rollup.test.ts.
 */
const school = (schoolId: string, leaders = [`head@${schoolId}.example.org`]): SchoolProfile => ({
  schoolId,
  name: `School ${schoolId}`,
  leaders,
  timezone: 'Europe/London',
  createdAt: '2026-09-01T00:00:00Z',
});

function setup(options: { schools?: SchoolProfile[]; trustLeaders?: string[]; send?: (message: MailMessage) => Promise<{ messageId: string }> } = {}) {
  const store = new MemoryStore();
  const schools = options.schools ?? [school('oak')];
  const sent: MailMessage[] = [];
  const published: BusEvent[] = [];
  const deps: SchoolRollupDeps = {
    rollups: store,
    schools: { get: async (id) => schools.find((s) => s.schoolId === id), list: async () => schools, create: async () => false },
    publisher: { publish: async (events) => void published.push(...events) },
    mailer: {
      send: async (message) => {
        const result = options.send ? await options.send(message) : { messageId: `m${sent.length + 1}` };
        sent.push(message);
        return result;
      },
    },
    clock: { now: () => new Date('2026-12-01T09:00:00Z') },
    settings: { trustLeaders: options.trustLeaders ?? ['ceo@trust.example.org'], trustName: 'Test Trust' },
  };
  return { store, deps, sent, published };
}

/** A week of marks for P1: present except `absent` unauthorised sessions. */
function register(store: MemoryStore, schoolId: string, week: string, absent = 0) {
  const marks = Array.from({ length: 10 }, (_, index) => ({
    pupilId: 'P1',
    date: addDays(weekStart(week), Math.floor(index / 2)),
    session: index % 2 ? 'PM' : 'AM',
    code: index < absent ? 'N' : '/',
  }));
  store.records.set(`${schoolId}#${week}`, { marks, interventions: [], restorative: [], incidents: [], notifications: [] });
}
const request = (schoolId: string, week: string, sendEmail = true) => ({ schoolId, week, sendEmail });

describe('the cost of a rollup does not grow with the weeks before it', () => {
  it('reads only its own week once last week is stored, every week of the term', async () => {
    const { store, deps } = setup();
    for (let n = 36; n <= 51; n++) register(store, 'oak', `2026-W${n}`, n % 3);
    await runSchoolRollup(deps, request('oak', '2026-W36', false));
    for (let n = 37; n <= 51; n++) {
      store.reads = [];
      const { foldedWeeks } = await runSchoolRollup(deps, request('oak', `2026-W${n}`, false));
      expect(foldedWeeks).toBe(0);
      expect(store.reads).toEqual([{ week: `2026-W${n}`, full: true }]);
    }
  });

  it("rebuilds a gap from the academic year's records (bounded), and gets the chain's figures", async () => {
    const chained = setup();
    const rebuilt = setup();
    for (const { store } of [chained, rebuilt]) for (let n = 36; n <= 48; n++) register(store, 'oak', `2026-W${n}`, n % 4);
    for (let n = 36; n <= 48; n++) await runSchoolRollup(chained.deps, request('oak', `2026-W${n}`, false));
    const { figures, foldedWeeks } = await runSchoolRollup(rebuilt.deps, request('oak', '2026-W48', false));
    expect(foldedWeeks).toBe(12); // 2026-W36 … 2026-W47
    // Only last week is read in full (for its incidents and notifications: the change from last week).
    expect(rebuilt.store.reads.filter((read) => read.full).map((read) => read.week)).toEqual(['2026-W47', '2026-W48']);
    expect(figures).toStrictEqual(chained.store.figures.get('oak#2026-W48'));
  });
});

describe("the leaders' email", () => {
  it("goes once to the school's leaders; a re-run stores the same figures and sends nothing", async () => {
    const { store, deps, sent, published } = setup({ schools: [school('oak', ['head@oak.example.org', 'deputy@oak.example.org'])] });
    register(store, 'oak', '2026-W48', 2);
    const first = await runSchoolRollup(deps, request('oak', '2026-W48'));
    const second = await runSchoolRollup(deps, request('oak', '2026-W48'));
    expect([first.email, second.email]).toEqual(['sent', 'already-sent']);
    expect(second.figures).toStrictEqual(first.figures);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: ['head@oak.example.org', 'deputy@oak.example.org'],
      category: 'leader-summary',
      subject: 'Weekly summary for School oak: week 48 (23–29 November 2026)',
    });
    // Every run announces its completion (the trust summary decides what that means).
    expect(published).toEqual([
      { source: 'tracker.rollups', detailType: 'rollup.completed', detail: { schoolId: 'oak', week: '2026-W48' } },
      { source: 'tracker.rollups', detailType: 'rollup.completed', detail: { schoolId: 'oak', week: '2026-W48' } },
    ]);
  });

  it('a failed send frees the claim and fails the run (the bus retries), and the retry sends', async () => {
    let fail = true;
    const { store, deps, sent, published } = setup({
      send: async () => {
        if (fail) throw new Error('SES throttled');
        return { messageId: 'ok' };
      },
    });
    register(store, 'oak', '2026-W48');
    await expect(runSchoolRollup(deps, request('oak', '2026-W48'))).rejects.toThrow('SES throttled');
    expect(published).toHaveLength(0);
    fail = false;
    expect((await runSchoolRollup(deps, request('oak', '2026-W48'))).email).toBe('sent');
    expect(sent).toHaveLength(1);
  });

  it('a permanent rejection is recorded, not retried, and the rollup still completes', async () => {
    const { store, deps, published } = setup({ send: async () => Promise.reject(new PermanentMailError('address rejected')) });
    const failed = vi.spyOn(store, 'markEmailFailed');
    register(store, 'oak', '2026-W48');
    expect((await runSchoolRollup(deps, request('oak', '2026-W48'))).email).toBe('rejected');
    expect(failed).toHaveBeenCalledOnce();
    expect(published).toHaveLength(1);
  });

  it('a week that has not ended yet: the figures so far, no email and no rollup.completed (contract v2)', async () => {
    const { store, deps, sent, published } = setup(); // the clock is Tuesday 2026-12-01, in 2026-W49
    register(store, 'oak', '2026-W49', 2);
    const run = await runSchoolRollup(deps, request('oak', '2026-W49'));
    expect(run.email).toBe('week-not-ended');
    expect(run.figures.attendance.absentSessions).toBe(2);
    expect(sent).toHaveLength(0);
    expect(published).toHaveLength(0);
    expect(store.figures.get('oak#2026-W49')).toEqual(run.figures);
  });

  it('a trust summary SES refuses for good is recorded as rejected and not released for a retry', async () => {
    const { deps, store } = setup({ send: async () => Promise.reject(new PermanentMailError('address rejected')) });
    register(store, 'oak', '2026-W48');
    await runSchoolRollup({ ...deps, mailer: { send: async () => ({ messageId: 'm' }) } }, request('oak', '2026-W48'));
    const released = vi.spyOn(store, 'releaseTrustSummary');
    const failed = vi.spyOn(store, 'markTrustSummaryFailed');
    expect(await runTrustSummary(deps, '2026-W48')).toEqual({ status: 'rejected' });
    expect(failed).toHaveBeenCalledOnce();
    expect(released).not.toHaveBeenCalled();
  });

  it('sendEmail: false stores without emailing; a school without leaders is skipped', async () => {
    const { store, deps, sent } = setup({ schools: [school('oak'), school('nobody', [])] });
    expect((await runSchoolRollup(deps, request('oak', '2026-W48', false))).email).toBe('not-requested');
    expect((await runSchoolRollup(deps, request('nobody', '2026-W48'))).email).toBe('no-leaders');
    expect(sent).toHaveLength(0);
    expect(store.figures.size).toBe(2);
  });

  it('refuses an unknown school or a malformed week', async () => {
    const { deps } = setup();
    await expect(runSchoolRollup(deps, request('elm', '2026-W48'))).rejects.toThrow('no school with id elm');
    await expect(runSchoolRollup(deps, request('oak', '2026-W99'))).rejects.toThrow('not an ISO week');
  });
});

describe('the trust summary', () => {
  it('waits until every school has a rollup of the week, then sends one, once, however many completions race', async () => {
    const { deps, sent } = setup({ schools: [school('oak'), school('elm')] });
    await runSchoolRollup(deps, request('oak', '2026-W48', false));
    expect(await runTrustSummary(deps, '2026-W48')).toEqual({ status: 'waiting', missing: ['elm'] });
    await runSchoolRollup(deps, request('elm', '2026-W48', false));
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => runTrustSummary(deps, '2026-W48')));
    expect(outcomes.filter((outcome) => outcome.status === 'sent')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'already-sent')).toHaveLength(4);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: ['ceo@trust.example.org'],
      category: 'trust-summary',
      subject: 'Test Trust weekly summary: week 48 (23–29 November 2026)',
    });
    expect(sent[0]!.html).toContain('School oak');
    expect(sent[0]!.html).toContain('School elm');
  });

  it('at the Monday-noon deadline goes without the schools still missing, naming them, once', async () => {
    const { deps, sent } = setup({ schools: [school('oak'), school('elm')] });
    await runSchoolRollup(deps, request('oak', '2026-W48', false));
    // 2026-12-01 09:00 is Tuesday in London: W48's deadline (Monday 30 November, 12:00) has passed.
    expect(await runTrustSummary(deps, '2026-W48', { atDeadline: true })).toEqual({ status: 'sent', schools: 1, missing: ['elm'] });
    expect(sent[0]!.text).toContain('NOT IN THIS SUMMARY');
    expect(sent[0]!.text).toContain('No figures by Monday noon from 1 school: School elm.');
    expect(sent[0]!.html).toContain('Not in this summary');
    // The late school's completion does not send a second summary.
    await runSchoolRollup(deps, request('elm', '2026-W48', false));
    expect(await runTrustSummary(deps, '2026-W48')).toEqual({ status: 'already-sent' });
    expect(sent).toHaveLength(1);
  });

  it('at a deadline that has not passed for a missing school (its timezone is behind), keeps waiting', async () => {
    const { deps, sent } = setup({ schools: [school('oak'), { ...school('la'), timezone: 'America/Los_Angeles' }] });
    deps.clock = { now: () => new Date('2026-11-30T12:00:00Z') }; // Monday noon in London, 04:00 in Los Angeles
    await runSchoolRollup(deps, request('oak', '2026-W48', false));
    expect(await runTrustSummary(deps, '2026-W48', { atDeadline: true })).toEqual({ status: 'waiting', missing: ['la'] });
    expect(sent).toHaveLength(0);
  });

  it('is skipped with a log when no trust leaders are configured', async () => {
    const { deps, sent, store } = setup({ trustLeaders: [] });
    await runSchoolRollup(deps, request('oak', '2026-W48', false));
    expect(await runTrustSummary(deps, '2026-W48')).toEqual({ status: 'no-trust-leaders' });
    expect(sent).toHaveLength(0);
    expect(store.trust.size).toBe(0);
  });

  it('a failed send frees the claim for the retry', async () => {
    let fail = true;
    const { deps, sent } = setup({ send: async () => (fail ? Promise.reject(new Error('down')) : { messageId: 'ok' }) });
    await runSchoolRollup(deps, request('oak', '2026-W48', false));
    await expect(runTrustSummary(deps, '2026-W48')).rejects.toThrow('down');
    fail = false;
    expect(await runTrustSummary(deps, '2026-W48')).toEqual({ status: 'sent', schools: 1 });
    expect(sent).toHaveLength(1);
  });
});
