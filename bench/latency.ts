import { performance } from 'node:perf_hooks';
import type { BusEvent } from '../events/bus';
import type { LocalStack, LocalStackOptions } from '../infra/local/stack';
import { addDays, dateInZone } from '../shared/domain/calendar';
import { attendanceEvent, rosterEvents, type ContractEvent } from './data';
import { batchSize, chunk, post, postAll } from './ingest';
import { random } from './synthetic';

/**
 * End-to-end latency: from the webhook's 200 for a request carrying a first-day absence to
 * the parent's email written to the outbox, through the table stream, the publisher, the bus
 * and notify-parents. The stack's publisher and mailer are wrapped to timestamp each hop,
 * so the figure splits into "200 → published on the bus" (stream poll + publisher) and
 * "published → email in the outbox" (bus + notify-parents + outbox write).
 */

export interface LatencyFigure {
  concurrency: number;
  /** Requests (each 25 marks, one a first-day absence) and the emails that arrived. */
  requests: number;
  emails: number;
  p50Ms: number;
  p95Ms: number;
  /** Medians of the two hops. */
  toPublishedP50Ms: number;
  publishedToEmailP50Ms: number;
  toPublishedP95Ms: number;
  publishedToEmailP95Ms: number;
  /** From sending the request (negative hops above mean the email beat the 200 to the sender). */
  sentToEmailP50Ms: number;
  sentToEmailP95Ms: number;
}

/** Timestamps of each hop, keyed by pupilId. */
export class LatencyProbe {
  readonly published = new Map<string, number>();
  readonly emailed = new Map<string, number>();

  stackOptions(): Pick<LocalStackOptions, 'wrapMailer' | 'wrapPublisher'> {
    return {
      wrapPublisher: (publisher) => ({
        publish: async (events: BusEvent[]) => {
          await publisher.publish(events);
          const now = performance.now();
          for (const event of events.filter((candidate) => candidate.detailType === 'attendance.marked')) {
            for (const pupilId of (event.detail.pupilIds as string[] | undefined) ?? []) if (!this.published.has(pupilId)) this.published.set(pupilId, now);
          }
        },
      }),
      wrapMailer: (mailer) => ({
        send: async (message) => {
          const sent = await mailer.send(message);
          const now = performance.now();
          for (const to of message.to) {
            const pupilId = /^([a-z0-9]+)\.parent/.exec(to)?.[1]?.toUpperCase();
            if (pupilId && !this.emailed.has(pupilId)) this.emailed.set(pupilId, now);
          }
          return sent;
        },
      }),
    };
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

let roundsRun = 0;

/** `requests` requests of 25 of today's marks (one `N`) with `concurrency` in flight. */
async function round(stack: LocalStack, probe: LatencyProbe, schoolId: string, secret: string, concurrency: number, requests: number): Promise<LatencyFigure> {
  const today = dateInZone(new Date(), 'Europe/London');
  const prefix = `LAT${++roundsRun}`;
  const absent = Array.from({ length: requests }, (_, index) => ({ pupilId: `${prefix}X${index}`, absenceRate: 0, behaviourRisk: 0 }));
  await postAll(stack, schoolId, secret, chunk(rosterEvents(schoolId, absent, `${addDays(today, -1)}T06:00:00+00:00`, roundsRun), batchSize), 4);
  await stack.flush();
  const rand = random(roundsRun);
  const bodies = absent.map((pupil, index) => {
    const events: ContractEvent[] = [attendanceEvent(schoolId, pupil.pupilId, today, 'AM', 'N', rand)];
    for (let other = 0; other < 24; other++) events.push(attendanceEvent(schoolId, `${prefix}P${index}Q${other}`, today, 'AM', '/', rand));
    return { pupilId: pupil.pupilId, body: JSON.stringify({ events }) };
  });
  const answered = new Map<string, number>();
  const sentAt = new Map<string, number>();
  let next = 0;
  const url = `${stack.url}/v1/schools/${schoolId}/events`;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = bodies[next++]; item; item = bodies[next++]) {
        sentAt.set(item.pupilId, performance.now());
        const { status } = await post(url, secret, item.body);
        if (status !== 200) throw new Error(`webhook answered ${status}`);
        answered.set(item.pupilId, performance.now());
      }
    }),
  );
  await stack.flush();
  const total: number[] = [];
  const toPublished: number[] = [];
  const toEmail: number[] = [];
  const fromSent: number[] = [];
  for (const [pupilId, at] of answered) {
    const emailed = probe.emailed.get(pupilId);
    const published = probe.published.get(pupilId);
    if (emailed === undefined) continue;
    total.push(emailed - at);
    fromSent.push(emailed - sentAt.get(pupilId)!);
    if (published !== undefined) {
      toPublished.push(published - at);
      toEmail.push(emailed - published);
    }
  }
  return {
    concurrency,
    requests,
    emails: total.length,
    p50Ms: percentile(total, 50),
    p95Ms: percentile(total, 95),
    toPublishedP50Ms: percentile(toPublished, 50),
    publishedToEmailP50Ms: percentile(toEmail, 50),
    toPublishedP95Ms: percentile(toPublished, 95),
    publishedToEmailP95Ms: percentile(toEmail, 95),
    sentToEmailP50Ms: percentile(fromSent, 50),
    sentToEmailP95Ms: percentile(fromSent, 95),
  };
}

export async function measureLatency(
  stack: LocalStack,
  probe: LatencyProbe,
  schoolId: string,
  secret: string,
  progress: (line: string) => void,
): Promise<LatencyFigure[]> {
  await round(stack, probe, schoolId, secret, 4, 16); // warm-up, untimed
  const figures: LatencyFigure[] = [];
  for (const [concurrency, requests] of [
    [1, 30],
    [32, 96],
  ] as const) {
    const figure = await round(stack, probe, schoolId, secret, concurrency, requests);
    progress(
      `  ${concurrency} in flight: p50 ${figure.p50Ms.toFixed(0)} ms, p95 ${figure.p95Ms.toFixed(0)} ms (200 → bus p50 ${figure.toPublishedP50Ms.toFixed(0)} ms, bus → outbox p50 ${figure.publishedToEmailP50Ms.toFixed(0)} ms; request sent → email p50 ${figure.sentToEmailP50Ms.toFixed(0)} ms; ${figure.emails}/${figure.requests} emails)`,
    );
    figures.push(figure);
  }
  return figures;
}
