import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** The whole app's JavaScript, gzipped, must stay within this (a school laptop on a slow network). */
export const jsBudgetBytes = 200 * 1024;

/** Measures every emitted JS file gzipped, prints the total and fails the build over budget. */
function jsBudget(): Plugin {
  let outDir = '';
  return {
    name: 'js-budget',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      const sizes = readdirSync(assets)
        .filter((file) => file.endsWith('.js'))
        .map((file) => gzipSync(readFileSync(join(assets, file)), { level: 9 }).length);
      const total = sizes.reduce((sum, size) => sum + size, 0);
      console.log(`staff app JavaScript: ${(total / 1024).toFixed(1)} KB gzipped in ${sizes.length} file(s) (budget ${jsBudgetBytes / 1024} KB)`);
      if (total > jsBudgetBytes) throw new Error(`staff app JavaScript is ${total} bytes gzipped, over the ${jsBudgetBytes}-byte budget`);
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  build: { outDir: join(import.meta.dirname, 'dist'), emptyOutDir: true, target: 'es2022', sourcemap: false },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [jsBudget()],
});
