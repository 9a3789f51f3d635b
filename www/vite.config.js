// Vite config of the playground. The examples menu is filled at build time from the project's
// examples/*.yaml (virtual module `virtual:examples`); nothing is fetched at run time except
// the page's own files.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve, basename } from 'node:path';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const examplesDir = resolve(here, '../examples');

function examplesPlugin() {
  const id = 'virtual:examples';
  return {
    name: 'mcpauth-guard-examples',
    resolveId(source) {
      return source === id ? '\0' + id : null;
    },
    load(source) {
      if (source !== '\0' + id) return null;
      const files = existsSync(examplesDir)
        ? readdirSync(examplesDir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
        : [];
      const list = files.map((f) => {
        this.addWatchFile(resolve(examplesDir, f));
        return { file: basename(f), text: readFileSync(resolve(examplesDir, f), 'utf8') };
      });
      return `export default ${JSON.stringify(list)};`;
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [examplesPlugin()],
  build: {
    minify: process.env.NO_MINIFY ? false : undefined,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: ['..'] },
  },
  preview: { host: '127.0.0.1' },
});
