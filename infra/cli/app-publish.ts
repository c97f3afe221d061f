import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CliError, type CliTarget } from './targets';

/**
 * `tracker app publish --stage NAME`: uploads the built staff app (app/dist, `npm run
 * build:app`) and its config.json (the stage's user pool client) to the stage's app bucket,
 * served by CloudFront at `/app/` (docs/decisions/0010-staff-app-hosting.md).
 */
const appDir = fileURLToPath(new URL('../../app/dist', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => {
    throw new CliError('app/dist is missing: run `npm run build:app` first');
  });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? filesUnder(join(directory, entry.name)) : [join(directory, entry.name)])));
  return nested.flat();
}

export async function publishApp(where: CliTarget, options: { appDir?: string; s3?: (region: string) => S3Client } = {}) {
  const dir = options.appDir ?? appDir;
  const { bucket, region, url } = where.staffAppBucket();
  const pool = where.staffPool();
  const client = (options.s3 ?? ((name: string) => new S3Client({ region: name })))(region);
  const files = await filesUnder(dir);
  const put = (key: string, body: Buffer | string, type: string, cacheControl: string) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: `app/${key}`, Body: body, ContentType: type, CacheControl: cacheControl }));
  // Hashed assets never change; index.html and config.json are re-read on every visit.
  await Promise.all(
    files.map(async (file) => {
      const key = relative(dir, file).split('\\').join('/');
      await put(
        key,
        await readFile(file),
        contentTypes[extname(file)] ?? 'application/octet-stream',
        key.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    }),
  );
  await put('config.json', JSON.stringify({ cognito: { endpoint: pool.endpoint, clientId: pool.clientId } }), 'application/json', 'no-cache');
  client.destroy();
  return { url, bucket, files: files.length + 1 };
}
