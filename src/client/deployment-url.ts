/** Polytomic's hosted deployment. */
export const DEFAULT_DEPLOYMENT_URL = "https://app.polytomic.com";

/**
 * Normalises a deployment URL the way Polytomic's Terraform provider does: `https://` is added when no scheme is
 * given, trailing slashes go, and so does a trailing `/api` (every request path already starts with `/api/`).
 * Throws an error that names the setting when the result is not an http(s) URL.
 */
export function normalizeDeploymentUrl(raw: string | undefined): string {
  const value = (raw ?? "").trim();
  if (value === "") return DEFAULT_DEPLOYMENT_URL;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`deploymentUrl is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`deploymentUrl must use http or https, got ${JSON.stringify(url.protocol)}`);
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api$/, "");
  return `${url.origin}${path}`;
}
