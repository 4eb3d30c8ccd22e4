// The workbench's entry point: the server's status, and one view at a time chosen by the
// URL's fragment (#decide, #explore, #read; #read/POLICY/LINE opens a policy at a line).

import { getJson } from '/ui/api.js';
import { hideError, showError } from '/ui/dom.js';

const views = {
  decide: () => import('/ui/decide.js'),
  explore: () => import('/ui/explore.js'),
  read: () => import('/ui/read.js'),
};
const mounted = new Map();
export const state = { policies: [] };

async function loadPolicies() {
  const status = document.getElementById('server-status');
  try {
    const body = await getJson('/v1/policies');
    state.policies = body.policies;
    status.textContent = `${body.policies.length} policies loaded`;
  } catch (error) {
    status.textContent = 'policies not available';
    showError(error);
  }
}

async function route() {
  const [name, ...rest] = (location.hash.slice(1) || 'decide').split('/');
  const view = views[name] ? name : 'decide';
  for (const link of document.querySelectorAll('.tabs a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const section of document.querySelectorAll('.view')) {
    section.hidden = section.id !== `view-${view}`;
  }
  hideError();
  const section = document.getElementById(`view-${view}`);
  try {
    let module = mounted.get(view);
    if (!module) {
      module = await views[view]();
      await module.mount(section, state);
      mounted.set(view, module);
    }
    if (module.show) await module.show(rest.map(decodeURIComponent));
  } catch (error) {
    showError(error);
  }
}

addEventListener('hashchange', route);
await loadPolicies();
await route();
document.body.dataset.ready = 'true';
