import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailPacing } from '../../infra/functions';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { ThrottlingMail } from '../support/faults';
import { incident, pupil } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';
import { chunk } from './workload';

/**
 * Issue 10 item 5, mail paced: a burst of parents' notices meets a mailer that throttles
 * beyond the paced concurrency (and now and then within it, as SES does). The local bus
 * delivers to notify-parents through a bounded-concurrency queue with the pacing queue's
 * receive count (the deployed SQS event source's twin), so every notice arrives exactly
 * once and none is dead-lettered.
 *
 * `npm test`: test/integration/reliability-pacing.test.ts (small); `npm run test:reliability`:
 * test/reliability/pacing.test.ts (2,000 notices).
 */
export interface PacingScale {
  name: string;
  pupils: number;
  noticesPerPupil: number;
  timeoutMs: number;
}

const clock = { now: () => new Date('2026-11-23T09:00:00Z') };
const today = '2026-11-23';

export function pacingTests(scale: PacingScale) {
  describe(`paced mail under SES throttling [${scale.name}]`, () => {
    const mail = new ThrottlingMail(mailPacing.defaultMaxConcurrency, 25);
    let stack: TestStack;
    let secret: string;
    beforeAll(async () => {
      stack = await startTestStack({ clock, wrapMailer: mail.wrap });
      secret = await stack.addSchool({ schoolId: 'pace', name: 'Pace Academy' });
    });
    afterAll(() => stack?.cleanup());

    it(
      `${scale.pupils * scale.noticesPerPupil} notices each arrive exactly once`,
      async () => {
        const address = (n: number) => `parent-${n}@pace.example.org`;
        const pupils = Array.from({ length: scale.pupils }, (_, n) =>
          pupil({
            pupilId: `P${n}`,
            data: {
              firstName: 'Kit',
              lastName: `Pace${n}`,
              yearGroup: '7',
              contacts: [{ contactId: 'C1', name: 'Parent', relationship: 'father', parentalResponsibility: true, email: address(n), notify: true }],
            },
          }),
        );
        const detentions = pupils.flatMap((_, n) =>
          Array.from({ length: scale.noticesPerPupil }, (_, k) =>
            incident({ pupilId: `P${n}`, eventId: `det-${n}-${k}`, data: { detention: { date: today, minutes: 20 + k } } }),
          ),
        );
        for (const events of [...chunk(pupils, 500), ...chunk(detentions, 500)]) {
          const response = await stack.post('pace', secret, { events });
          expect(response.status).toBe(200);
        }
        await stack.flush();

        // Parents' mail only: with the clock on a Monday morning, the minute timer may also run the weekly rollup.
        const outbox = (await stack.outbox()).filter((entry) => entry.to.every((to) => to.startsWith('parent-')));
        const perRecipient = new Map<string, number>();
        for (const entry of outbox) for (const to of entry.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
        const wrong = pupils.map((_, n) => address(n)).filter((to) => perRecipient.get(to) !== scale.noticesPerPupil);
        expect(wrong, 'recipients without exactly one message per notice').toEqual([]);
        expect(outbox).toHaveLength(scale.pupils * scale.noticesPerPupil);

        const statuses = new Map<string, number>();
        for (let n = 0; n < scale.pupils; n++) {
          for (const decision of (await readPupilRecords(stack.adapters.table, 'pace', `P${n}`, today)).notifications) {
            statuses.set(String(decision.status), (statuses.get(String(decision.status)) ?? 0) + 1);
          }
        }
        expect(Object.fromEntries(statuses)).toEqual({ sent: scale.pupils * scale.noticesPerPupil });
        expect(await stack.deadLetters('parentNotifications')).toEqual([]);
        // The paced queue held sends within the limit; the throttles seen were SES's occasional ones, retried.
        expect(mail.peakInFlight).toBeLessThanOrEqual(mailPacing.defaultMaxConcurrency);
        expect(mail.throttled).toBeGreaterThan(0);
        console.info(
          `[figures] paced mail [${scale.name}]`,
          JSON.stringify({ notices: outbox.length, sendCalls: mail.calls, throttled: mail.throttled, peakInFlight: mail.peakInFlight }),
        );
      },
      scale.timeoutMs,
    );
  });
}
