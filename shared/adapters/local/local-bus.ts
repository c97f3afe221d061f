import { join } from 'node:path';
import type { BusEvent, EventPublisher } from '../../ports';
import { assertValidEventPattern, matchesEventPattern, type EventPattern } from './event-pattern';
import { appendPrivateFile, makePrivateDir } from './private-files';

export interface LocalRule {
  name: string;
  pattern: EventPattern;
  /** Receives the event as EventBridge would deliver it to a Lambda target. */
  target: (event: EventBridgeEnvelope) => Promise<unknown>;
}

export interface EventBridgeEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface LocalBusOptions {
  /** Attempts per target before the event goes to the dead-letter file (the CDK retry policy's twin). */
  maxAttempts: number;
  /** Where undeliverable events are kept: one JSON line per event, per rule. */
  deadLetterDir: string;
  retryDelayMs?: (attempt: number) => number;
  onError?: (rule: string, error: unknown, attempt: number) => void;
  /** Even the dead-letter file could not be written: the envelope is kept in `unwritableDeadLetters`. */
  onDeadLetterFailure?: (rule: string, envelope: EventBridgeEnvelope, error: unknown) => void;
}

/**
 * The local twin of the EventBridge bus: the same patterns decide which target gets which
 * event; delivery is asynchronous and at-least-once with retries, then a dead-letter file.
 */
export class LocalEventBus implements EventPublisher {
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;
  /** Dead letters that could not be written to their file (disk full, bad path): kept, never dropped. */
  readonly unwritableDeadLetters: { rule: string; envelope: EventBridgeEnvelope }[] = [];

  constructor(
    private readonly rules: LocalRule[],
    private readonly options: LocalBusOptions,
  ) {
    for (const rule of rules) assertValidEventPattern(rule.pattern);
  }

  async publish(events: BusEvent[]): Promise<void> {
    for (const event of events) {
      const envelope: EventBridgeEnvelope = {
        version: '0',
        id: `local-${Date.now()}-${++this.sequence}`,
        'detail-type': event.detailType,
        source: event.source,
        account: '000000000000',
        time: new Date().toISOString(),
        region: 'local',
        resources: [],
        detail: event.detail,
      };
      for (const rule of this.rules) {
        if (!matchesEventPattern(rule.pattern, envelope as unknown as Record<string, unknown>)) continue;
        const delivery = this.deliver(rule, envelope).finally(() => this.inFlight.delete(delivery));
        this.inFlight.add(delivery);
      }
    }
  }

  idle(): boolean {
    return this.inFlight.size === 0;
  }

  /** Resolves once every delivery under way (and any it caused) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(rule: LocalRule, envelope: EventBridgeEnvelope): Promise<void> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        await rule.target(envelope);
        return;
      } catch (error) {
        this.options.onError?.(rule.name, error, attempt);
        if (attempt < this.options.maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs?.(attempt) ?? 100 * 2 ** attempt));
        }
      }
    }
    try {
      await makePrivateDir(this.options.deadLetterDir);
      await appendPrivateFile(join(this.options.deadLetterDir, `${rule.name}.jsonl`), `${JSON.stringify(envelope)}\n`);
    } catch (error) {
      // Not an unhandled rejection (that would stop the whole local stack), and not silent.
      this.unwritableDeadLetters.push({ rule: rule.name, envelope });
      this.options.onDeadLetterFailure?.(rule.name, envelope, error);
    }
  }
}
