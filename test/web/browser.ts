/** Headless Debian Chromium through playwright-core, and the app on an ephemeral port. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { createApp, type WebApp } from '../../src/server/app.ts';
import type { AppConfig } from '../../src/server/config.ts';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface RunningApp {
  readonly web: WebApp;
  readonly url: string;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function startApp(config: Partial<AppConfig> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cgf-web-'));
  const web = createApp({ dataDir, logErrors: false, ...config });
  const server: Server = await new Promise((resolve) => {
    const s = web.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    web,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await web.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
