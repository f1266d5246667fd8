interface LoginResponse {
  accessToken: string;
  refreshToken: string;
}

export function saveSession(res: LoginResponse): void {
  // ruleid: javascript.browser.sensitive-data-in-local-storage
  localStorage.setItem("accessToken", res.accessToken);
  // ruleid: javascript.browser.sensitive-data-in-local-storage
  window.sessionStorage.setItem("refresh_token", res.refreshToken);
}

export function savePassword(password: string): void {
  // ruleid: javascript.browser.sensitive-data-in-local-storage
  localStorage.setItem("user.password", password);
}

export function saveTheme(theme: string): void {
  // ok: javascript.browser.sensitive-data-in-local-storage
  localStorage.setItem("theme", theme);
}

export function cacheTokenInMemory(cache: Map<string, string>, token: string): void {
  // ok: javascript.browser.sensitive-data-in-local-storage
  cache.set("token", token);
}
