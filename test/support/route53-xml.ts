/** A small XML reader and writer for the Route53 test server (the SDK's requests are plain element trees). */

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re = /<(\/?)([A-Za-z_][\w:.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const top = stack[stack.length - 1] as XmlNode;
    if (m[5] !== undefined) {
      top.text += unescapeXml(m[5]);
    } else if (m[1] === '/') {
      stack.pop();
    } else if (!(m[2] ?? '').startsWith('?')) {
      const node: XmlNode = { name: m[2] ?? '', children: [], text: '' };
      top.children.push(node);
      if (m[4] !== '/') stack.push(node);
    }
  }
  return root.children[0] ?? root;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  const c = child(node, name);
  return c === undefined ? undefined : c.text.trim();
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');
}

/** `el('Name', 'x')` → `<Name>x</Name>`; undefined content leaves the element out. */
export function el(name: string, content: string | number | boolean | undefined | string[]): string {
  if (content === undefined) return '';
  const inner = Array.isArray(content) ? content.join('') : typeof content === 'string' ? escapeXml(content) : String(content);
  return `<${name}>${inner}</${name}>`;
}

/** Same, for content that is already XML. */
export function raw(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}
