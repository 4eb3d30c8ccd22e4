// The Decide view (docs/workbench.md).
import { h, clear } from '/ui/dom.js';

export function mount(section) {
  clear(section, h('h1', { id: 'decide-title' }, 'Decide'));
}
