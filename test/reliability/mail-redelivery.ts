import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedEventSource } from '../../events/bus';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import type { EventBridgeEnvelope } from '../../shared/adapters/local/local-bus';
import { MailFaults } from '../support/faults';
import { startTestStack, type TestStack } from '../support/local-stack';
import type { BusScale } from './bus';

/** The whole path with failing mail: retried, dead-lettered, and never sent twice however often the bus delivers. */
export function mailRedeliveryTests(scale: BusScale) {
  describe(`end to end: failing mail is retried, dead-lettered, and never sent twice [${scale.name}]`, () => {
    const mail = new MailFaults();
    let stack: TestStack;
    let secret: string;
    beforeAll(async () => {
      stack = await startTestStack({ wrapMailer: mail.wrap });
      secret = await stack.addSchool({ schoolId: 'oak' });
    });
    afterAll(() => stack?.cleanup());

    it(
      'each healthy contact gets exactly one email despite failures and re-deliveries; an unreachable one ends in the dead-letter file',
      async () => {
        const pupils = Array.from({ length: 6 }, (_, n) => `M${n}`);
        const email = (pupilId: string) => `carer.${pupilId.toLowerCase()}@example.org`;
        const unreachable = 'unreachable.m0@example.org';
        const now = stack.adapters.clock.now().toISOString();
        const roster = pupils.map((pupilId) => ({
          eventId: `roster-${pupilId}`,
          type: 'pupil.upserted',
          occurredAt: now,
          pupilId,
          data: {
            firstName: 'Kit',
            lastName: 'Mail',
            yearGroup: '6',
            contacts: [
              { contactId: 'C1', name: 'Carer One', relationship: 'mother', parentalResponsibility: true, email: email(pupilId), notify: true },
              ...(pupilId === 'M0'
                ? [{ contactId: 'C2', name: 'Carer Two', relationship: 'father', parentalResponsibility: true, email: unreachable, notify: true }]
                : []),
            ],
          },
        }));
        expect((await stack.post('oak', secret, { events: roster })).status).toBe(200);
        await stack.flush();
        mail.plan = { failFirstPerRecipient: 1, alwaysFail: new Set([unreachable]) };
        // Reasonable force: parents are told the same day (contract section 4).
        const incidents = pupils.map((pupilId) => ({
          eventId: `force-${pupilId}`,
          type: 'incident.recorded',
          occurredAt: now,
          pupilId,
          data: { incidentId: `I-${pupilId}`, category: 'physical', severity: 3, physicalIntervention: { used: true, injury: false } },
        }));
        expect((await stack.post('oak', secret, { events: incidents })).status).toBe(200);
        await stack.flush();
        // The same events again (an MIS retry): duplicates, nothing new.
        expect((await stack.post('oak', secret, { events: incidents })).body.results.map((result: { status: string }) => result.status)).toEqual(
          incidents.map(() => 'duplicate'),
        );
        await stack.flush();

        const outbox = await stack.outbox();
        const decisions = (await Promise.all(pupils.map((pupilId) => readPupilRecords(stack.adapters.table, 'oak', pupilId, now.slice(0, 10))))).flatMap(
          (records) => records.notifications,
        );
        expect(outbox.length + decisions.length, 'notify-parents sent and recorded').toBeGreaterThan(0);

        // The bus delivers at least once: hand every event to notify-parents again, twice.
        for (const incident of incidents) {
          const [stored] = (await readPupilRecords(stack.adapters.table, 'oak', incident.pupilId, now.slice(0, 10))).events.filter(
            (item) => item.eventId === incident.eventId,
          );
          const detail = {
            schoolId: 'oak',
            eventId: incident.eventId,
            type: incident.type,
            pupilIds: [incident.pupilId],
            occurredAt: incident.occurredAt,
            date: stored!.date,
            week: stored!.week,
            safeguardingConcern: false,
            key: { pk: stored!.pk, sk: stored!.sk },
          };
          const envelope = {
            version: '0',
            id: `redeliver-${incident.eventId}`,
            'detail-type': incident.type,
            source: storedEventSource,
            account: '0',
            time: now,
            region: 'local',
            resources: [],
            detail,
          };
          for (let n = 0; n < 2; n++) await stack.invoke('notify-parents', envelope).catch(() => undefined);
        }
        await stack.flush();

        const sent = (await stack.outbox()).flatMap((entry) => entry.to);
        for (const pupilId of pupils)
          expect(
            sent.filter((to) => to === email(pupilId)),
            email(pupilId),
          ).toHaveLength(1);
        expect(sent.filter((to) => to === unreachable)).toHaveLength(0);
        const dead = (await stack.deadLetters('parentNotifications')).map((letter: EventBridgeEnvelope) => letter.detail.eventId);
        expect(dead).toEqual(['force-M0']);
        console.info(
          `[figures] mail faults [${scale.name}]`,
          JSON.stringify({ incidents: incidents.length, emails: sent.length, failedSends: mail.failures.length, deadLettered: dead.length }),
        );
      },
      scale.timeoutMs,
    );
  });
}
