// What every e2e test file uses: assertions and screenshots.

import fs from 'node:fs';
import path from 'node:path';

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Saves OUT/workbench-NAME.png; with UPDATE_SCREENSHOTS=1 also docs/images/workbench-NAME.png,
// from Chromium only (the docs show Chromium's; Firefox's stay in OUT, to compare).
export async function shot(browser, { out, source }, name) {
  const file = path.join(out, `workbench-${name}.png`);
  await browser.screenshot(file);
  if (process.env.UPDATE_SCREENSHOTS === '1' && browser.name === 'chromium') {
    fs.copyFileSync(file, path.join(source, 'docs', 'images', `workbench-${name}.png`));
  }
}
