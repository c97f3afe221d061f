import * as z from 'zod';
import { trackerEvent } from './catalogue';

/**
 * The webhook API for MIS integrators, generated from the same zod schemas the handler
 * validates with. `npm run openapi` rewrites docs/openapi.json; a test keeps it current.
 */
const eventSchema = z.toJSONSchema(trackerEvent, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

const result = {
  type: 'object',
  required: ['eventId', 'status'],
  properties: {
    eventId: { type: 'string' },
    status: { enum: ['accepted', 'duplicate', 'rejected'] },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string', description: 'Dotted path inside the event, e.g. data.code' }, message: { type: 'string' } },
      },
    },
  },
};
const results = { type: 'object', required: ['results'], properties: { results: { type: 'array', items: { $ref: '#/components/schemas/EventResult' } } } };
const problem = { type: 'object', required: ['error'], properties: { error: { type: 'string' } } };
const jsonOf = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const errorRef = { $ref: '#/components/schemas/Error' };
const resultsRef = { $ref: '#/components/schemas/Results' };

export function openApiDocument() {
  const { $schema: _ignored, ...event } = eventSchema as Record<string, unknown>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Intervention tracker webhook',
      version: '1',
      description:
        'Schools\' MIS integrations post events here. Sign each request: X-Tracker-Signature = "v1=" + hex HMAC-SHA256(key = webhook secret, message = "<X-Tracker-Timestamp>.<raw body>"). Re-sending an eventId answers "duplicate" and changes nothing.',
    },
    paths: {
      '/v1/schools/{schoolId}/events': {
        post: {
          operationId: 'postEvents',
          summary: 'Store 1 to 500 events for one school',
          parameters: [
            { name: 'schoolId', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'X-Tracker-Timestamp',
              in: 'header',
              required: true,
              schema: { type: 'string', pattern: '^[0-9]+$' },
              description: 'Unix seconds when signed; must be within 300 s of now',
            },
            { name: 'X-Tracker-Signature', in: 'header', required: true, schema: { type: 'string', pattern: '^v1=[0-9a-f]{64}$' } },
          ],
          requestBody: {
            required: true,
            description: 'At most 1 MiB.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['events'],
                  properties: { events: { type: 'array', minItems: 1, maxItems: 500, items: { $ref: '#/components/schemas/Event' } } },
                },
              },
            },
          },
          responses: {
            '200': jsonOf(resultsRef, 'Every event was stored now or had been stored before'),
            '207': jsonOf(resultsRef, 'Some stored, some rejected: results say which'),
            '422': jsonOf(resultsRef, 'Every event rejected'),
            '400': jsonOf(errorRef, 'Body is not JSON or not {"events":[...]} with 1..500 items'),
            '401': jsonOf(errorRef, 'Missing/bad signature, timestamp more than 300 s from now, or unknown school'),
            '413': jsonOf(errorRef, 'Body over 1 MiB'),
            '415': jsonOf(errorRef, 'Not application/json'),
            '503': jsonOf(errorRef, 'Nothing was acknowledged: retry the whole request'),
          },
        },
      },
    },
    components: { schemas: { Event: event, EventResult: result, Results: results, Error: problem } },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile('docs/openapi.json', `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  console.log('wrote docs/openapi.json');
}
