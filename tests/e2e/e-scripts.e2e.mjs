// (E) Georgian and Armenian text renders with letters, not empty boxes, in every browser the
// tests drive: the learner's name in the statement is drawn, in the element's own font, the
// same as with a font fontconfig says has every one of its letters (DejaVu Sans, from
// fonts-dejavu-core). Without such a font a browser draws boxes (Chromium) or hex codes
// (Firefox), and no installed font draws those.

import { execFileSync } from 'node:child_process';

import { check } from './harness.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
export default tests;

// The font families that have every letter of `text` (fc-list ':charset=10d0 10d8 ...').
function familiesWith(text) {
  const letters = [...new Set([...text].filter((c) => c.codePointAt(0) > 0x7f))];
  const charset = letters.map((c) => c.codePointAt(0).toString(16)).join(' ');
  const listed = execFileSync('fc-list', [`:charset=${charset}`, 'family'], { encoding: 'utf8' });
  return [...new Set(listed.split('\n').filter(Boolean).map((line) => line.split(',')[0]))];
}

// `text` drawn on a canvas in the font of the element `css`, and then in each of `families`
// at the same style, weight and size: the families whose drawing is the same, pixel for pixel.
function drawnLike(browser, css, text, families) {
  return browser.run(
    `const style = getComputedStyle(document.querySelector(arguments[0]));
     const draw = (family) => {
       const canvas = document.createElement('canvas');
       canvas.width = 900; canvas.height = 60;
       const ctx = canvas.getContext('2d');
       ctx.font = [style.fontStyle, style.fontWeight, style.fontSize, family].join(' ');
       ctx.textBaseline = 'top';
       ctx.fillText(arguments[1], 4, 12);
       return canvas.toDataURL();
     };
     const page = draw(style.fontFamily);
     return arguments[2].filter((f) => draw(JSON.stringify(f)) === page);`, css, text, families);
}

for (const { example, name } of [{ example: 'ge', name: 'ნინო ბერიძე' }, { example: 'am', name: 'Անի Հովհաննիսյան' }]) {
  const script = example === 'ge' ? 'Georgian' : 'Armenian';
  test(`${script} text renders with a font that has its letters (the learner's name in the statement)`, async (ctx) => {
    const { browser, base } = ctx;
    const families = familiesWith(name);
    check(families.length > 0, `no installed font has the ${script} letters of ${name}: install fonts-dejavu-core (scripts/setup.sh)`);
    await browser.go(`${base}/#decide`);
    await browser.waitFor(`body[data-ready="true"] #example-${example}`);
    await browser.click(`#example-${example}`);
    await browser.waitUntil(`return document.getElementById('application-text').value.includes(${JSON.stringify(name)})`,
      { what: `the ${script} example` });
    await browser.click('#decide-button');
    await browser.waitFor('#decision-summary');
    await browser.click('#open-statement');
    await browser.waitFor('.statement', { text: name });
    // The statement's first table: application, learner, ...; the learner's cell.
    const cell = await browser.run(
      `const td = [...document.querySelectorAll('.statement td')].find((c) => c.textContent.includes(arguments[0]));
       if (!td) return null;
       td.id = 'e2e-learner';
       return td.textContent;`, name);
    check(cell && cell.includes(name), `the statement has no cell with ${name}`);
    const same = await drawnLike(browser, '#e2e-learner', name, families);
    check(same.length > 0,
      `${name} is not drawn as any font with its letters draws it (${families.join(', ')}): boxes or hex codes?`);
  });
}
