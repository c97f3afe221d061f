import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { publishApp } from '../../infra/cli/app-publish';
import type { CliTarget } from '../../infra/cli/targets';

describe('tracker app publish --stage', () => {
  it('uploads app/dist under app/ with cache headers, and a config.json naming the stage pool client', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-dist-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    const where = {
      staffAppBucket: () => ({ bucket: 'app-bucket', region: 'eu-west-2', url: 'https://d1.cloudfront.net/app/' }),
      staffPool: () => ({ userPoolId: 'eu-west-2_x', clientId: 'client-1', endpoint: 'https://cognito-idp.eu-west-2.amazonaws.com', region: 'eu-west-2' }),
    } as unknown as CliTarget;
    const result = await publishApp(where, { appDir: dir, s3: () => new S3Client({ region: 'eu-west-2' }) });
    expect(result).toEqual({ url: 'https://d1.cloudfront.net/app/', bucket: 'app-bucket', files: 3 });
    const puts = Object.fromEntries(s3.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Key, call.args[0].input]));
    expect(Object.keys(puts).sort()).toEqual(['app/assets/index-abc.js', 'app/config.json', 'app/index.html']);
    expect(puts['app/assets/index-abc.js']).toMatchObject({
      Bucket: 'app-bucket',
      ContentType: 'text/javascript; charset=utf-8',
      CacheControl: 'public, max-age=31536000, immutable',
    });
    expect(puts['app/index.html']!.CacheControl).toBe('no-cache');
    expect(JSON.parse(String(puts['app/config.json']!.Body))).toEqual({
      cognito: { endpoint: 'https://cognito-idp.eu-west-2.amazonaws.com', clientId: 'client-1' },
    });
    s3.restore();
  });
});
