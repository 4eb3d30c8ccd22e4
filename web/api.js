// The JSON API of `mcre serve` (docs/openapi.json), with the API key kept in sessionStorage.

const KEY = 'mcre.apiKey';

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

function askForKey() {
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  input.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(input.value.trim()), { once: true });
    dialog.showModal();
    input.focus();
  });
}

// fetch with the key; a 401 asks for the key once and tries again.
export async function request(method, path, { body, type = 'application/json', accept } = {}) {
  for (let attempt = 0; attempt < 2; ++attempt) {
    const headers = {};
    const key = sessionStorage.getItem(KEY);
    if (key) headers['Authorization'] = `Bearer ${key}`;
    if (body !== undefined) headers['Content-Type'] = type;
    if (accept) headers['Accept'] = accept;
    const res = await fetch(path, { method, headers, body });
    if (res.status === 401 && attempt === 0) {
      const entered = await askForKey();
      if (!entered) break;
      sessionStorage.setItem(KEY, entered);
      continue;
    }
    const contentType = res.headers.get('Content-Type') || '';
    if (!res.ok) {
      let problem = { title: `HTTP ${res.status}`, detail: await res.text() };
      if (contentType.includes('json')) {
        try { problem = JSON.parse(problem.detail); } catch { /* keep the text */ }
      }
      throw new ApiError(problem, res.status);
    }
    const requestId = res.headers.get('X-Request-Id');
    if (contentType.includes('json')) return { data: await res.json(), requestId };
    return { data: await res.text(), requestId };
  }
  throw new ApiError({ title: 'Missing or wrong API key', detail: 'no API key was given' }, 401);
}

export const getJson = (path) => request('GET', path).then((r) => r.data);
export const postJson = (path, value) =>
  request('POST', path, { body: typeof value === 'string' ? value : JSON.stringify(value) }).then((r) => r.data);
