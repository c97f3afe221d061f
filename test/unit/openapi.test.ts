import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../events/openapi';

describe('docs/openapi.json', () => {
  it('is generated from the event catalogue (run `npm run openapi` after changing events/)', () => {
    expect(JSON.parse(readFileSync('docs/openapi.json', 'utf8'))).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('documents every event type and status of the contract', () => {
    const document = openApiDocument();
    const responses = Object.keys(document.paths['/v1/schools/{schoolId}/events'].post.responses);
    expect(responses).toEqual(expect.arrayContaining(['200', '207', '400', '401', '413', '415', '422']));
    expect(JSON.stringify(document.components.schemas.Event)).toContain('restorative.session.recorded');
  });
});
