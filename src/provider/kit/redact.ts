/** Replaces every occurrence of the given secrets (API keys, passwords) with `***` before text reaches an error or a log. */
export function redactor(...secrets: readonly string[]): (text: string) => string {
  const present = secrets.filter((s) => s !== '');
  return (text) => present.reduce((out, secret) => out.split(secret).join('***'), text);
}
