// Remembers the dark/light choice in localStorage. A module rather than inline script: the CSP
// allows only scripts from 'self'. Storage can be disabled (private mode, kiosk policies), so
// every access is guarded and a failure just means "not remembered".
const key = 'monitoring.theme';

export function load() {
  try {
    const value = window.localStorage.getItem(key);
    return value === 'dark' || value === 'light' ? value : null;
  } catch {
    return null;
  }
}

export function save(value) {
  try {
    window.localStorage.setItem(key, value === 'dark' ? 'dark' : 'light');
    return true;
  } catch {
    return false;
  }
}
