// Launches Debian's Chromium through playwright-core (no browser download) with the flags
// that work on this machine, and guards pages so that no request leaves 127.0.0.1.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A persistent context with a fresh user-data dir (so localStorage starts empty). */
export async function launch({ colorScheme = 'light', viewport = { width: 1400, height: 900 } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpauth-guard-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    colorScheme,
    viewport,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const offsite = [];
  // Anything that is not this machine's loopback server is recorded and refused.
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1') return route.continue();
    offsite.push(route.request().url());
    return route.abort();
  });
  return { context, offsite };
}
