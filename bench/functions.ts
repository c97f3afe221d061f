import { spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { functionNames } from '../functions/registry';
import { esmRequireBanner } from '../infra/constructs/tracker-function';

/**
 * What each Lambda ships and how long Node takes to load it. The bundle is built with the
 * options of infra/constructs/tracker-function.ts (NodejsFunction's esbuild run): ESM,
 * node24, minified, `module` before `main`, the createRequire banner, a source map, and
 * `externalModules: []` — the project bundles the AWS SDK rather than use the runtime's.
 * NodejsFunction's own default would leave `@aws-sdk/*` external, so that variant is built
 * too. Bundles are written under bench/.out/ so the external variant resolves
 * `@aws-sdk/*` from the project's node_modules, as the Lambda runtime would from its own.
 */

export interface FunctionFigure {
  name: string;
  /** index.mjs as CDK ships it (SDK bundled). */
  bundleBytes: number;
  /** Median ms to import it in a fresh Node process, with --enable-source-maps as deployed. */
  initMs: number;
  /** Median ms to import an empty module the same way. */
  baselineInitMs: number;
  initOverBaselineMs: number;
  /** CPU time of the same imports (median): less sensitive to other work on the machine. */
  initCpuMs: number;
  baselineCpuMs: number;
  initCpuOverBaselineMs: number;
  sourceMapBytes: number;
  /** The same import without --enable-source-maps (ingest-events only, to keep the run short). */
  initMsWithoutSourceMaps: number | undefined;
  /** NodejsFunction's default: `@aws-sdk/*` left to the runtime. */
  bundleBytesSdkExternal: number;
  initMsSdkExternal: number;
  /** Largest contributors to the shipped bundle, by package. */
  largestPackages: { name: string; bytes: number }[];
  /**
   * The per-client floor: only the SDK clients and commands this bundle contains (read from its
   * metafile), bundled alone with the same options, and its median import time in the same runs.
   */
  floor: { imports: string[]; bundleBytes: number; initMs: number; initCpuMs: number };
  /** initMs ÷ floor.initMs (goal ≤ 1.2: the project's own code adds at most 20 %). */
  ratioToFloor: number;
  ratioToFloorCpu: number;
}

/** `@aws-sdk/<package>` → the client classes and commands a bundle pulls in from it. */
function sdkImportsOf(metafile: Metafile): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  const shipped = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  for (const path of shipped) {
    const match = /node_modules\/(@aws-sdk\/[^/]+)\/dist-es\/(?:commands\/)?([A-Za-z0-9]+(?:Client|Command))\.js$/.exec(path);
    // Only what the project imports itself (the credential chain's inner SSO clients come with any client).
    if (!match || !/^@aws-sdk\/(client|lib)-/.test(match[1]!) || /^@aws-sdk\/client-sso/.test(match[1]!)) continue;
    used.set(match[1]!, (used.get(match[1]!) ?? new Set()).add(match[2]!));
  }
  return used;
}

/** An entry module that imports exactly those names and keeps them (no tree-shaking them away). */
function floorSource(used: Map<string, Set<string>>): string {
  const lines = [...used].map(([pkg, names], index) => `import { ${[...names].map((name) => `${name} as n${index}_${name}`).join(', ')} } from '${pkg}';`);
  const names = [...used].flatMap(([, names], index) => [...names].map((name) => `n${index}_${name}`));
  return `${lines.join('\n')}\nglobalThis.__floor = [${names.join(', ')}];\n`;
}

const outDir = join(import.meta.dirname, '.out', 'functions');

function packageOf(path: string): string {
  const inModules = path.split('node_modules/').at(-1)!;
  if (inModules === path) return path.startsWith('functions/') || path.startsWith('shared/') || path.startsWith('events/') ? '(project code)' : path;
  const parts = inModules.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function largestPackages(metafile: Metafile, count: number) {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) bytes.set(packageOf(path), (bytes.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, size]) => ({ name, bytes: size }));
}

async function bundle(name: string, variant: 'cdk' | 'sdk-external' | 'floor', floor?: string) {
  const dir = join(outDir, variant, name);
  await mkdir(dir, { recursive: true });
  const outfile = join(dir, 'index.mjs');
  const entry = floor === undefined ? join(import.meta.dirname, '..', 'functions', name, 'index.ts') : join(dir, 'floor.mjs');
  if (floor !== undefined) await writeFile(entry, floor);
  const result = await build({
    entryPoints: [entry],
    nodePaths: [join(import.meta.dirname, '..', 'node_modules')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: variant === 'sdk-external' ? ['@aws-sdk/*'] : [],
    metafile: true,
    logLevel: 'silent',
  });
  return { outfile, bytes: (await stat(outfile)).size, mapBytes: (await stat(`${outfile}.map`)).size, metafile: result.metafile };
}

/**
 * ms from just before `import()` to just after, in a fresh Node process: wall time, and the
 * process's CPU time over the same span (steadier when other work shares the machine).
 */
function importTime(file: string, sourceMaps: boolean): Promise<{ wall: number; cpu: number }> {
  const code = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall: w, cpu: (u.user + u.system) / 1000 }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', code], {
      // What a deployed function's process has: region, Powertools settings; no table access at import.
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-2', POWERTOOLS_SERVICE_NAME: 'bench', POWERTOOLS_LOG_LEVEL: 'INFO' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`importing ${file} failed: ${err.trim().split('\n').slice(-3).join(' ')}`)),
    );
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export async function measureFunctions(runs: number, progress: (line: string) => void): Promise<FunctionFigure[]> {
  await mkdir(outDir, { recursive: true });
  const empty = join(outDir, 'empty.mjs');
  await writeFile(empty, '');
  const bundles = [];
  for (const name of functionNames) {
    const [cdk, external] = [await bundle(name, 'cdk'), await bundle(name, 'sdk-external')];
    const used = sdkImportsOf(cdk.metafile);
    const floor = {
      ...(await bundle(name, 'floor', floorSource(used))),
      imports: [...used].flatMap(([pkg, names]) => [...names].map((item) => `${pkg}#${item}`)),
    };
    bundles.push({ name, cdk, external, floor });
    progress(
      `  bundled ${name}: ${(cdk.bytes / 1024).toFixed(0)} KB (SDK external: ${(external.bytes / 1024).toFixed(0)} KB; its SDK clients alone: ${(floor.bytes / 1024).toFixed(0)} KB)`,
    );
  }
  // Interleaved runs, so a busy moment on the machine lands on every function alike.
  const samples = new Map<string, number[]>();
  const sample = async (key: string, file: string, sourceMaps: boolean) => {
    const { wall, cpu } = await importTime(file, sourceMaps);
    samples.set(key, [...(samples.get(key) ?? []), wall]);
    samples.set(`${key}:cpu`, [...(samples.get(`${key}:cpu`) ?? []), cpu]);
  };
  for (let run = 0; run < runs; run++) {
    await sample('baseline', empty, true);
    for (const { name, cdk, external, floor } of bundles) {
      await sample(`${name}:cdk`, cdk.outfile, true);
      await sample(`${name}:floor`, floor.outfile, true);
      if (name === 'ingest-events') await sample(`${name}:nomaps`, cdk.outfile, false);
      await sample(`${name}:external`, external.outfile, true);
    }
    progress(`  import timing run ${run + 1}/${runs}`);
  }
  const baselineInitMs = median(samples.get('baseline')!);
  const baselineCpuMs = median(samples.get('baseline:cpu')!);
  return bundles.map(({ name, cdk, external, floor }) => {
    const initMs = median(samples.get(`${name}:cdk`)!);
    const initCpuMs = median(samples.get(`${name}:cdk:cpu`)!);
    const floorFigures = {
      imports: floor.imports,
      bundleBytes: floor.bytes,
      initMs: median(samples.get(`${name}:floor`)!),
      initCpuMs: median(samples.get(`${name}:floor:cpu`)!),
    };
    return {
      name,
      bundleBytes: cdk.bytes,
      initMs,
      baselineInitMs,
      initOverBaselineMs: initMs - baselineInitMs,
      initCpuMs,
      baselineCpuMs,
      initCpuOverBaselineMs: initCpuMs - baselineCpuMs,
      sourceMapBytes: cdk.mapBytes,
      initMsWithoutSourceMaps: samples.has(`${name}:nomaps`) ? median(samples.get(`${name}:nomaps`)!) : undefined,
      bundleBytesSdkExternal: external.bytes,
      initMsSdkExternal: median(samples.get(`${name}:external`)!),
      largestPackages: largestPackages(cdk.metafile, 5),
      floor: floorFigures,
      ratioToFloor: initMs / floorFigures.initMs,
      ratioToFloorCpu: initCpuMs / floorFigures.initCpuMs,
    };
  });
}
