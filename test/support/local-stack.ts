import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/stack';
import type { OutboxEntry } from '../../shared/adapters/local/outbox';
import { sign } from '../../shared/domain/signature';
import { busEventForStoredItem } from '../../shared/domain/stored-events';
import { addSchool, type NewSchool } from '../../shared/services/schools';

/**
 * The real local stack (DynamoDB Local, HTTP API, stream, bus, outbox) on a free port with
 * an in-memory table and a throwaway data folder: what integration tests talk to over HTTP.
 */
export interface TestStack extends LocalStack {
  addSchool(school: Partial<NewSchool> & { schoolId: string }): Promise<string>;
  post(schoolId: string, secret: string, body: unknown, options?: PostOptions): Promise<{ status: number; body: any }>;
  outbox(): Promise<OutboxEntry[]>;
  /** What a bus rule (or `stream`, the stream poller) dead-lettered, oldest first; none before the first letter. */
  deadLetters(rule: string): Promise<any[]>;
  /** The bus event the stream publisher made for a stored item, as EventBridge would deliver it again. */
  redeliveryOf(key: { pk: string; sk: string }, detailOverrides?: Record<string, unknown>): Promise<Record<string, unknown>>;
  cleanup(): Promise<void>;
}

export interface PostOptions {
  timestamp?: number;
  contentType?: string;
  signature?: string;
  /** Send these bytes instead of JSON.stringify(body). */
  raw?: Buffer | string;
}

export async function startTestStack(options: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tracker-test-'));
  const stack = await startLocalStack({ port: 0, dataDir, inMemory: true, busRetryDelayMs: () => 10, ...options });
  return Object.assign(stack, {
    async addSchool(school: Partial<NewSchool> & { schoolId: string }) {
      const { webhookSecret } = await addSchool(
        { name: `School ${school.schoolId}`, leaders: [`head@${school.schoolId}.example.org`], ...school },
        stack.adapters,
      );
      return webhookSecret;
    },
    post: (schoolId: string, secret: string, body: unknown, postOptions: PostOptions = {}) =>
      signedPost(`${stack.url}/v1/schools/${encodeURIComponent(schoolId)}/events`, secret, body, postOptions, stack.adapters.clock.now()),
    async outbox() {
      return (await (await fetch(`${stack.url}/local/outbox`)).json()) as OutboxEntry[];
    },
    async deadLetters(rule: string) {
      const letters = await readFile(join(stack.dataDir, 'dead-letters', `${rule}.jsonl`), 'utf8').catch(() => '');
      return letters
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    },
    async redeliveryOf(key: { pk: string; sk: string }, detailOverrides: Record<string, unknown> = {}) {
      const { Item } = await stack.adapters.table.client.send(new GetCommand({ TableName: stack.adapters.table.tableName, Key: key }));
      const busEvent = busEventForStoredItem(Item!)!;
      return {
        version: '0',
        id: `redelivery-${Math.random().toString(36).slice(2)}`,
        'detail-type': busEvent.detailType,
        source: busEvent.source,
        account: '000000000000',
        time: stack.adapters.clock.now().toISOString(),
        region: 'local',
        resources: [],
        detail: { ...busEvent.detail, ...detailOverrides },
      };
    },
    async cleanup() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

export async function signedPost(url: string, secret: string, body: unknown, options: PostOptions = {}, now = new Date()) {
  const raw = options.raw ?? JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(now.getTime() / 1000));
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-tracker-timestamp': timestamp,
      'x-tracker-signature': options.signature ?? sign(secret, timestamp, raw),
    },
    body: raw,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
