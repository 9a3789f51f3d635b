// Vite config of the playground. The examples menu is filled at build time from the project's
// examples/ (the default profile's) and examples/<profile>/ (virtual module `virtual:examples`);
// nothing is fetched at run time except the page's own files.
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
      const read = (dir, profile) => {
        const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort() : [];
        return files.map((f) => {
          this.addWatchFile(resolve(dir, f));
          const file = profile ? `${profile}/${basename(f)}` : basename(f);
          return { file, profile, text: readFileSync(resolve(dir, f), 'utf8') };
        });
      };
      // examples/ is written for the default profile; examples/<profile>/ for another one.
      const profileDirs = existsSync(examplesDir)
        ? readdirSync(examplesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
        : [];
      const list = [read(examplesDir, undefined), ...profileDirs.map((p) => read(resolve(examplesDir, p), p))].flat();
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
