import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames, type FunctionName } from '../../functions/registry';
import { projectRoot } from '../../infra/tracker-app';

/**
 * What each function's bundle carries of events/ and zod, read from esbuild's metafile: the
 * zod catalogue is most of what a function adds to its SDK clients' import time
 * (docs/performance.md#functions), so only the functions that validate an incoming event carry it.
 */
const shipped = new Map<FunctionName, string[]>();
beforeAll(async () => {
  for (const name of functionNames) {
    const result = await build({
      entryPoints: [join(projectRoot, 'functions', name, 'index.ts')],
      absWorkingDir: projectRoot,
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      outfile: join(projectRoot, 'bench', '.out', 'contents', name, 'index.mjs'),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs));
    shipped.set(
      name,
      inputs.filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path),
    );
  }
}, 120_000);

/** zod's classic API (`import 'zod'`), as opposed to `zod/mini` on the same core. */
const classicZod = /node_modules\/zod\/v4\/classic\//;
/** The catalogue's per-type schema modules (events/vocabulary.ts and event-types.ts hold no zod). */
const eventSchemas = /^events\/(common|intervention|restorative|restrictive|incident|outcome|pupil|attendance)\.ts$/;
const carrying = (pattern: RegExp) => functionNames.filter((name) => shipped.get(name)!.some((path) => pattern.test(path)));

describe('what each function bundle carries', () => {
  it('the event catalogue: only the functions that validate incoming events (webhook, staff records, MIS sync)', () => {
    expect(carrying(/^events\/catalogue\.ts$/).sort()).toEqual(['ingest-events', 'staff-api', 'sync-mis']);
  });

  it('the stream publisher and the weekly rollups carry no zod schema but the bus details (zod/mini)', () => {
    const busOnly: FunctionName[] = ['publish-stored-events', 'schedule-rollups', 'rollup-school', 'trust-summary'];
    expect(carrying(classicZod).filter((name) => busOnly.includes(name))).toEqual([]);
    expect(carrying(eventSchemas).filter((name) => busOnly.includes(name))).toEqual([]);
  });

  it('the notifiers, mail feedback and the Wonde lifecycle webhook read stored records by type and check the rest with zod/mini', () => {
    const miniOnly: FunctionName[] = ['notify-parents', 'alert-dsl', 'record-mail-feedback', 'wonde-lifecycle'];
    expect(carrying(classicZod).filter((name) => miniOnly.includes(name))).toEqual([]);
    expect(carrying(eventSchemas).filter((name) => miniOnly.includes(name))).toEqual([]);
  });
});
