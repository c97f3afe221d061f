import { describe, expect, it } from 'vitest';
import type { StoredEventDetail } from '../../events/bus';
import { parseEvent } from '../../events/catalogue';
import type { IncidentVersion } from '../../shared/domain/incident-versions';
import { busEventForStoredItem } from '../../shared/domain/stored-events';
import { planWrite } from '../../shared/domain/records';
import {
  PermanentMailError,
  type ClaimResult,
  type MailMessage,
  type Mailer,
  type NotificationDecisionItem,
  type NotificationStore,
  type SchoolProfile,
} from '../../shared/ports';
import { alertDslOfEvent, notifyParentsOfEvent, type NotificationDeps } from '../../shared/services/notifications';
import { attendanceMark, incident, pupil } from '../support/events';

/**
 * The exactly-once protocol (claim → send → mark sent) against an in-memory store with the
 * same conditional semantics as the DynamoDB adapter (integration tests run the real one).
 */
class MemoryStore implements NotificationStore {
  items = new Map<string, Record<string, unknown>>();
  failMarkSent = false;
  private id = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;

  async claim(item: NotificationDecisionItem): Promise<ClaimResult> {
    const existing = this.items.get(this.id(item));
    if (existing && existing.status !== 'retryable') return { claimed: false, existing: { ...existing } };
    this.items.set(this.id(item), { ...item });
    return { claimed: true };
  }
  async markSent(key: { pk: string; sk: string }, result: { messageId: string; sentAt: string }) {
    if (this.failMarkSent) throw new Error('crashed after sending');
    Object.assign(this.items.get(this.id(key))!, { status: 'sent', ...result });
  }
  async markFailed(key: { pk: string; sk: string }, failure: Record<string, unknown>) {
    Object.assign(this.items.get(this.id(key))!, failure);
  }
  all() {
    return [...this.items.values()];
  }
}

class FakeMailer implements Mailer {
  sent: MailMessage[] = [];
  attempts = 0;
  failures: (Error | undefined)[] = [];
  async send(message: MailMessage) {
    this.attempts++;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}

const school: SchoolProfile = {
  schoolId: 'oak',
  name: 'Oak Primary',
  leaders: ['head@oak.example.org'],
  timezone: 'Europe/London',
  createdAt: '2026-01-01T00:00:00Z',
};

function setup(options: { now?: string; school?: Partial<SchoolProfile> } = {}) {
  const records = new Map<string, Record<string, unknown>>();
  const store = new MemoryStore();
  const mailer = new FakeMailer();
  const profile = { ...school, ...options.school };
  const deps: NotificationDeps = {
    notifications: store,
    mailer,
    clock: { now: () => new Date(options.now ?? '2026-11-23T09:00:00Z') },
    schools: { get: async (id) => (id === profile.schoolId ? profile : undefined), create: async () => true, list: async () => [profile] },
    notificationReads: {
      storedRecord: async (key) => records.get(`${key.pk}|${key.sk}`),
      pupilProfile: async (schoolId, pupilId) => records.get(`SCHOOL#${schoolId}#PUPIL#${pupilId}|PROFILE`),
      interventionKind: async () => undefined,
      incidentVersions: async (_schoolId, incidentId) =>
        [...records.values()].filter((item) => item.recordKind === 'incident-version' && item.incidentId === incidentId) as unknown as IncidentVersion[],
    },
  };
  /** Stores the event as ingest would; returns the bus detail the stream would publish. */
  const put = (raw: unknown): StoredEventDetail => {
    const parsed = parseEvent(raw);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const plan = planWrite(parsed.event, profile, new Date());
    if (plan.kind === 'mark') {
      const item = { ...plan.mark.key, ...plan.mark.attributes };
      records.set(`${item.pk}|${item.sk}`, item);
      return busEventForStoredItem(item)!.detail as StoredEventDetail;
    }
    records.set(`${plan.journal.pk}|${plan.journal.sk}`, plan.journal);
    if (plan.incidentVersion) records.set(`${plan.incidentVersion.pk}|${plan.incidentVersion.sk}`, plan.incidentVersion);
    if (plan.profile) records.set(`${plan.profile.key.pk}|${plan.profile.key.sk}`, { ...plan.profile.key, ...plan.profile.attributes });
    return busEventForStoredItem(plan.journal)!.detail as StoredEventDetail;
  };
  return { deps, store, mailer, records, put };
}

const contacts = [
  { contactId: 'C1', name: 'Sam Taylor', relationship: 'mother', parentalResponsibility: true, email: 'sam@example.org', notify: true },
  { contactId: 'C2', name: 'Pat Taylor', relationship: 'father', parentalResponsibility: true, email: 'pat@example.org', notify: true },
];
const detention = () => incident({ data: { detention: { date: '2026-11-24', minutes: 30 }, notes: 'staff only' } });

describe('exactly once per event and contact', () => {
  it('records a decision per contact, sends, and marks sent; a redelivery sends nothing', async () => {
    const { deps, store, mailer, put } = setup();
    put(pupil({ data: { contacts } }));
    const detail = put(detention());
    const first = await notifyParentsOfEvent(detail, deps);
    expect(first.outcomes).toMatchObject({ sent: 2, duplicate: 0 });
    expect(mailer.sent.map((message) => message.to)).toEqual([['sam@example.org'], ['pat@example.org']]);
    expect(mailer.sent.every((message) => message.category === 'parent-notification')).toBe(true);
    const again = await notifyParentsOfEvent(detail, deps);
    expect(again.outcomes).toMatchObject({ sent: 0, duplicate: 2 });
    expect(mailer.sent).toHaveLength(2);
    expect(store.all().map((item) => item.status)).toEqual(['sent', 'sent']);
  });

  it('concurrent duplicate deliveries send once', async () => {
    const { deps, mailer, put } = setup();
    put(pupil({ data: { contacts } }));
    const detail = put(detention());
    await Promise.all(Array.from({ length: 10 }, () => notifyParentsOfEvent(detail, deps)));
    expect(mailer.sent).toHaveLength(2);
  });

  it('a transient failure is retryable; the retry sends only what was not sent', async () => {
    const { deps, store, mailer, put } = setup();
    put(pupil({ data: { contacts } }));
    const detail = put(detention());
    mailer.failures = [undefined, Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' })];
    const first = await notifyParentsOfEvent(detail, deps);
    expect(first.outcomes).toMatchObject({ sent: 1, retryable: 1 });
    expect(store.all().find((item) => (item.recipient as { contactId: string }).contactId === 'C2')).toMatchObject({
      status: 'retryable',
      errorName: 'TooManyRequestsException',
    });
    const retry = await notifyParentsOfEvent(detail, deps);
    expect(retry.outcomes).toMatchObject({ sent: 1, duplicate: 1, retryable: 0 });
    expect(mailer.sent.map((message) => message.to[0])).toEqual(['sam@example.org', 'pat@example.org']);
    expect(store.all().map((item) => item.status)).toEqual(['sent', 'sent']);
  });

  it('a permanent rejection is recorded as rejected and never retried', async () => {
    const { deps, store, mailer, put } = setup();
    put(pupil({ data: { contacts: [contacts[0]] } }));
    const detail = put(detention());
    mailer.failures = [new PermanentMailError('address on suppression list')];
    expect((await notifyParentsOfEvent(detail, deps)).outcomes).toMatchObject({ rejected: 1, retryable: 0 });
    expect(store.all()[0]).toMatchObject({ status: 'rejected', reason: 'mail-rejected', errorName: 'PermanentMailError' });
    expect((await notifyParentsOfEvent(detail, deps)).outcomes).toMatchObject({ duplicate: 1 });
    expect(mailer.attempts).toBe(1);
  });

  it("a crash between send and 'sent' leaves 'sending', which is never sent again (at most once)", async () => {
    const { deps, store, mailer, put } = setup();
    put(pupil({ data: { contacts: [contacts[0]] } }));
    const detail = put(detention());
    store.failMarkSent = true;
    await expect(notifyParentsOfEvent(detail, deps)).rejects.toThrow('crashed after sending');
    store.failMarkSent = false;
    expect((await notifyParentsOfEvent(detail, deps)).outcomes).toMatchObject({ duplicate: 1, sent: 0 });
    expect(mailer.sent).toHaveLength(1);
    expect(store.all()[0]).toMatchObject({ status: 'sending' });
  });

  it('a contact who turned notify off before a retry is recorded as suppressed, not sent', async () => {
    const { deps, store, mailer, put } = setup();
    put(pupil({ occurredAt: '2026-11-23T08:00:00Z', data: { contacts: [contacts[0]] } }));
    const detail = put(detention());
    mailer.failures = [new Error('timeout')];
    await notifyParentsOfEvent(detail, deps);
    put(pupil({ occurredAt: '2026-11-23T08:30:00Z', data: { contacts: [{ ...contacts[0], notify: false }] } }));
    await notifyParentsOfEvent(detail, deps);
    expect(mailer.sent).toHaveLength(0);
    expect(store.all()).toEqual([expect.objectContaining({ status: 'suppressed', reason: 'notify-false' })]);
  });
});

describe('first-day absence', () => {
  it('AM and PM absences give one message per contact per day; the second mark is recorded as already notified', async () => {
    const { deps, store, mailer, put } = setup();
    put(pupil({ data: { contacts: [contacts[0]] } }));
    const am = put(attendanceMark({ code: 'N', session: 'AM' }));
    const pm = put(attendanceMark({ code: 'O', session: 'PM' }));
    expect((await notifyParentsOfEvent(am, deps)).outcomes.sent).toBe(1);
    const second = await notifyParentsOfEvent(pm, deps);
    expect(second.outcomes).toMatchObject({ sent: 0, suppressed: 1 });
    expect(second.reasons).toEqual({ 'already-notified-today': 1 });
    expect((await notifyParentsOfEvent(pm, deps)).outcomes).toMatchObject({ duplicate: 1 });
    expect(mailer.sent).toHaveLength(1);
    expect(store.all().map((item) => [item.dedupKey, item.eventId === am.eventId ? 'am' : 'pm', item.status, item.reason])).toEqual([
      ['absence#2026-11-23', 'am', 'sent', undefined],
      [pm.eventId, 'pm', 'suppressed', 'already-notified-today'],
    ]);
  });

  it("another mark may take over a 'retryable' absence message, still sending once", async () => {
    const { deps, mailer, put } = setup();
    put(pupil({ data: { contacts: [contacts[0]] } }));
    const am = put(attendanceMark({ code: 'N', session: 'AM' }));
    const pm = put(attendanceMark({ code: 'N', session: 'PM' }));
    mailer.failures = [new Error('timeout')];
    expect((await notifyParentsOfEvent(am, deps)).outcomes.retryable).toBe(1);
    expect((await notifyParentsOfEvent(pm, deps)).outcomes.sent).toBe(1);
    expect((await notifyParentsOfEvent(am, deps)).reasons).toEqual({ 'already-notified-today': 1 });
    expect(mailer.sent).toHaveLength(1);
  });

  it("'today' is the school's date: 23:30 UTC on 23 November is the 24th in Auckland", async () => {
    const london = setup({ now: '2026-11-23T23:30:00Z' });
    london.put(pupil({ data: { contacts: [contacts[0]] } }));
    expect((await notifyParentsOfEvent(london.put(attendanceMark({ code: 'N', date: '2026-11-23' })), london.deps)).outcomes.sent).toBe(1);
    const auckland = setup({ now: '2026-11-23T23:30:00Z', school: { timezone: 'Pacific/Auckland' } });
    auckland.put(pupil({ data: { contacts: [contacts[0]] } }));
    const late = await notifyParentsOfEvent(auckland.put(attendanceMark({ code: 'N', date: '2026-11-23' })), auckland.deps);
    expect(late.reasons).toEqual({ 'past-date': 1 });
    expect(auckland.mailer.sent).toHaveLength(0);
  });
});

describe('decision records', () => {
  it('carry what audit and the weekly rollup need, and no message content', async () => {
    const { deps, store, put } = setup();
    put(pupil({ pupilId: 'P7', data: { contacts: [contacts[0], { ...contacts[1], notify: false }] } }));
    const detail = put({ ...detention(), pupilId: 'P7', eventId: 'E-77' });
    await notifyParentsOfEvent(detail, deps);
    const [sent, suppressed] = store.all();
    expect(sent).toEqual({
      pk: 'SCHOOL#oak#PUPIL#P7',
      sk: 'NOTIFICATION#E-77#C1',
      gsi2pk: 'SCHOOL#oak#WEEK#2026-W48',
      gsi2sk: 'notification#2026-11-23T09:00:00.000Z#E-77#C1',
      // The pupil's chronology (staff API).
      gsi3pk: 'SCHOOL#oak#PUPIL#P7',
      gsi3sk: '2026-11-23T09:00:00.000Z#N%23E-77%23C1',
      recordKind: 'notification',
      schoolId: 'oak',
      pupilId: 'P7',
      eventId: 'E-77',
      eventType: 'incident.recorded',
      kind: 'detention',
      dedupKey: 'E-77',
      recipient: { contactId: 'C1', relationship: 'mother', email: 'sam@example.org' },
      channel: 'email',
      category: 'parent-notification',
      status: 'sent',
      decidedAt: '2026-11-23T09:00:00.000Z',
      sentAt: '2026-11-23T09:00:00.000Z',
      messageId: 'm-1',
      week: '2026-W48',
      expiresAt: Date.UTC(2029, 10, 24) / 1000,
    });
    expect(suppressed).toMatchObject({ sk: 'NOTIFICATION#E-77#C2', status: 'suppressed', reason: 'notify-false', recipient: { contactId: 'C2' } });
    expect(JSON.stringify(store.all())).not.toContain('staff only');
  });

  it('no profile: one decision for recipient none', async () => {
    const { deps, store, put } = setup();
    const detail = put({ ...detention(), pupilId: 'NOBODY' });
    expect((await notifyParentsOfEvent(detail, deps)).reasons).toEqual({ 'no-contacts': 1 });
    expect(store.all()).toEqual([
      expect.objectContaining({ sk: `NOTIFICATION#${detail.eventId}#none`, recipient: { contactId: 'none' }, status: 'suppressed' }),
    ]);
  });

  it('fails (so the platform retries and dead-letters) when the stored record or school is missing', async () => {
    const { deps, put } = setup();
    const detail = put(detention());
    await expect(notifyParentsOfEvent({ ...detail, key: { pk: 'nope', sk: 'EVENT' } }, deps)).rejects.toThrow('not found');
    await expect(notifyParentsOfEvent({ ...detail, schoolId: 'elm' }, deps)).rejects.toThrow('no school elm');
  });
});

describe('DSL alerts', () => {
  const concern = () => incident({ pupilId: 'P9', data: { safeguardingConcern: true, notes: 'disclosure details' } });

  it('go to the DSL once per event, recorded as a decision', async () => {
    const { deps, store, mailer, put } = setup({ school: { dslEmail: 'dsl@oak.example.org' } });
    const detail = put(concern());
    expect((await alertDslOfEvent(detail, deps)).outcomes.sent).toBe(1);
    expect((await alertDslOfEvent(detail, deps)).outcomes.duplicate).toBe(1);
    expect(mailer.sent).toEqual([expect.objectContaining({ to: ['dsl@oak.example.org'], category: 'dsl-alert' })]);
    expect(mailer.sent[0]!.text).not.toContain('disclosure details');
    expect(store.all()).toEqual([
      expect.objectContaining({
        sk: `NOTIFICATION#${detail.eventId}#dsl`,
        kind: 'dsl-alert',
        status: 'sent',
        recipient: { contactId: 'dsl', relationship: 'designated safeguarding lead', email: 'dsl@oak.example.org' },
      }),
    ]);
  });

  it("go to the school's leaders when no DSL is configured, and say so", async () => {
    const { deps, store, mailer, put } = setup({ school: { leaders: ['head@oak.example.org', 'deputy@oak.example.org'] } });
    const summary = await alertDslOfEvent(put(concern()), deps);
    expect(summary.toLeaders).toBe(true);
    expect(mailer.sent[0]!.to).toEqual(['head@oak.example.org', 'deputy@oak.example.org']);
    expect(store.all()[0]).toMatchObject({ status: 'sent', reason: 'no-dsl-configured', recipient: { contactId: 'leaders' } });
  });

  it('ignore an event that is not a safeguarding concern', async () => {
    const { deps, mailer, put } = setup({ school: { dslEmail: 'dsl@oak.example.org' } });
    expect((await alertDslOfEvent(put(detention()), deps)).ignored).toBe(true);
    expect(mailer.sent).toHaveLength(0);
  });
});

describe('safeguarding is sticky across versions of an incident (issue 11)', () => {
  const original = (incidentId: string) =>
    incident({ occurredAt: '2026-11-23T08:00:00Z', data: { incidentId, safeguardingConcern: true, detention: { date: '2026-11-24', minutes: 30 } } });
  const amendment = (incidentId: string) =>
    incident({ occurredAt: '2026-11-23T08:30:00Z', data: { incidentId, happenedAt: '2026-11-23T08:00:00Z', detention: { date: '2026-11-24', minutes: 45 } } });

  it('an amendment without the flag tells no parent, and the DSL sees it as an amendment', async () => {
    const { deps, store, mailer, put } = setup({ school: { dslEmail: 'dsl@oak.example.org' } });
    put(pupil({ data: { contacts } }));
    put(original('I-STICKY'));
    const summary = await notifyParentsOfEvent(put(amendment('I-STICKY')), deps);
    expect(summary.reasons).toEqual({ safeguarding: 1 });
    expect(mailer.sent).toEqual([expect.objectContaining({ to: ['dsl@oak.example.org'], category: 'dsl-alert' })]);
    expect(mailer.sent[0]!.text).toContain('amended version');
    expect(store.all().map((item) => [item.kind, item.status, item.reason ?? null])).toEqual([
      ['detention', 'suppressed', 'safeguarding'],
      ['dsl-alert', 'sent', null],
    ]);
  });

  it('alert-dsl acts on an amendment too (it is a safeguarding concern by its history)', async () => {
    const { deps, mailer, put } = setup({ school: { dslEmail: 'dsl@oak.example.org' } });
    put(original('I-STICKY2'));
    expect((await alertDslOfEvent(put(amendment('I-STICKY2')), deps)).outcomes.sent).toBe(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it('a restorative session linked to such an incident sends no summary, and the decision says why', async () => {
    const { deps, store, mailer, put } = setup();
    put(pupil({ data: { contacts } }));
    put(original('I-LINKED'));
    const session = put({
      eventId: 'rs-linked',
      type: 'restorative.session.recorded',
      occurredAt: '2026-11-23T10:00:00Z',
      data: {
        sessionId: 'RS-L',
        date: '2026-11-23',
        format: 'conversation',
        incidentId: 'I-LINKED',
        participants: [{ pupilId: 'P001', role: 'responsible' }],
        summaryForParents: 'Talked it through.',
      },
    });
    expect((await notifyParentsOfEvent(session, deps)).reasons).toEqual({ 'linked-safeguarding': 1 });
    expect(mailer.sent).toHaveLength(0);
    expect(store.all()).toEqual([expect.objectContaining({ kind: 'restorative', status: 'suppressed', reason: 'linked-safeguarding' })]);
  });
});
