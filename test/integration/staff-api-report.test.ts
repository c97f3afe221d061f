import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contact, pupil, restrictiveIntervention } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';
import { staffHelpers, type StaffHelpers } from '../support/staff';

/**
 * Contract sections 6 and 7 over HTTP: the statutory report's decisions (sent, withheld, no
 * contact) on the staff chronology, each as a `restrictive-report` entry with its outcome,
 * and the withholding reason shown to the DSL only.
 */
const clock = { now: () => new Date('2026-12-01T09:00:00Z') };
const reason = 'Telling the father would put the pupil at risk of significant harm';
let stack: TestStack;
let staff: StaffHelpers;
const eventIds: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack({ clock });
  staff = await staffHelpers(stack);
  const secret = await stack.addSchool({ schoolId: 'oak', dslEmail: 'dsl-alerts@oak.example.org' });
  await staff.add('staff@oak.example.org', 'staff', 'oak');
  await staff.add('dsl@oak.example.org', 'dsl', 'oak');
  const roster = (pupilId: string, contacts: unknown[]) => pupil({ pupilId, data: { firstName: 'Sam', lastName: pupilId, contacts } });
  const records = {
    send: restrictiveIntervention({ pupilId: 'P-SEND' }),
    withheld: restrictiveIntervention({ pupilId: 'P-WH', data: { parentReport: { withhold: true, reason } } }),
    'no-contact': restrictiveIntervention({ pupilId: 'P-NC' }),
    'withheld from one': restrictiveIntervention({ pupilId: 'P-ONE', data: { parentReport: { withhold: true, reason, withholdFrom: ['C2'] } } }),
  };
  for (const [name, record] of Object.entries(records)) eventIds[name] = record.eventId;
  const posted = await stack.post('oak', secret, {
    events: [
      roster('P-SEND', [contact('C1', 'mum.send@example.org'), contact('C2', undefined)]),
      roster('P-WH', [contact('C1', 'mum.wh@example.org')]),
      roster('P-NC', []),
      roster('P-ONE', [contact('C1', 'mum.one@example.org'), contact('C2', 'dad.one@example.org')]),
      ...Object.values(records),
    ],
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  await stack.flush();
}, 180_000);

afterAll(() => stack?.cleanup());

const reportEntries = (who: string, pupilId: string) => staff.chronology(who, 'oak', pupilId);
const outcomes = (entries: Record<string, unknown>[]) =>
  entries
    .filter((entry) => entry.kind === 'restrictive-report')
    .map((entry) => `${(entry.recipient as { contactId: string }).contactId}:${entry.outcome}`)
    .sort();

describe('the report decisions on the staff chronology', () => {
  it('withheld from one parent (withholdFrom): the other is sent it; staff see from whom, not why', async () => {
    const mail = await stack.outbox();
    expect(mail.filter((entry) => entry.to.includes('mum.one@example.org'))).toHaveLength(1);
    expect(mail.filter((entry) => entry.to.includes('dad.one@example.org'))).toHaveLength(0);
    const asStaff = await reportEntries('staff@oak.example.org', 'P-ONE');
    expect(outcomes(asStaff)).toEqual(['C1:sent', 'C2:withheld']);
    expect(asStaff.find((entry) => entry.kind === 'restrictive.intervention.recorded')?.data).toMatchObject({
      parentReport: { withhold: true, withholdFrom: ['C2'] },
    });
    expect(JSON.stringify(asStaff)).not.toContain(reason);
    const [alert] = mail.filter((entry) => entry.to.includes('dsl-alerts@oak.example.org') && entry.subject.includes('P-ONE'));
    expect(alert!.text).toContain('Withheld from');
    expect(alert!.text).toContain(reason);
  });

  it('sent: one entry per contact, sent or not sent (with why)', async () => {
    const entries = await reportEntries('staff@oak.example.org', 'P-SEND');
    expect(outcomes(entries)).toEqual(['C1:sent', 'C2:not-sent']);
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'restrictive-report', eventId: eventIds.send, outcome: 'not-sent', reason: 'no-email' }));
  });

  it('withheld: staff see that it was withheld, not why; the DSL sees the reason and its own alert', async () => {
    const asStaff = await reportEntries('staff@oak.example.org', 'P-WH');
    expect(outcomes(asStaff)).toEqual(['none:withheld']);
    expect(asStaff).toContainEqual({ kind: 'restricted', occurredAt: expect.any(String) });
    expect(asStaff.find((entry) => entry.kind === 'restrictive.intervention.recorded')?.data).toMatchObject({ parentReport: { withhold: true } });
    expect(JSON.stringify(asStaff)).not.toContain(reason);

    const asDsl = await reportEntries('dsl@oak.example.org', 'P-WH');
    expect(outcomes(asDsl)).toEqual(['dsl:dsl-alerted-withheld', 'none:withheld']);
    expect(asDsl.find((entry) => entry.kind === 'restrictive.intervention.recorded')?.data).toMatchObject({ parentReport: { withhold: true, reason } });
  });

  it('no contact: nobody could be sent it, and the DSL was told to give it another way', async () => {
    expect(outcomes(await reportEntries('staff@oak.example.org', 'P-NC'))).toEqual(['none:no-contact']);
    expect(outcomes(await reportEntries('dsl@oak.example.org', 'P-NC'))).toEqual(['dsl:dsl-alerted-no-contact', 'none:no-contact']);
  });
});
