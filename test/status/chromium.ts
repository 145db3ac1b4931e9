/**
 * Opens a page in Debian's headless Chromium (playwright-core drives it; no
 * browser download) and reports what a reader would see: title, text, the
 * requests the page made, its width, its refresh header; a screenshot too.
 */
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface OpenedPage {
  title: string;
  text: string;
  html: string;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** document.documentElement.scrollWidth: wider than the viewport means sideways scrolling of the whole page. */
  scrollWidth: number;
  /** The content of <meta http-equiv="refresh">, '' when absent. */
  refresh: string;
}

export async function openInChromium(url: string, options: { width: number; height: number; screenshot: string }): Promise<OpenedPage> {
  // --no-sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: options.width, height: options.height } });
    const requests: string[] = [];
    page.on('request', (r) => { requests.push(r.url()); });
    const response = await page.goto(url);
    if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
    await page.screenshot({ path: options.screenshot, fullPage: true });
    return {
      title: await page.title(),
      text: await page.innerText('body'),
      html: await page.content(),
      requests,
      scrollWidth: Number(await page.evaluate('document.documentElement.scrollWidth')),
      refresh: (await page.getAttribute('meta[http-equiv="refresh"]', 'content')) ?? '',
    };
  } finally {
    await browser.close();
  }
}
