/** A tiny element helper: the page is small enough that a framework would outweigh it. */

export type Child = Node | string | number | null | undefined | false | Child[];

/**
 * `h('button', { type: 'button', onclick: send }, 'Send')`. Functions become listeners (`onclick` →
 * `click`), `class` sets the class, `true` sets an empty attribute, `false`/`null`/`undefined` leave
 * it out, anything else is set as an attribute.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, unknown> | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function' && name.startsWith('on'))
      element.addEventListener(name.slice(2), value as EventListener);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name === 'className' ? 'class' : name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * A labelled field: the label wraps the control and holds nothing but its text, so that text is
 * exactly the control's accessible name (hints go beside the field, not inside the label).
 */
export const field = (label: string, control: HTMLElement) =>
  h('label', { class: 'field' }, h('span', { class: 'label' }, label), control);

/** A plain object, or undefined: replies are whatever the extension sent, so nothing is assumed. */
export const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Saves a text as a file through a temporary link (no server round trip for the name). */
export function download(name: string, body: string, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
