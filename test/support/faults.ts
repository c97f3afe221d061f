import type { WritePlan } from '../../shared/domain/records';
import { PermanentMailError, type EventStore, type MailMessage, type Mailer, type StoreOutcome } from '../../shared/ports';

/**
 * Fault injection for reliability tests: storage errors at the EventStore port, a paused
 * DynamoDB Local, failing mail, and a sender that retries the whole request on 5xx exactly
 * as the contract tells an MIS to.
 */

/** Shaped like the SDK's error (name, $fault, $metadata), so code that inspects errors sees the real thing. */
function sdkError(name: string, message: string, httpStatusCode: number, fault: 'client' | 'server') {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode, attempts: 3 } });
}

export const throttlingError = () =>
  sdkError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded (injected)', 400, 'client');

export const internalServerError = () => sdkError('InternalServerError', 'Internal server error (injected)', 500, 'server');

export interface StorageFaultPlan {
  /** Every Nth store() call (counting all calls) throws a throttling error before anything is written. */
  throttleEvery?: number;
  /** Every Nth store() call writes, then throws a 500: the write happened but its acknowledgement is lost. */
  ackLostEvery?: number;
  /** No more faults after this many (so that a retrying sender converges). */
  maxFaults?: number;
}

const schoolOf = (plan: WritePlan) => String(plan.kind === 'mark' ? plan.mark.attributes.schoolId : plan.journal.schoolId);

/** Wraps the storage port (LocalStackOptions.wrapEvents) and injects faults by plan. */
export class StorageFaults {
  plan: StorageFaultPlan = {};
  calls = 0;
  /** `school/eventId` of each store call that threw before writing. */
  readonly throttled: string[] = [];
  /** `school/eventId` of each store call that wrote, then threw; `outcome` is what the write had decided. */
  readonly ackLost: { key: string; outcome: StoreOutcome }[] = [];

  get faults(): number {
    return this.throttled.length + this.ackLost.length;
  }

  readonly wrap = (inner: EventStore): EventStore => ({
    incidentWeeks: (schoolId, incidentId) => inner.incidentWeeks(schoolId, incidentId),
    markWeeksChanged: (schoolId, weeks, at) => inner.markWeeksChanged(schoolId, weeks, at),
    store: async (plan: WritePlan): Promise<StoreOutcome> => {
      const call = ++this.calls;
      const { throttleEvery, ackLostEvery, maxFaults = Infinity } = this.plan;
      const budgetLeft = this.faults < maxFaults;
      if (budgetLeft && throttleEvery && call % throttleEvery === 0) {
        this.throttled.push(AnswerLedger.key(schoolOf(plan), plan.eventId));
        throw throttlingError();
      }
      const outcome = await inner.store(plan);
      if (budgetLeft && ackLostEvery && call % ackLostEvery === 0) {
        this.ackLost.push({ key: AnswerLedger.key(schoolOf(plan), plan.eventId), outcome });
        throw internalServerError();
      }
      return outcome;
    },
  });
}

/** Pauses a process (SIGSTOP) until `resume` (SIGCONT); `resume` is safe to call twice. */
export function pauseProcess(pid: number): { resume: () => void } {
  process.kill(pid, 'SIGSTOP');
  let paused = true;
  return {
    resume: () => {
      if (!paused) return;
      paused = false;
      process.kill(pid, 'SIGCONT');
    },
  };
}

/** Polls `condition` until it holds; fails with `what` at the deadline. Never sleeps longer than `intervalMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, intervalMs = 20): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return performance.now() - started;
}

/** Resolves with how long `work` took; rejects if it takes longer than `timeoutMs`. */
export async function withDeadline(work: Promise<unknown>, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
  return Math.round(performance.now() - started);
}

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

export interface RetryOptions {
  /** Give up (and fail the test) after this many attempts. */
  maxAttempts?: number;
  /** Pause between attempts, as a polite sender would (not a wait for speed). */
  backoffMs?: number;
  onAnswer?: (answer: Answer) => void;
}

/**
 * The contract's sender: on a 5xx (or no answer at all) it retries the whole request until it
 * gets a 2xx/4xx. Returns every answer, the last one final.
 */
export async function postUntilAnswered(post: () => Promise<{ status: number; body: any }>, options: RetryOptions = {}): Promise<Answer[]> {
  const { maxAttempts = 200, backoffMs = 25 } = options;
  const answers: Answer[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const started = performance.now();
    let answer: Answer;
    try {
      const response = await post();
      answer = { ...response, ms: performance.now() - started };
    } catch (error) {
      answer = { status: 599, body: { error: (error as Error).message }, ms: performance.now() - started };
    }
    answers.push(answer);
    options.onAnswer?.(answer);
    if (answer.status < 500) return answers;
    await new Promise((resolve) => setTimeout(resolve, backoffMs * Math.min(attempt, 8)));
  }
  throw new Error(`no final answer after ${maxAttempts} attempts; last: ${JSON.stringify(answers.at(-1))}`);
}

/**
 * Every per-event status each (school, eventId) was ever answered, over all requests and
 * attempts. Keys are `school/eventId`: the same eventId in two schools is two events.
 */
export class AnswerLedger {
  readonly answers = new Map<string, string[]>();

  static key(schoolId: string, eventId: string): string {
    return `${schoolId}/${eventId}`;
  }

  record(schoolId: string, results: { eventId: string; status: string }[] | undefined): void {
    for (const { eventId, status } of results ?? []) {
      const key = AnswerLedger.key(schoolId, eventId);
      this.answers.set(key, [...(this.answers.get(key) ?? []), status]);
    }
  }

  count(key: string, status: string): number {
    return (this.answers.get(key) ?? []).filter((answered) => answered === status).length;
  }

  /** Events answered `accepted` more than once: each is an acknowledged event stored (or told) twice. */
  acceptedMoreThanOnce(): string[] {
    return [...this.answers.keys()].filter((key) => this.count(key, 'accepted') > 1);
  }

  /** Events never answered `accepted` or `duplicate`: not acknowledged. */
  neverAcknowledged(keys: Iterable<string>): string[] {
    return [...keys].filter((key) => this.count(key, 'accepted') + this.count(key, 'duplicate') === 0);
  }

  total(status: string): number {
    return [...this.answers.values()].reduce((sum, statuses) => sum + statuses.filter((answered) => answered === status).length, 0);
  }
}

export interface MailFaultPlan {
  /** Fail the first N attempts to each recipient with a transient error. */
  failFirstPerRecipient?: number;
  /** Always fail mail to these recipients (transient error, so the bus retries, then dead-letters). */
  alwaysFail?: Set<string>;
}

/** Wraps the mail port (LocalStackOptions.wrapMailer); the error text names the address, as SES's does. */
export class MailFaults {
  plan: MailFaultPlan = {};
  readonly attempts = new Map<string, number>();
  readonly failures: string[] = [];

  readonly wrap = (inner: Mailer): Mailer => ({
    send: async (message: MailMessage) => {
      const recipient = message.to.join(',');
      const attempt = (this.attempts.get(recipient) ?? 0) + 1;
      this.attempts.set(recipient, attempt);
      if (this.plan.alwaysFail?.has(recipient) || attempt <= (this.plan.failFirstPerRecipient ?? 0)) {
        this.failures.push(recipient);
        throw sdkError('ServiceUnavailableException', `Service unavailable while sending to ${recipient} (injected)`, 503, 'server');
      }
      return inner.send(message);
    },
  });
}

/** Wraps the mail port (LocalStackOptions.wrapMailer) with faults by recipient address, set as a test goes. */
export class RecipientMailFaults {
  /** Send attempts to each address. */
  readonly attempts = new Map<string, number>();
  /** Throttle the next N sends to an address (transient: the platform retries). */
  readonly failNext = new Map<string, number>();
  /** SES unavailable for these addresses (transient, so retried until dead-lettered). */
  readonly failAlways = new Set<string>();
  /** Refused for good, as an address on the suppression list is. */
  readonly reject = new Set<string>();

  readonly wrap = (inner: Mailer): Mailer => ({
    send: async (message: MailMessage) => {
      for (const to of message.to) this.attempts.set(to, (this.attempts.get(to) ?? 0) + 1);
      if (message.to.some((to) => this.reject.has(to))) throw new PermanentMailError('MessageRejected: address is on the suppression list');
      if (message.to.some((to) => this.failAlways.has(to))) throw Object.assign(new Error('SES unavailable'), { name: 'ServiceUnavailable' });
      for (const to of message.to) {
        const remaining = this.failNext.get(to) ?? 0;
        if (remaining > 0) {
          this.failNext.set(to, remaining - 1);
          throw Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' });
        }
      }
      return inner.send(message);
    },
  });
}

/**
 * SES's send-rate limit, stood in for without a clock: at most `maxInFlight` sends at once
 * (a rate limit is concurrency × time per send); one more fails with SES's
 * TooManyRequestsException, and so does every `alsoThrottleEvery`-th send (SES throttles
 * now and then even within the rate). Each send holds its slot a moment, as a call does.
 */
export class ThrottlingMail {
  inFlight = 0;
  peakInFlight = 0;
  calls = 0;
  throttled = 0;

  constructor(
    private readonly maxInFlight: number,
    private readonly alsoThrottleEvery = 0,
    private readonly holdMs = 1,
  ) {}

  readonly wrap = (inner: Mailer): Mailer => ({
    send: async (message: MailMessage) => {
      const call = ++this.calls;
      if (this.inFlight >= this.maxInFlight || (this.alsoThrottleEvery && call % this.alsoThrottleEvery === 0)) {
        this.throttled++;
        throw sdkError('TooManyRequestsException', 'Maximum sending rate exceeded (injected)', 429, 'client');
      }
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, this.holdMs));
        return await inner.send(message);
      } finally {
        this.inFlight--;
      }
    },
  });
}
